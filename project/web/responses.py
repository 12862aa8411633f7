"""Nothing after a commit turns a saved write into an error page.

A commit expires every row the session holds, so a view that reads ``case.number`` to build its redirect
after the use case committed sends a new query; if the database fails at that moment, the person would be
shown an error over a write that was saved, and would save it again. For every request, the values the
request's own commits wrote stay readable after them without a query (``submissions.known_after_commit``).
Views still read what they need before the commit where they can; this is the net under all of them.
"""

from __future__ import annotations

from contextlib import ExitStack

from flask import Flask, g

from project.services import submissions


def init_app(app: Flask) -> None:
    @app.before_request
    def keep_written_values() -> None:
        stack = ExitStack()
        stack.enter_context(submissions.known_after_commit())
        g.written_values = stack

    @app.teardown_request
    def release_written_values(error: BaseException | None) -> None:
        stack = g.pop("written_values", None)
        if stack is not None:
            stack.close()

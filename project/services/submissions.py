"""Submits that tell the truth and land once.

Two guarantees for a form that adds a record:

- **Once.** Each rendering of the form carries a fresh token (``new_form_token``). The use case stores the
  token with the record it saved (``claim``, inside its own ``committing`` block), and a unique constraint
  holds it to one record. A submit retried after a lost response finds its token already used
  (``saved_by``) and is shown the saved record instead of saving it again.
- **Nothing after the commit fails the response.** A commit expires every loaded row, so reading
  ``case.number`` afterwards is a new SELECT; if the database fails at that moment, a saved write would be
  reported as an error. ``known_after_commit`` keeps the values the transaction itself wrote readable after
  its commit, without a query, for the response that follows.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction, attributes

from project import clock
from project.extensions import db
from project.models import Case, FormToken, Note
from project.services.audit import Actor

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_form_token() -> str:
    """A token for one rendering of a form."""
    return secrets.token_urlsafe(24)


def clean_token(raw: str | None) -> str | None:
    """The token as sent, or None for anything that is not one (a missing field, garbage)."""
    return raw if raw and TOKEN_PATTERN.fullmatch(raw) else None


def saved_by(token: str | None, actor: Actor) -> FormToken | None:
    """The record an earlier submit of this form (by this person) saved, if it did."""
    if not token:
        return None
    return db.session.scalar(select(FormToken).where(FormToken.token == token, FormToken.user_id == actor.user.id))


def saved_note(case: Case, token: str | None, actor: Actor) -> Note | None:
    """The note of this case an earlier submit of the same note form saved, if any."""
    earlier = saved_by(token, actor)
    if earlier is None or earlier.kind != "note" or earlier.case_id != case.id:
        return None
    return db.session.get(Note, earlier.object_id)


def logged_case(token: str | None, actor: Actor) -> Case | None:
    """The case an earlier submit of the same complaint form opened, if any."""
    earlier = saved_by(token, actor)
    return db.session.get(Case, earlier.case_id) if earlier is not None and earlier.kind == "complaint" else None


def claim(token: str | None, kind: str, case_id: int, object_id: int, actor: Actor) -> None:
    """Store the token with the record just written, in the caller's transaction: a second submit of the same
    form then breaks the unique constraint at commit (``committing(..., duplicate_is_conflict=True)``)."""
    if token:
        db.session.add(
            FormToken(
                token=token,
                kind=kind,
                user_id=actor.user.id,
                case_id=case_id,
                object_id=object_id,
                created_at=clock.now(),
            )
        )


class _WrittenValues:
    """The column values of the rows a session writes, put back after its commit has expired them."""

    def __init__(self) -> None:
        self.changed: set[int] = set()
        self.written: dict[int, tuple[Any, dict[str, Any]]] = {}
        self.committed = False

    def note_changed(self, session: Session, context: UOWTransaction) -> None:
        self.changed.update(id(obj) for obj in (*session.new, *session.dirty))

    def remember(self, session: Session, context: UOWTransaction) -> None:
        for obj in session.identity_map.values():
            if id(obj) in self.changed:
                state = inspect(obj)
                values = {p.key: state.dict[p.key] for p in state.mapper.column_attrs if p.key in state.dict}
                self.written[id(obj)] = (obj, values)

    def on_commit(self, session: Session) -> None:
        self.committed = True

    def restore(self, session: Session, transaction: SessionTransaction) -> None:
        if self.committed and transaction.parent is None:  # the commit has just expired every row
            for obj, values in self.written.values():
                for key, value in values.items():
                    attributes.set_committed_value(obj, key, value)
            self.committed = False

    def hooks(self) -> list[tuple[str, Callable[..., None]]]:
        return [
            ("after_flush", self.note_changed),
            ("after_flush_postexec", self.remember),
            ("after_commit", self.on_commit),
            ("after_transaction_end", self.restore),
        ]


@contextmanager
def known_after_commit() -> Iterator[None]:
    """Within the block, the column values a commit wrote stay readable after it, without a query: the
    response built after a successful save cannot fail on the database any more. Only rows written inside
    the block are kept, with the values written (what the database holds once the commit succeeded)."""
    session = db.session()
    hooks = _WrittenValues().hooks()
    for name, hook in hooks:
        event.listen(session, name, hook)
    try:
        yield
    finally:
        for name, hook in hooks:
            event.remove(session, name, hook)

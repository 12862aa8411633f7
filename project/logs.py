"""The server's log: plain text for a person at a terminal, or one JSON object per line for a log shipper
(``LOG_FORMAT=json``, the default in production; issue 20, item 4).

Every JSON line carries ``timestamp`` (UTC), ``level``, ``logger``, ``message``, and the ``request_id`` and
``user_id`` of the request it was written in (both null outside a request). The user is named only by the
internal numeric id: never a name, an e-mail, an employee number or an address. The access line each request
ends with (logger ``casefile.access``) adds ``method``, ``endpoint`` (the Flask endpoint name, not the URL,
which can hold case numbers and search words), ``status`` and ``duration_ms``.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

from flask import g, has_request_context
from sqlalchemy import inspect

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ACCESS_FIELDS = ("method", "endpoint", "status", "duration_ms")


def request_ids() -> tuple[str | None, int | None]:
    """The request id and the signed-in user's id of the current request, without a database statement
    (the user is read only when the request has already loaded it)."""
    if not has_request_context():
        return None, None
    user = g.get("_login_user")  # where Flask-Login keeps the user it loaded for this request
    # the row's identity, which the session keeps even when the row's values have expired (after a commit):
    # asking ``is_authenticated`` would read them again, and a log line written because the database failed
    # would fail in turn. The anonymous user is no row: no identity, no id.
    state = inspect(user, raiseerr=False) if user is not None else None
    identity = state.identity if state is not None else None
    return g.get("request_id"), identity[0] if identity else None


class RequestContext(logging.Filter):
    """Gives each record the request id and user id of the request it is written in."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id, record.user_id = request_ids()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        entry.update({key: getattr(record, key) for key in ACCESS_FIELDS if hasattr(record, key)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class JsonLogHandler(logging.StreamHandler):
    """A stream handler writing JSON lines, with the request's ids."""


def json_handler(stream: IO[str] | None = None) -> logging.Handler:
    handler = JsonLogHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContext())
    return handler


def configure(log_format: str, quiet: bool) -> None:
    """JSON lines on standard error in place of any handler the root logger had; otherwise text, unless
    ``quiet`` (debugging or testing, where Flask and pytest show the log their own way)."""
    root = logging.getLogger()
    if log_format == "json":
        for handler in list(root.handlers):
            root.removeHandler(handler)
        root.addHandler(json_handler())
        root.setLevel(logging.INFO)
    elif not quiet:
        logging.basicConfig(level=logging.INFO, format=TEXT_FORMAT)
    logging.getLogger("casefile.access").setLevel(logging.INFO)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

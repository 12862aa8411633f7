"""Error pages: a plain explanation for the person, never a stack trace."""

from __future__ import annotations

import errno
import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from project.extensions import db
from project.permissions import NotPermitted
from project.services import notifications
from project.web.access import audit_refusal
from project.web.accounts.login import return_path
from project.web.case_access import current_actor
from project.web.typed_work import rescued_fields, sent_from_this_site

PAGES = {403, 404, 413, 500}
REFUSALS = {403: "forbidden", 413: "upload_too_large"}
STORAGE_FULL = 507  # HTTP "Insufficient Storage"
STORAGE_MESSAGE = (
    "The server's storage is full, so what you were saving could not be stored. The administrator has been "
    "alerted. Keep your work (copy any text you typed) and try again later."
)
# the administrator's alert: a CRITICAL record on its own logger, for the log monitoring or mail handler to page on
storage_log = logging.getLogger("project.storage")


def is_storage_full(error: BaseException | None) -> bool:
    """Whether the failure, or what caused it, is a full disk: ENOSPC or a quota from the file system,
    SQLite's "database or disk is full", PostgreSQL's disk_full (SQLSTATE 53100)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if getattr(error, "sqlstate", None) == "53100" or "disk is full" in str(error):
            return True
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__
        seen += 1
    return False


def _alert_admins(cause: str) -> None:
    """E-mail the admins (best effort: the database may share the full disk; the log line above stands)."""
    if not current_user.is_authenticated:
        return
    body = (
        "A request failed because the server's storage is full:\n\n"
        f"{cause}\n\nFree space on the evidence and database volumes; uploads and saves fail until then.\n"
    )
    try:
        notifications.alert_admins("storage_full", "storage is full", body, current_actor())
    except Exception:
        db.session.rollback()
        storage_log.exception("the administrators could not be e-mailed about the full storage")


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[Any, int]:
        """Issue 16, item 4: the text that was sent is never thrown away. A signed-in person gets it back in a
        fresh form to the same address; a person whose session ended is sent to sign in again, and back to
        the page, where the browser's draft holds the text."""
        audit_refusal("csrf")
        if request.is_json or request.accept_mimetypes.best == "application/json":
            return jsonify(error="form_expired", message="Reload the page and try again."), 400
        signed_in = current_user.is_authenticated
        fields = rescued_fields() if signed_in and sent_from_this_site() else []
        return render_template(
            "errors/form_expired.html",
            fields=fields,
            signed_in=signed_in,
            had_files=bool(request.files),
            action=request.full_path.rstrip("?"),
            next_url=return_path(),
        ), 400

    @app.errorhandler(NotPermitted)
    def not_permitted(error: NotPermitted) -> tuple[str, int]:
        """A service refused the person (its rules stand behind every view's own check): the 403 page, with
        the service's own explanation."""
        db.session.rollback()
        audit_refusal("forbidden")
        return render_template("errors/403.html", message=str(error)), 403

    @app.errorhandler(OSError)
    @app.errorhandler(OperationalError)
    def storage_full(error: Exception) -> tuple[str, int]:
        """A full disk says so, and alerts the administrator; any other such failure is the plain 500."""
        if not is_storage_full(error):
            raise error
        db.session.rollback()
        storage_log.critical("storage full: %s %s failed: %s", request.method, request.path, error)
        _alert_admins(str(error))
        return render_template(
            "errors/generic.html", code=STORAGE_FULL, title="Storage is full", message=STORAGE_MESSAGE
        ), STORAGE_FULL

    # Flask turns an unhandled exception into InternalServerError (500) and logs it, outside testing;
    # the 500 page below says nothing of its cause.
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        if code >= 500:
            db.session.rollback()  # a failed transaction must not break the error page itself
        if code in REFUSALS:
            audit_refusal(REFUSALS[code])  # F6: grouped per person and minute, never an error of its own
        if code in PAGES:
            return render_template(f"errors/{code}.html"), code
        return render_template("errors/generic.html", code=code, title=error.name, message=""), code

"""Error pages: a plain explanation for the person, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from project.extensions import db
from project.permissions import NotPermitted
from project.web.access import audit_refusal

PAGES = {403, 404, 413, 500}
REFUSALS = {403: "forbidden", 413: "upload_too_large"}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        audit_refusal("csrf")
        message = "The form had expired or was not sent from this site. Go back, reload the page and try again."
        return render_template("errors/generic.html", code=400, title="Form expired", message=message), 400

    @app.errorhandler(NotPermitted)
    def not_permitted(error: NotPermitted) -> tuple[str, int]:
        """A service refused the person (its rules stand behind every view's own check): the 403 page, with
        the service's own explanation."""
        db.session.rollback()
        audit_refusal("forbidden")
        return render_template("errors/403.html", message=str(error)), 403

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

"""Typed work is never lost (issue 16, item 4): what the pages need for it on the server's side.

- Every page of a signed-in person tells its idle warning (static/js/session.js) how many seconds the session
  has left, and where "Stay signed in" asks for more (``auth.keep_alive``).
- Forms marked ``data-draft="<case>:<form>"`` keep their text in the browser (static/js/drafts.js), which sends
  the draft's name as ``draft_key``. When the server accepts such a form (it answers with a redirect and flashes
  no error), the next page names the draft as saved, and only then does the script delete it: a refused or
  failed save never loses the text.
- An expired or missing CSRF token keeps the text that was sent: ``rescued_fields`` picks the fields to show
  again in a fresh form (never a password, a code or a token).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, g, request, session, url_for
from flask_login import current_user

from project.services import accounts

SAVED_DRAFTS_COOKIE = "casefile_drafts_saved"  # names of drafts whose form the server accepted
DRAFT_FIELD = "draft_key"
DRAFT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._-]{0,99}$")
MAX_SAVED_MARKS = 10
# Fields never shown again: passwords, one-time and recovery codes, tokens, secrets.
SECRET_FIELD = re.compile(r"password|passwd|secret|token|recovery|^code$|^otp$|^confirm$", re.IGNORECASE)
MAX_RESCUED_FIELDS = 40
# Sent again unseen: the draft's name, and the form's submission token that makes a retried note land once.
CARRIED_UNSEEN = frozenset({DRAFT_FIELD, "form_token"})


@dataclass(frozen=True)
class RescuedField:
    """One field of a form whose token had expired, to be sent again as it was typed."""

    name: str
    label: str
    value: str
    long: bool
    hidden: bool


def session_clock() -> dict[str, Any] | None:
    """What the idle warning needs, for a signed-in person's page; None otherwise."""
    ends_at = g.get("session_ends_at")
    if not current_user.is_authenticated or ends_at is None:
        return None
    return {
        "seconds_left": accounts.seconds_left(ends_at),
        "warn_seconds": int(current_app.config["SESSION_WARNING_SECONDS"]),
        "keep_alive_url": url_for("auth.keep_alive"),
        "sign_in_url": url_for("auth.sign_in"),
    }


def saved_drafts() -> list[str]:
    """The drafts the server has accepted since the last page (once: this page's response forgets them)."""
    g.drafts_saved_shown = True
    names = request.cookies.get(SAVED_DRAFTS_COOKIE, "").split()
    return [name for name in names if DRAFT_NAME.match(name)][-MAX_SAVED_MARKS:]


def _flashed_an_error() -> bool:
    return any(category == "error" for category, _ in session.get("_flashes", []))


def mark_saved_draft(response: Response) -> Response:
    """A form sent with a draft's name and answered by a redirect without an error: its draft may go. The mark
    is a cookie of its own, not the session: a thumbnail's response racing the form's would carry the session
    without it, and the draft would stay (seen under load). The next page read forgets it."""
    if g.get("drafts_saved_shown") and SAVED_DRAFTS_COOKIE in request.cookies:
        response.delete_cookie(SAVED_DRAFTS_COOKIE, path="/")
    # signed in, by the session alone: the user row expired at the form's commit, and nothing after a commit may
    # read the database (a failure there would turn a saved write into an error page, issue 15 item 5)
    if request.method != "POST" or not 300 <= response.status_code < 400 or not session.get("_user_id"):
        return response
    name = request.form.get(DRAFT_FIELD, "")
    if DRAFT_NAME.match(name) and not _flashed_an_error():
        marks = [mark for mark in request.cookies.get(SAVED_DRAFTS_COOKIE, "").split() if mark != name]
        response.set_cookie(
            SAVED_DRAFTS_COOKIE,
            " ".join([*marks, name][-MAX_SAVED_MARKS:]),
            max_age=600,
            path="/",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            httponly=True,
            samesite="Lax",
        )
    return response


def rescued_fields() -> list[RescuedField]:
    """The fields of the refused request worth sending again, in the order sent; no secret, no token, no
    empty value. Files cannot be kept: the page says to choose them again."""
    fields: list[RescuedField] = []
    for name, value in request.form.items(multi=True):
        hidden = name in CARRIED_UNSEEN
        secret = name == "csrf_token" or (SECRET_FIELD.search(name) and not hidden)
        if secret or not value.strip() or len(fields) >= MAX_RESCUED_FIELDS:
            continue
        label = name.replace("_", " ").replace("-", " ").strip().capitalize() or "Field"
        fields.append(RescuedField(name, label, value, "\n" in value or len(value) > 80, hidden))
    return fields


def sent_from_this_site() -> bool:
    """Only a form sent from one of our own pages is offered again (never a forged cross-site post)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin") or request.referrer or ""
    return origin.startswith(request.host_url.rstrip("/"))


def init_app(app: Flask) -> None:
    app.after_request(mark_saved_draft)

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {"session_clock": session_clock, "saved_drafts": saved_drafts}

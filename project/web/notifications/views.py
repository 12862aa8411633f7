from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from project.services import notifications
from project.web.access import sign_in_required

bp = Blueprint("inbox", __name__, url_prefix="/inbox")
sign_in_required(bp)


@bp.app_context_processor
def unread_notifications() -> dict[str, Any]:
    """The header's unread count: one query, for a signed-in person only."""
    if not current_user.is_authenticated:
        return {"unread_notifications": None}
    return {"unread_notifications": notifications.unread_count(current_user)}


@bp.get("")
def index() -> str:
    notices = notifications.inbox_of(current_user)
    return render_template(
        "inbox/index.html", notices=notices, total=notifications.count_of(current_user), limit=notifications.INBOX_LIMIT
    )


@bp.post("/<int:notification_id>/open")
def open_notice(notification_id: int) -> Response:
    """Mark one's own notice read and go to what it is about (404 for anyone else's)."""
    notice = notifications.open_notification(current_user, notification_id)
    if notice is None or not notice.link.startswith("/") or notice.link.startswith("//"):
        abort(404)
    return redirect(request.script_root + notice.link, code=303)


@bp.post("/read")
def mark_all_read() -> Response:
    marked = notifications.mark_all_read(current_user)
    flash(
        f"{marked} notification{'' if marked == 1 else 's'} marked read." if marked else "Nothing was unread.",
        "success",
    )
    return redirect(url_for("inbox.index"), code=303)

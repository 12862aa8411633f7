"""Notifications: the in-app inbox and the e-mail outbox.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.notifications.alerts import alert_admins
from project.services.notifications.inbox import (
    INBOX_LIMIT,
    case_path,
    count_of,
    deadline_notices,
    inbox_of,
    mark_all_read,
    notify,
    notify_move,
    open_notification,
    unread_count,
    users_with_role,
)
from project.services.notifications.outbox import MailSettings, SendReport, backoff, send_outbox

__all__ = [
    "INBOX_LIMIT",
    "MailSettings",
    "SendReport",
    "alert_admins",
    "backoff",
    "case_path",
    "count_of",
    "deadline_notices",
    "inbox_of",
    "mark_all_read",
    "notify",
    "notify_move",
    "open_notification",
    "send_outbox",
    "unread_count",
    "users_with_role",
]

"""Alerts to the administrators about the system itself (not about a case): a full disk. Each is an e-mail to
every active admin, queued in the outbox when mail is configured, and at most one per kind per quarter hour
from one process, so a burst of failing requests does not bury the admins' mailboxes."""

from __future__ import annotations

from datetime import datetime, timedelta

from project import clock
from project.extensions import db
from project.models import OutboxMessage, Role
from project.services.audit import Actor, record_for
from project.services.notifications.inbox import _mail_is_on, users_with_role
from project.transaction import committing

QUIET_FOR = timedelta(minutes=15)
_last_sent: dict[str, datetime] = {}


def alert_admins(kind: str, subject: str, body: str, actor: Actor) -> int:
    """Queue ``subject`` and ``body`` to every active admin (audited as ``system.alerted``, by the person whose
    request met the fault); the number queued, 0 when mail is off or the same alert went out lately."""
    now = clock.now()
    if not _mail_is_on() or now - _last_sent.get(kind, datetime.min.replace(tzinfo=now.tzinfo)) < QUIET_FOR:
        return 0
    admins = users_with_role(Role.ADMIN)
    with committing("the alert"):
        for admin in admins:
            db.session.add(
                OutboxMessage(
                    to_address=admin.email,
                    subject=f"Casefile: {subject}",
                    body=body,
                    created_at=now,
                    next_attempt_at=now,
                    attempts=0,
                )
            )
        record_for(actor, "system.alerted", object_type="alert", detail={"kind": kind, "admins": len(admins)})
    _last_sent[kind] = now
    return len(admins)

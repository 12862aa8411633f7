"""Writing the audit trail. Callers add the event to the same transaction as the change it describes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from project import clock
from project.extensions import db
from project.models import AuditEvent, User


@dataclass(frozen=True)
class Actor:
    """Who is acting, and from which address: every use case takes one and writes it to the audit trail."""

    user: User
    remote_addr: str | None = None


def record(
    action: str,
    *,
    actor: User | None = None,
    object_type: str | None = None,
    object_id: object = None,
    remote_addr: str | None = None,
    case_id: int | None = None,
    detail: dict[str, Any] | None = None,
    session: Session | None = None,
) -> AuditEvent:
    """Add an audit event to the current session (or ``session``); the caller's commit makes it durable
    with the change."""
    event = AuditEvent(
        occurred_at=clock.now(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        remote_addr=remote_addr,
        case_id=case_id,
        detail=detail or {},
    )
    (session or db.session).add(event)
    return event


def record_for(
    actor: Actor,
    action: str,
    *,
    case_id: int | None = None,
    object_type: str | None = None,
    object_id: object = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """``record`` for a use case: the actor's user and address, and the case the event belongs to."""
    return record(
        action,
        actor=actor.user,
        object_type=object_type,
        object_id=object_id,
        remote_addr=actor.remote_addr,
        case_id=case_id,
        detail=detail,
    )

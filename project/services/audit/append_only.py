"""Notes, release reviews of exhibits, modifications of discipline at review and audit rows are only ever
added to (OWASP ASVS 4.0.3 7.3.3, 7.3.4).

Any change or deletion through the application is refused, whether through a loaded object or an ORM
``update()``/``delete()`` statement, and the attempt is itself written to the audit trail once the
refused transaction has rolled back (in a transaction of its own, so the refusal cannot undo it).
What goes around the application (SQL typed into the database) is what the hash chain catches.
"""

from __future__ import annotations

import traceback
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from project.database import listen_once
from project.models import (
    AppendOnlyAudit,
    AppendOnlyViolation,
    AuditEvent,
    ExhibitReleaseReview,
    Note,
    ProposalModification,
)
from project.services.audit import events

ATTEMPTS = "casefile_append_only_attempts"
CHAIN_WRITE = "casefile_audit_chain"  # execution option the hash chain sets on its own updates


def _refusal(record: str, record_id: object, change: str) -> Exception:
    if record == "audit_event":
        return AppendOnlyAudit(f"audit event {record_id} is append-only")
    if record == "release_review":
        return AppendOnlyViolation(f"release review {record_id} is append-only: record a new review instead")
    if record == "proposal_modification":
        return AppendOnlyViolation(f"modification {record_id} is append-only: modify the discipline again instead")
    return AppendOnlyViolation(f"note {record_id} is append-only: write a correcting note instead")


def _remember(session: Session | None, record: str, record_id: object, change: str) -> None:
    if session is None:
        return
    frames = reversed(traceback.extract_stack())
    caller = next(
        (
            f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
            for frame in frames
            if "/project/" in frame.filename and not frame.filename.endswith("append_only.py")
        ),
        None,
    )
    who: dict[str, Any] = {}
    if has_request_context():
        who["remote_addr"] = request.remote_addr
        if current_user and current_user.is_authenticated:
            who["actor_id"] = current_user.id
    session.info.setdefault(ATTEMPTS, []).append(
        {
            "record": record,
            "record_id": None if record_id is None else str(record_id),
            "change": change,
            "code": caller,
            **who,
        }
    )


GUARDED = (
    (AuditEvent, "audit_event"),
    (Note, "note"),
    (ExhibitReleaseReview, "release_review"),
    (ProposalModification, "proposal_modification"),
)


def install_append_only_guards() -> None:
    """Refuse every change or deletion of a note, a release review, a modification at review or an audit row,
    and audit each refused attempt."""
    for model, _record in GUARDED:
        listen_once(model, "before_update", _refuse_update)
        listen_once(model, "before_delete", _refuse_delete)
    listen_once(Session, "do_orm_execute", _refuse_bulk_changes)
    listen_once(Session, "after_transaction_end", _audit_attempts)


def _refuse(target: Any, change: str) -> None:
    record = next(record for model, record in GUARDED if isinstance(target, model))
    _remember(Session.object_session(target), record, target.id, change)
    raise _refusal(record, target.id, change)


def _refuse_update(_mapper: Any, _connection: Any, target: Any) -> None:
    _refuse(target, "update")


def _refuse_delete(_mapper: Any, _connection: Any, target: Any) -> None:
    _refuse(target, "delete")


def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    """``update(Note)`` and ``delete(AuditEvent)`` statements skip the per-object events: refuse them here."""
    if not (state.is_update or state.is_delete) or state.execution_options.get(CHAIN_WRITE):
        return
    mapper = state.bind_mapper
    for model, record in GUARDED:
        if mapper is not None and mapper.class_ is model:
            change = "bulk_update" if state.is_update else "bulk_delete"
            _remember(state.session, record, None, change)
            raise _refusal(record, "(bulk)", change)


def _audit_attempts(session: Session, transaction: SessionTransaction) -> None:
    """Once the outermost transaction has ended (rolled back), record each refused attempt."""
    if transaction.parent is not None or not session.info.get(ATTEMPTS):
        return
    attempts = session.info.pop(ATTEMPTS)
    with Session(bind=session.get_bind()) as own:
        for attempt in attempts:
            remote_addr, actor_id = attempt.pop("remote_addr", None), attempt.pop("actor_id", None)
            event_row = events.record(
                "record.change_refused",
                object_type=attempt["record"],
                object_id=attempt["record_id"],
                remote_addr=remote_addr,
                detail=attempt,
                session=own,
            )
            event_row.actor_id = actor_id
        own.commit()

"""The audit trail as a hash chain, and its verification.

Rows are chained as their transaction commits, after every other row it writes is locked: the transaction
then locks the chain's head row, numbers its new audit rows after the head and links each to the hash of
the one before. Taking the head last keeps the lock order the same for everyone (no deadlocks) and makes
concurrent transactions append one after the other.

The append-only records a transaction writes are sealed in its audit rows (``seals``), so the chain also
covers notes, release reviews and modifications at review.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from project.database import listen_once
from project.extensions import db
from project.models import AuditChainHead, AuditEvent
from project.services.audit import seals

GENESIS = "0" * 64
PENDING = "casefile_audit_pending"


def row_hash(event_row: Any, seq: int, prev_hash: str) -> str:
    """SHA-256 over a canonical JSON of the row's content, its place in the chain and the previous hash."""
    occurred = event_row.occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    content = {
        "seq": seq,
        "prev": prev_hash,
        "at": occurred,
        "actor": event_row.actor_id,
        "action": event_row.action,
        "object_type": event_row.object_type,
        "object_id": event_row.object_id,
        "case": event_row.case_id,
        "from": event_row.remote_addr,
        "detail": event_row.detail or {},
    }
    if event_row.seals:  # only rows that seal records carry the key: rows chained before seals keep their hash
        content["seals"] = event_row.seals
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def install_hash_chain() -> None:
    """Chain every audit row as its transaction commits (and forget the pending rows of a rollback)."""
    listen_once(Session, "after_flush", _collect)
    listen_once(Session, "after_flush", seals.collect)
    listen_once(Session, "before_commit", _chain)
    listen_once(Session, "after_soft_rollback", _forget)


def _collect(session: Session, _context: Any) -> None:
    new = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    if new:
        session.info.setdefault(PENDING, []).extend(new)


def _chain(session: Session) -> None:
    session.flush()
    sealed = seals.attach(session, list(session.info.get(PENDING, [])))
    pending: list[AuditEvent] = session.info.pop(PENDING, [])
    if not pending:
        return
    pending.sort(key=lambda row: row.id)
    seq, prev = _lock_head(session)
    for row in pending:
        seq += 1
        values: dict[str, Any] = {}
        if row.id in sealed:
            set_committed_value(row, "seals", sealed[row.id])
            values["seals"] = sealed[row.id]
        digest = row_hash(row, seq, prev)
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.id == row.id)
            .values(chain_seq=seq, prev_hash=prev, row_hash=digest, **values)
            .execution_options(synchronize_session=False, casefile_audit_chain=True)
        )
        prev = digest
    session.execute(update(AuditChainHead).where(AuditChainHead.id == 1).values(last_seq=seq, last_hash=prev))


def _forget(session: Session, _previous: Any) -> None:
    session.info.pop(PENDING, None)
    seals.forget(session)


def _lock_head(session: Session) -> tuple[int, str]:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(AuditChainHead).values(id=1, last_seq=0, last_hash=GENESIS).on_conflict_do_nothing())
    # A write to the head takes its lock (PostgreSQL row lock, SQLite write lock) before reading it.
    session.execute(update(AuditChainHead).where(AuditChainHead.id == 1).values(last_seq=AuditChainHead.last_seq))
    query = select(AuditChainHead.last_seq, AuditChainHead.last_hash).where(AuditChainHead.id == 1)
    head = session.execute(query).one()
    return int(head.last_seq), str(head.last_hash)


@dataclass(frozen=True)
class ChainReport:
    rows: int
    problems: list[str]
    records: int = 0  # append-only records checked against their seals

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(limit_problems: int = 20) -> ChainReport:
    """Walk the chain in order; report the first broken, inserted or missing rows (up to ``limit_problems``),
    then each append-only record edited, deleted or inserted since its seal was chained."""
    problems: list[str] = []
    sealed: dict[tuple[str, int], dict[str, Any]] = {}
    prev, expected_seq, rows = GENESIS, 1, 0
    unchained = db.session.scalars(select(AuditEvent.id).where(AuditEvent.chain_seq.is_(None)).limit(5)).all()
    problems.extend(
        f"audit row id {row_id} is not in the chain (inserted outside the application?)" for row_id in unchained
    )
    for row in db.session.execute(
        select(AuditEvent)
        .where(AuditEvent.chain_seq.is_not(None))
        .order_by(AuditEvent.chain_seq)
        .execution_options(yield_per=1000)
    ).scalars():
        rows += 1
        seq = int(row.chain_seq or 0)
        if seq != expected_seq:
            problems.append(f"audit rows {expected_seq} to {seq - 1} of the chain are missing")
        elif row.prev_hash != prev:
            problems.append(f"audit row {seq} (id {row.id}) does not follow the row before it")
        elif row_hash(row, seq, prev) != row.row_hash:
            problems.append(f"audit row {seq} (id {row.id}) was altered: its content no longer matches its hash")
        if len(problems) >= limit_problems:
            break
        seals.collect_from_chain(row, sealed)
        prev, expected_seq = row.row_hash or "", seq + 1
    head = db.session.get(AuditChainHead, 1)
    if head is not None and not problems and head.last_seq != expected_seq - 1:
        problems.append(f"audit rows {expected_seq} to {head.last_seq} at the end of the chain are missing")
    records, findings = seals.check_records(sealed)
    problems.extend(findings[: max(0, limit_problems - len(problems))])
    return ChainReport(rows=rows, problems=problems, records=records)

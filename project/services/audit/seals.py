"""Seals: the hash of each append-only record (notes, release reviews, modifications at review), field by
field, kept in the audit row its transaction wrote and so chained with it (issue 15, Deliver 3).

The guards of ``append_only`` refuse changes made through the application; a seal is what finds a change
made around it (SQL typed into the database): ``verify_chain`` re-hashes every record against its seal and
names each one that was edited, deleted, or inserted without a seal. A seal cannot be edited to match
without breaking the chain, and the chain cannot be rewritten to match without failing its signed
checkpoint (``anchor``).
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Select, Table, select
from sqlalchemy.orm import Session

from project.extensions import db
from project.models import AuditEvent, Case, CaseSubject, Exhibit, ExhibitReleaseReview, Note, ProposalModification
from project.services.audit import events
from project.transaction import committing

SEALED: dict[str, Any] = {
    "note": Note,
    "release_review": ExhibitReleaseReview,
    "proposal_modification": ProposalModification,
}
LABELS = {"note": "note", "release_review": "release review", "proposal_modification": "discipline modification"}
COLLECTED = "casefile_audit_sealable"  # session.info: (kind, id) of the records written in the transaction
REASON = "casefile_audit_seal_reason"  # session.info: why a "record.sealed" event is written, when one is
CHUNK = 500


def sealed_columns(table: Table) -> list[Column[Any]]:
    """Every column but the key and the foreign keys the database itself sets to NULL (``ondelete``)."""
    return [
        column
        for column in table.columns
        if not column.primary_key and not any((key.ondelete or "").upper() == "SET NULL" for key in column.foreign_keys)
    ]


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return value.hex()
    return value


def field_hashes(row: Any, table: Table) -> dict[str, str]:
    hashes = {}
    for column in sealed_columns(table):
        text = json.dumps(_canonical(row[column.name]), sort_keys=True, ensure_ascii=False, default=str)
        hashes[column.name] = hashlib.sha256(text.encode()).hexdigest()
    return hashes


def _case_query(kind: str) -> Select[int, int]:
    if kind == "note":
        return select(Note.id, Note.case_id)
    if kind == "release_review":
        return select(ExhibitReleaseReview.id, Exhibit.case_id).join(
            Exhibit, Exhibit.id == ExhibitReleaseReview.exhibit_id
        )
    return select(ProposalModification.id, CaseSubject.case_id).join(
        CaseSubject, CaseSubject.id == ProposalModification.subject_id
    )


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def seals_of(session: Session, kind: str, ids: list[int]) -> list[dict[str, Any]]:
    """The seals of the records ``ids`` of ``kind`` as the database now holds them."""
    model = SEALED[kind]
    table = model.__table__
    seals = []
    for chunk in _chunks(sorted(set(ids))):
        cases = {row[0]: row[1] for row in session.execute(_case_query(kind).where(model.id.in_(chunk)))}
        for row in session.execute(select(table).where(table.c.id.in_(chunk))).mappings():
            seals.append(
                {"record": kind, "id": row["id"], "case": cases.get(row["id"]), "fields": field_hashes(row, table)}
            )
    return seals


def collect(session: Session, _context: Any) -> None:
    """After a flush: remember the sealable records it inserted."""
    new = [(kind, obj) for obj in session.new for kind, model in SEALED.items() if isinstance(obj, model)]
    if new:
        session.info.setdefault(COLLECTED, []).extend((kind, obj.id) for kind, obj in new)


def forget(session: Session) -> None:
    session.info.pop(COLLECTED, None)


def attach(session: Session, pending: list[AuditEvent]) -> dict[int, list[dict[str, Any]]]:
    """Seal the records the transaction wrote: each in the audit row about it, else in a row of its case,
    else in a new "record.sealed" row of its case. Returns the seals by audit row id."""
    collected: list[tuple[str, int]] = session.info.pop(COLLECTED, [])
    reason = session.info.pop(REASON, "written without an audit row of its case in the same transaction")
    if not collected:
        return {}
    by_kind: dict[str, list[int]] = {}
    for kind, record_id in collected:
        by_kind.setdefault(kind, []).append(record_id)
    seals = [seal for kind, ids in by_kind.items() for seal in seals_of(session, kind, ids)]
    attached: dict[int, list[dict[str, Any]]] = {}
    created: dict[int | None, AuditEvent] = {}
    for seal in seals:
        row = next(
            (e for e in pending if e.object_type == seal["record"] and e.object_id == str(seal["id"])),
            None,
        ) or next((e for e in reversed(pending) if e.case_id is not None and e.case_id == seal["case"]), None)
        if row is None:
            if seal["case"] not in created:
                created[seal["case"]] = events.record(
                    "record.sealed", case_id=seal["case"], detail={"reason": reason}, session=session
                )
            row = created[seal["case"]]
        attached.setdefault(id(row), []).append(seal)
    if created:
        session.flush()
    rows = {id(row): row for row in [*pending, *created.values()]}
    return {rows[key].id: found for key, found in attached.items()}


def collect_from_chain(row: AuditEvent, sealed: dict[tuple[str, int], dict[str, Any]]) -> None:
    for seal in row.seals or []:
        sealed[(str(seal["record"]), int(seal["id"]))] = seal


def _case_numbers(case_ids: Iterable[int | None]) -> dict[int, str]:
    wanted = [case_id for case_id in set(case_ids) if case_id is not None]
    if not wanted:
        return {}
    return dict(db.session.execute(select(Case.id, Case.number).where(Case.id.in_(wanted))).all())


@dataclass
class _Finding:
    kind: str
    record_id: int
    case_id: int | None
    what: str


def _compare(kind: str, rows: Iterable[Any], sealed: dict[tuple[str, int], dict[str, Any]]) -> list[_Finding]:
    table = SEALED[kind].__table__
    findings, seen = [], set()
    for row in rows:
        seen.add(row["id"])
        seal = sealed.get((kind, row["id"]))
        case_id = row["case_id"]
        if seal is None:
            findings.append(_Finding(kind, row["id"], case_id, "unsealed"))
            continue
        changed = [name for name, digest in field_hashes(row, table).items() if seal["fields"].get(name) != digest]
        if changed:
            findings.append(_Finding(kind, row["id"], seal.get("case"), ", ".join(changed)))
    findings.extend(
        _Finding(kind, record_id, seal.get("case"), "deleted")
        for (seal_kind, record_id), seal in sorted(sealed.items())
        if seal_kind == kind and record_id not in seen
    )
    return findings


def _rows_with_case(kind: str, where: Any = None) -> Iterable[Any]:
    """The records of ``kind`` as stored, each with the id of its case (``case_id``)."""
    model = SEALED[kind]
    query: Select[Any]
    if kind == "note":
        query = select(model.__table__)
    elif kind == "release_review":
        query = select(model.__table__, Exhibit.case_id).join(Exhibit, Exhibit.id == model.exhibit_id)
    else:
        query = select(model.__table__, CaseSubject.case_id).join(CaseSubject, CaseSubject.id == model.subject_id)
    if where is not None:
        query = query.where(where)
    yield from db.session.execute(query.order_by(model.id).execution_options(yield_per=1000)).mappings()


def _message(finding: _Finding, numbers: dict[int, str]) -> str:
    label = LABELS[finding.kind]
    of_case = f" of {numbers[finding.case_id]}" if finding.case_id in numbers else ""
    if finding.what == "unsealed":
        return (
            f"{label} {finding.record_id}{of_case}: not sealed in the audit chain (written outside the application, "
            "or before sealing began: see `flask audit seal-existing`)"
        )
    if finding.what == "deleted":
        return f"{label} {finding.record_id}{of_case}: deleted since it was written"
    return f"{label} {finding.record_id}{of_case}: {finding.what} changed since it was written"


def check_records(sealed: dict[tuple[str, int], dict[str, Any]]) -> tuple[int, list[str]]:
    """Re-hash every append-only record against its seal: (records checked, one message per finding)."""
    findings: list[_Finding] = []
    checked = 0
    for kind in SEALED:
        rows = list(_rows_with_case(kind))
        checked += len(rows)
        findings.extend(_compare(kind, rows, sealed))
    numbers = _case_numbers(finding.case_id for finding in findings)
    return checked, [_message(finding, numbers) for finding in findings]


@dataclass(frozen=True)
class NoteIntegrity:
    """The notes of a case set against their seals. The case page shows an altered or unsealed note as not
    genuine, and a deleted one as missing. It trusts the seals as stored: ``flask audit verify`` is what
    proves the seals themselves (the chain and its signed checkpoint)."""

    altered: dict[int, str] = field(default_factory=dict)  # note id -> "body changed since it was written"
    deleted: list[int] = field(default_factory=list)
    unsealed: list[int] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not (self.altered or self.deleted or self.unsealed)

    def problem_of(self, note_id: int) -> str | None:
        if note_id in self.altered:
            return self.altered[note_id]
        if note_id in self.unsealed:
            return "not sealed in the audit trail when it was written"
        return None


def note_integrity(case: Case) -> NoteIntegrity:
    """Check each note of ``case`` against the seal written with it."""
    sealed: dict[tuple[str, int], dict[str, Any]] = {}
    for seals in db.session.scalars(
        select(AuditEvent.seals).where(AuditEvent.case_id == case.id, AuditEvent.seals.is_not(None))
    ):
        for seal in seals or []:
            if seal["record"] == "note" and seal.get("case") == case.id:
                sealed[("note", int(seal["id"]))] = seal
    findings = _compare("note", _rows_with_case("note", Note.case_id == case.id), sealed)
    integrity = NoteIntegrity()
    for finding in findings:
        if finding.what == "deleted":
            integrity.deleted.append(finding.record_id)
        elif finding.what == "unsealed":
            integrity.unsealed.append(finding.record_id)
        else:
            integrity.altered[finding.record_id] = f"{finding.what} changed since it was written"
    return integrity


def unsealed_records() -> list[tuple[str, int]]:
    sealed: set[tuple[str, int]] = set()
    for seals in db.session.scalars(select(AuditEvent.seals).where(AuditEvent.seals.is_not(None))):
        sealed.update((str(seal["record"]), int(seal["id"])) for seal in seals or [])
    return [
        (kind, record_id)
        for kind, model in SEALED.items()
        for record_id in db.session.scalars(select(model.id).order_by(model.id))
        if (kind, record_id) not in sealed
    ]


def seal_existing() -> int:
    """Seal every record that has no seal (those written before sealing began), as it stands now, in a
    "record.sealed" audit row of its case. Returns how many were sealed."""
    missing = unsealed_records()
    if missing:
        with committing("the seals of existing records"):
            db.session.info.setdefault(COLLECTED, []).extend(missing)
            db.session.info[REASON] = "sealed as found by `flask audit seal-existing`"
    return len(missing)

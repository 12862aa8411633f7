"""An award, a settlement or a grievance decision that modifies or rescinds discipline on record. The record
keeps both: the step and days as imposed stay, and the modification is stored beside them with its date,
source, reason and who recorded it. Prior discipline is weighed as modified (``weighing``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from project import clock, permissions
from project.models import DisciplineRecord, DisciplineStep
from project.services.audit import Actor, record_for
from project.services.errors import InvalidInput
from project.transaction import committing

MODIFICATION_SOURCES = ("award", "settlement", "grievance")
MAX_REASON = 2_000


@dataclass(frozen=True)
class RecordModificationInput:
    """What the award or settlement did (field names are a form's): ``rescinded``, or the step (a code of the
    record's ladder) and days it substituted; the day it was decided, its source, and the reason."""

    source: str
    modified_on: date | None
    reason: str
    rescinded: bool = False
    step: str = ""
    suspension_days: int | None = None


def _snapshot(record: DisciplineRecord) -> dict[str, object]:
    return {
        "step": record.effective_step.code,
        "suspension_days": record.effective_suspension_days,
        "rescinded": record.rescinded,
        "modified_on": record.modified_on.isoformat() if record.modified_on else None,
        "source": record.modification_source,
        "reason": record.modification_reason,
    }


def _checked(record: DisciplineRecord, entry: RecordModificationInput) -> DisciplineStep | None:
    errors: dict[str, str] = {}
    if entry.source not in MODIFICATION_SOURCES:
        errors["source"] = "Choose award, settlement or grievance."
    if entry.modified_on is None:
        errors["modified_on"] = "Give the date of the award, settlement or decision."
    elif entry.modified_on < record.imposed_on or entry.modified_on > clock.local_today():
        errors["modified_on"] = f"The date must be from {record.imposed_on.isoformat()} to today."
    reason = entry.reason.strip()
    if not reason:
        errors["reason"] = "Give the reason for the modification; it is kept with the record."
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"The reason is longer than {MAX_REASON} characters."
    step = _substitute(record, entry, errors)
    if errors:
        raise InvalidInput(errors)
    return step


def _substitute(
    record: DisciplineRecord, entry: RecordModificationInput, errors: dict[str, str]
) -> DisciplineStep | None:
    """The step an award or settlement substituted (None when it rescinded the record), its errors noted."""
    if entry.rescinded:
        if entry.step or entry.suspension_days:
            errors["step"] = "A rescinded record has no substitute step."
        return None
    step = next((s for s in record.step.ladder.steps if s.code == entry.step.strip()), None)
    if step is None:
        errors["step"] = "Choose the step the award or settlement substituted, or rescind the record."
    elif step.takes_days and not (entry.suspension_days and entry.suspension_days > 0):
        errors["suspension_days"] = "A suspension needs its number of days."
    elif not step.takes_days and entry.suspension_days:
        errors["suspension_days"] = f"Only a suspension takes a number of days, not a {step.name.lower()}."
    return step


def modify_discipline_record(
    record: DisciplineRecord, entry: RecordModificationInput, actor: Actor
) -> DisciplineRecord:
    """Record that an award, a settlement or a grievance decision modified or rescinded the discipline
    (labor relations only; the reason is required; audited with the record before and after)."""
    check_record_modification(record, entry, actor)
    with committing("the discipline record"):
        apply_record_modification(record, entry, actor)
    return record


def check_record_modification(record: DisciplineRecord, entry: RecordModificationInput, actor: Actor) -> None:
    """Refuse the modification the way ``apply_record_modification`` would, without changing anything."""
    permissions.require(
        permissions.can_modify_discipline_records(actor.user),
        "Only labor relations records an award or a settlement.",
    )
    _checked(record, entry)


def apply_record_modification(record: DisciplineRecord, entry: RecordModificationInput, actor: Actor) -> None:
    """The modification and its audit event inside the caller's transaction: the use case that records an
    award, a settlement or a step decision commits it together with its own records."""
    check_record_modification(record, entry, actor)
    step = _checked(record, entry)
    before = _snapshot(record)
    record.rescinded = entry.rescinded
    record.modified_step_id = step.id if step is not None else None
    record.modified_step = step
    record.modified_suspension_days = entry.suspension_days if step is not None and step.takes_days else None
    record.modified_on = entry.modified_on
    record.modification_source = entry.source
    record.modification_reason = entry.reason.strip()
    record.modified_by_id = actor.user.id
    record_for(
        actor,
        "discipline.record_modified",
        case_id=record.case_id,
        object_type="discipline_records",
        object_id=record.id,
        detail={"before": before, "after": _snapshot(record)},
    )

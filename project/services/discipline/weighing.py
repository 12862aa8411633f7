"""Weighing an employee's discipline records on the date of the conduct: which count as prior offences and
which are set aside, and why. A record counts when it was imposed before the conduct, is still active on
the conduct date (its look-back measured to that date, the end day included), was not rescinded, and, when
the matrix row escalates only on related offences, is of a related offence class. Records are weighed as
modified by an award, a settlement or a grievance decision; the description keeps both."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select

from project.extensions import db
from project.models import DisciplineRecord, DisciplineStep, Employee
from project.services.discipline.lookback import Lookback, add_months, lookback_for
from project.services.discipline.matrix import Escalation


@dataclass(frozen=True)
class Weighed:
    """One disciplinary record as the suggestion weighed it: ``reason`` is empty when it counted, else why
    it was set aside. ``step`` and ``suspension_days`` are as modified; ``imposed_step`` as imposed."""

    record_id: int
    step: DisciplineStep
    imposed_step: DisciplineStep
    imposed_on: date
    active_until: date | None
    lookback: Lookback
    suspension_days: int | None
    source: str  # import | case
    case_id: int | None
    note: str
    offence_class: str | None
    modification: str
    rescinded: bool
    imposed_days_text: str = ""
    reason: str = ""

    @property
    def counted(self) -> bool:
        return not self.reason

    def counts_on(self, day: date) -> bool:
        return (
            not self.rescinded
            and self.step.is_discipline
            and self.imposed_on < day
            and (self.active_until is None or day <= self.active_until)
        )

    @property
    def description(self) -> str:
        """``Written reprimand of 2026-03-01 active until 2028-03-01``, with any award or settlement."""
        days = f" ({self.imposed_days_text})" if self.imposed_days_text else ""
        text = f"{self.imposed_step.name}{days} of {self.imposed_on.isoformat()}"
        if self.modification:
            text += f", {self.modification}"
        if self.rescinded or not self.step.is_discipline:
            return text
        until = f"active until {self.active_until.isoformat()}" if self.active_until else "which does not lapse"
        return f"{text} {until}"


def _weighed(record: DisciplineRecord, employee: Employee) -> Weighed:
    step = record.effective_step
    lookback = lookback_for(step, employee)
    modification = ""
    if record.is_modified and record.modified_on is not None:
        by = f"{record.modification_source} of {record.modified_on.isoformat()}"
        if record.rescinded:
            modification = f"rescinded by {by}"
        elif record.modified_step is not None:
            days = f" ({record.modified_suspension_days} days)" if record.modified_suspension_days else ""
            modification = f"as imposed; modified by {by} to {step.name.lower()}{days}"
    return Weighed(
        record_id=record.id,
        step=step,
        imposed_step=record.step,
        imposed_on=record.imposed_on,
        active_until=add_months(record.imposed_on, lookback.months) if lookback.months else None,
        lookback=lookback,
        suspension_days=record.effective_suspension_days,
        source=record.source,
        case_id=record.case_id,
        note=record.note,
        offence_class=record.offence_class,
        modification=modification,
        rescinded=record.rescinded,
        imposed_days_text=f"{record.suspension_days} days" if record.suspension_days else "",
    )


def records_on_file(employee: Employee, exclude_case_id: int | None) -> list[Weighed]:
    """Every record of the employee on the active record, oldest first, not yet weighed (``reason`` empty).
    An expunged record (issue 18: sealed by a retention rule) is not on it: it neither counts nor is named."""
    query = (
        select(DisciplineRecord)
        .where(DisciplineRecord.employee_id == employee.id, DisciplineRecord.expunged_on.is_(None))
        .order_by(DisciplineRecord.imposed_on, DisciplineRecord.id)
    )
    if exclude_case_id is not None:
        query = query.where((DisciplineRecord.case_id.is_(None)) | (DisciplineRecord.case_id != exclude_case_id))
    return [_weighed(record, employee) for record in db.session.scalars(query)]


def set_aside_reason(entry: Weighed, conduct: date, escalation: Escalation | None) -> str:
    """Why a record does not count as a prior offence for conduct on ``conduct``; empty when it counts."""
    if entry.rescinded:
        return entry.modification
    if not entry.step.is_discipline:
        return f"{entry.step.name.lower()} is not discipline"
    if entry.imposed_on >= conduct:
        return f"imposed after the conduct (on or after the conduct date {conduct.isoformat()})"
    if entry.active_until is not None and entry.active_until < conduct:
        return f"lapsed on {entry.active_until.isoformat()}, before the conduct date ({entry.lookback.description})"
    if escalation is not None and escalation.related is not None:
        if entry.offence_class is None:
            return "its offence class is unknown, and only a related offence escalates"
        if entry.offence_class not in escalation.related:
            return f"offence class {entry.offence_class} is not related ({', '.join(sorted(escalation.related))})"
    return ""


def weigh(
    employee: Employee, conduct: date, escalation: Escalation | None, exclude_case_id: int | None = None
) -> list[Weighed]:
    return [
        replace(entry, reason=set_aside_reason(entry, conduct, escalation))
        for entry in records_on_file(employee, exclude_case_id)
    ]


def prior_active_discipline(employee: Employee, on: date, *, exclude_case_id: int | None = None) -> list[Weighed]:
    """The employee's discipline imposed before ``on`` and still active on it (as modified; of any offence
    class), oldest first. ``exclude_case_id``: leave out what was imposed on the case being decided."""
    return [entry for entry in weigh(employee, on, None, exclude_case_id) if entry.counted]

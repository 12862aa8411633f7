"""AD 2.6 progressive discipline: a subject's prior active discipline, the step the system suggests and why,
and the 60-day calendar-year cap on unpaid suspensions. The proposal made against the suggestion is in
``discipline_proposals``.

When a record counts. A disciplinary record counts on a day ``on`` when it was imposed on or before ``on``
and ``on`` is no later than its *active-until* date: the date it was imposed plus its step's
``active_months`` (discipline.toml), the end day included. So a written reprimand of 2026-03-01 with a
24-month look-back counts up to and including 2028-03-01 and no longer on 2028-03-02. Counseling is not
discipline and never counts. A disciplinary step with no ``active_months`` (dismissal) never lapses: an
employee back at work after a dismissal (reinstated by an award, or rehired) still has it on record, and
the suggestion says so rather than silently starting again at the bottom of the ladder.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from project.extensions import db
from project.models import (
    Allegation,
    CaseSubject,
    Clause,
    DirectiveVersion,
    DisciplineLadder,
    DisciplineMatrixEntry,
    DisciplineRecord,
    DisciplineStep,
    Employee,
)
from project.services import catalogue
from project.services.casework import allegations_of
from project.services.errors import CaseworkError

OFFENCE_WORDS = {1: "first offence", 2: "second offence", 3: "third or later offence"}


@dataclass(frozen=True)
class ActiveDiscipline:
    """One disciplinary record on file for an employee, with the last day it counts (None: it never lapses)."""

    record_id: int
    step: DisciplineStep
    imposed_on: date
    active_until: date | None
    suspension_days: int | None
    source: str  # import | case
    case_id: int | None
    note: str

    def counts_on(self, day: date) -> bool:
        return self.imposed_on <= day and (self.active_until is None or day <= self.active_until)

    @property
    def description(self) -> str:
        """``Written reprimand of 2026-03-01 active until 2028-03-01``."""
        days = f" ({self.suspension_days} days)" if self.suspension_days else ""
        until = f"active until {self.active_until.isoformat()}" if self.active_until else "which does not lapse"
        return f"{self.step.name}{days} of {self.imposed_on.isoformat()} {until}"


@dataclass(frozen=True)
class Suggestion:
    """The step the ladder suggests for a subject (None: no discipline) and the sentence that explains it."""

    step: DisciplineStep | None
    reason: str
    prior: list[ActiveDiscipline]
    matrix_used: bool


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the last day of the month when that month is shorter (01-31 -> 02-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def ladder_in_force(on: date) -> DisciplineLadder:
    ladder = catalogue.current_ladder(on)
    if ladder is None:
        raise CaseworkError(f"No AD 2.6 discipline ladder is in force on {on.isoformat()}: run `flask seed`.")
    return ladder


def step_by_code(ladder: DisciplineLadder, code: str) -> DisciplineStep | None:
    return next((step for step in ladder.steps if step.code == code), None)


# Prior discipline -------------------------------------------------------------------------------------


def _records_on_file(employee: Employee, on: date, exclude_case_id: int | None) -> list[ActiveDiscipline]:
    """Every disciplinary record imposed on or before ``on``, oldest first, active or lapsed."""
    query = (
        select(DisciplineRecord)
        .join(DisciplineRecord.step)
        .where(
            DisciplineRecord.employee_id == employee.id,
            DisciplineRecord.imposed_on <= on,
            DisciplineStep.is_discipline.is_(True),
        )
        .order_by(DisciplineRecord.imposed_on, DisciplineRecord.id)
    )
    if exclude_case_id is not None:
        query = query.where((DisciplineRecord.case_id.is_(None)) | (DisciplineRecord.case_id != exclude_case_id))
    return [
        ActiveDiscipline(
            record_id=record.id,
            step=record.step,
            imposed_on=record.imposed_on,
            active_until=add_months(record.imposed_on, record.step.active_months)
            if record.step.active_months
            else None,
            suspension_days=record.suspension_days,
            source=record.source,
            case_id=record.case_id,
            note=record.note,
        )
        for record in db.session.scalars(query)
    ]


def prior_active_discipline(
    employee: Employee, on: date, *, exclude_case_id: int | None = None
) -> list[ActiveDiscipline]:
    """The employee's discipline that still counts on ``on`` (imported or imposed on cases), oldest first.
    ``exclude_case_id``: leave out what was imposed on the case being decided."""
    return [entry for entry in _records_on_file(employee, on, exclude_case_id) if entry.counts_on(on)]


# The suggestion ---------------------------------------------------------------------------------------


def sustained_allegations_of(subject: CaseSubject) -> list[Allegation]:
    return [a for a in allegations_of(subject) if a.finding is not None and a.finding.supports_discipline]


def suggest_step(subject: CaseSubject, on: date) -> Suggestion:
    """The next step on the ladder after the subject's highest active prior discipline, moved into the
    discipline matrix's range for the sustained clauses when the matrix has one."""
    sustained = sustained_allegations_of(subject)
    records = _records_on_file(subject.employee, on, subject.case_id)
    prior = [entry for entry in records if entry.counts_on(on)]
    if not sustained:
        reason = f"No allegation against {subject.employee.display_name} is sustained, so no discipline."
        return Suggestion(step=None, reason=reason, prior=prior, matrix_used=False)
    ladder = ladder_in_force(on)
    steps = [step for step in ladder.steps if step.is_discipline]
    step, reason = _next_step(steps, prior, [entry for entry in records if not entry.counts_on(on)])
    clauses = sorted({a.clause.number for a in sustained if a.clause is not None and _is_ad_2_26(a.clause)})
    offence = min(len(prior) + 1, 3)
    entry = _matrix_range(ladder, clauses, offence)
    if entry is None:
        return Suggestion(step=step, reason=reason, prior=prior, matrix_used=False)
    low, high = entry.min_step, entry.max_step
    if step.rank < low.rank:
        step, outcome = low, f"so the suggestion is raised to {low.name.lower()}"
    elif step.rank > high.rank:
        step, outcome = high, f"so the suggestion is lowered to {high.name.lower()}"
    else:
        outcome = "and the suggestion is within that range"
    reason += (
        f" The discipline matrix for AD 2.26 section {entry.clause_number}, {OFFENCE_WORDS[offence]}, ranges "
        f"from {low.name.lower()} to {high.name.lower()}, {outcome}."
    )
    return Suggestion(step=step, reason=reason, prior=prior, matrix_used=True)


def _rank(step: DisciplineStep, steps: list[DisciplineStep]) -> int:
    """A step's rank on the ladder in force (a record may name a step of an older ladder by the same code)."""
    return next((s.rank for s in steps if s.code == step.code), step.rank)


def _next_step(
    steps: list[DisciplineStep], prior: list[ActiveDiscipline], lapsed: list[ActiveDiscipline]
) -> tuple[DisciplineStep, str]:
    if not prior:
        lapsed_text = f" ({'; '.join(_lower_first(e.description) for e in lapsed)})" if lapsed else ""
        return steps[0], f"No active prior discipline{lapsed_text}, so first step: {steps[0].name.lower()}."
    highest = max(prior, key=lambda e: (_rank(e.step, steps), e.imposed_on))
    higher = [s for s in steps if s.rank > _rank(highest.step, steps)]
    step = higher[0] if higher else steps[-1]
    top = "" if higher else ", already the top of the ladder"
    if len(prior) == 1:
        return step, f"{highest.description}{top}, so next step: {step.name.lower()}."
    listed = "; ".join(_lower_first(e.description) for e in prior)
    return step, (
        f"Active prior discipline: {listed}. The most severe is the {highest.step.name.lower()} of "
        f"{highest.imposed_on.isoformat()}{top}, so next step: {step.name.lower()}."
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _is_ad_2_26(clause: Clause) -> bool:
    version: DirectiveVersion = clause.version
    return version.directive.number == "2.26"


def _matrix_range(ladder: DisciplineLadder, clauses: Iterable[str], offence: int) -> DisciplineMatrixEntry | None:
    """The most severe range among the clauses' matrix entries for this offence (highest top, then bottom)."""
    entries = list(
        db.session.scalars(
            select(DisciplineMatrixEntry)
            .where(
                DisciplineMatrixEntry.ladder_id == ladder.id,
                DisciplineMatrixEntry.clause_number.in_(list(clauses)),
                DisciplineMatrixEntry.offence == offence,
            )
            .order_by(DisciplineMatrixEntry.clause_number)
        )
    )
    if not entries:
        return None
    return max(entries, key=lambda e: (e.max_step.rank, e.min_step.rank))


# The suspension cap -----------------------------------------------------------------------------------


def suspension_days_imposed(employee: Employee, year: int, *, exclude_case_id: int | None = None) -> int:
    """Days of suspension on the employee's records imposed in a calendar year."""
    query = (
        select(func.coalesce(func.sum(DisciplineRecord.suspension_days), 0))
        .join(DisciplineRecord.step)
        .where(
            DisciplineRecord.employee_id == employee.id,
            DisciplineStep.takes_days.is_(True),
            DisciplineRecord.imposed_on >= date(year, 1, 1),
            DisciplineRecord.imposed_on <= date(year, 12, 31),
        )
    )
    if exclude_case_id is not None:
        query = query.where((DisciplineRecord.case_id.is_(None)) | (DisciplineRecord.case_id != exclude_case_id))
    return int(db.session.scalar(query) or 0)


def suspension_cap_warning(
    employee: Employee, days: int | None, on: date, *, exclude_case_id: int | None = None
) -> str | None:
    """A warning when ``days`` more of suspension in ``on``'s calendar year would pass the ladder's cap."""
    if not days:
        return None
    cap = ladder_in_force(on).suspension_cap_days
    already = suspension_days_imposed(employee, on.year, exclude_case_id=exclude_case_id)
    if already + days <= cap:
        return None
    return (
        f"{employee.display_name} already has {already} day(s) of suspension imposed in {on.year}; {days} more "
        f"would make {already + days}, over the {cap}-day cap on unpaid suspensions in a calendar year."
    )

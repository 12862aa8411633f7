"""Progressive discipline under the department's configuration for applying AD 2.6: the step the system
suggests for a subject and why, line by line, and the 60-day calendar-year cap on unpaid suspensions
(C.G.S. 5-240(a)). The proposal made against the suggestion is in ``proposals``.

The suggestion is made on the date of the conduct (``conduct``), never on the day it is asked for: the
ladder is the one in force on that date, and prior offences are the records weighed on it (``weighing``).
The next step after the most severe record counted is moved into the discipline matrix's range for the
sustained clauses (``matrix``), then lowered past any step a title rule forbids (``lookback``). Counseling is
not discipline and never counts; a dismissal never lapses, so an employee back at work after one (reinstated
by an award, or rehired) still has it on record, and the suggestion says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from project.extensions import db
from project.models import (
    Allegation,
    CaseSubject,
    Clause,
    DirectiveVersion,
    DisciplineLadder,
    DisciplineRecord,
    DisciplineStep,
    Employee,
)
from project.services import catalogue
from project.services.casework import ConductDate, allegations_of
from project.services.discipline.conduct import conduct_date
from project.services.discipline.lookback import step_refusal
from project.services.discipline.matrix import escalation_for, matrix_range
from project.services.discipline.weighing import Weighed, weigh
from project.services.errors import CaseworkError
from project.wording import counted

OFFENCE_WORDS = {1: "first offence", 2: "second offence", 3: "third or later offence"}


@dataclass(frozen=True)
class Suggestion:
    """The step suggested for a subject (None: no discipline), the records it counted and set aside, and
    the explanation as lines to read one by one (``reason`` is the same lines, as stored on a proposal)."""

    step: DisciplineStep | None
    conduct: ConductDate
    lines: list[str]
    counted: list[Weighed] = field(default_factory=list)
    set_aside: list[Weighed] = field(default_factory=list)
    matrix_used: bool = False

    @property
    def reason(self) -> str:
        return "\n".join(self.lines)

    @property
    def prior(self) -> list[Weighed]:
        return self.counted


def ladder_in_force(on: date) -> DisciplineLadder:
    ladder = catalogue.current_ladder(on)
    if ladder is None:
        raise CaseworkError(f"No discipline ladder is in force on {on.isoformat()}: run `flask seed`.")
    return ladder


def step_by_code(ladder: DisciplineLadder, code: str) -> DisciplineStep | None:
    return next((step for step in ladder.steps if step.code == code), None)


def sustained_allegations_of(subject: CaseSubject) -> list[Allegation]:
    return [a for a in allegations_of(subject) if a.finding is not None and a.finding.supports_discipline]


def _sustained_clauses(subject: CaseSubject) -> list[str]:
    sustained = sustained_allegations_of(subject)
    return sorted({a.clause.number for a in sustained if a.clause is not None and _is_ad_2_26(a.clause)})


def weighed_priors(subject: CaseSubject) -> list[Weighed]:
    """The subject's discipline records (not those of this case), weighed on the conduct date for the sustained
    clauses, oldest first: each counted (``reason`` empty) or set aside with the reason."""
    conduct = conduct_date(subject)
    ladder = catalogue.current_ladder(conduct.day)
    escalation = escalation_for(ladder, _sustained_clauses(subject)) if ladder is not None else None
    return weigh(subject.employee, conduct.day, escalation, subject.case_id)


def suggest_step(subject: CaseSubject, on: date | None = None) -> Suggestion:
    """The suggestion on the date of the conduct. ``on`` (the day it is asked for) changes nothing: it is
    accepted so that callers written before the conduct date mattered keep working."""
    del on
    conduct = conduct_date(subject)
    lines = [f"Conduct date: {conduct.description}."]
    sustained = sustained_allegations_of(subject)
    if not sustained:
        lines.append(f"No allegation against {subject.employee.display_name} is sustained, so no discipline.")
        return Suggestion(step=None, conduct=conduct, lines=lines)
    ladder = ladder_in_force(conduct.day)
    lines.append(f"Ladder: {ladder.name}, in force on the conduct date ({ladder.source_label}).")
    clauses = _sustained_clauses(subject)
    escalation = escalation_for(ladder, clauses)
    if escalation.related is not None:
        lines.append(escalation.rule)
    weighed = weigh(subject.employee, conduct.day, escalation, subject.case_id)
    counted = [entry for entry in weighed if entry.counted]
    set_aside = [entry for entry in weighed if not entry.counted]
    lines.extend(_record_line(entry) for entry in weighed)
    if not weighed:
        lines.append("No discipline on file.")
    steps = [step for step in ladder.steps if step.is_discipline]
    step, next_line = _next_step(steps, counted)
    lines.append(next_line)
    offence = min(len(counted) + 1, 3)
    entry = matrix_range(ladder, clauses, offence)
    if entry is not None:
        low, high = entry.min_step, entry.max_step
        if step.rank < low.rank:
            step, outcome = low, f"so the suggestion is raised to {low.name.lower()}"
        elif step.rank > high.rank:
            step, outcome = high, f"so the suggestion is lowered to {high.name.lower()}"
        else:
            outcome = "and the suggestion is within that range"
        lines.append(
            f"Matrix row for AD 2.26 section {entry.clause_number}, {OFFENCE_WORDS[offence]} ({entry.source_label}): "
            f"{low.name.lower()} to {high.name.lower()}, {outcome}."
        )
    else:
        lines.append("No matrix row for the sustained clauses, so the ladder's next step stands.")
    step = _allowed(step, steps, subject.employee, lines)
    lines.append(f"Suggested: {step.name.lower()}.")
    return Suggestion(
        step=step, conduct=conduct, lines=lines, counted=counted, set_aside=set_aside, matrix_used=entry is not None
    )


def _record_line(entry: Weighed) -> str:
    if entry.counted:
        return f"Counted: {entry.description} ({entry.lookback.description})."
    return f"Set aside: {entry.description}: {entry.reason}."


def _rank(step: DisciplineStep, steps: list[DisciplineStep]) -> int:
    """A step's rank on the ladder in force (a record may name a step of an older ladder by the same code)."""
    return next((s.rank for s in steps if s.code == step.code), step.rank)


def _next_step(steps: list[DisciplineStep], counted: list[Weighed]) -> tuple[DisciplineStep, str]:
    if not counted:
        return steps[0], f"No prior discipline counted, so first step: {steps[0].name.lower()}."
    highest = max(counted, key=lambda e: (_rank(e.step, steps), e.imposed_on))
    higher = [s for s in steps if s.rank > _rank(highest.step, steps)]
    step = higher[0] if higher else steps[-1]
    top = ", already the top of the ladder" if not higher else ""
    return step, (
        f"The most severe record counted is the {highest.step.name.lower()} of {highest.imposed_on.isoformat()}"
        f"{top}, so next step: {step.name.lower()}."
    )


def _allowed(step: DisciplineStep, steps: list[DisciplineStep], employee: Employee, lines: list[str]) -> DisciplineStep:
    """The step, or the next lower one no title rule forbids (the lowest step if every one is forbidden)."""
    refusal = step_refusal(step, employee)
    if refusal is None:
        return step
    lower = [s for s in steps if s.rank < step.rank and step_refusal(s, employee) is None]
    allowed = lower[-1] if lower else steps[0]
    lines.append(f"{refusal}, so the suggestion is the next lower allowed step: {allowed.name.lower()}.")
    return allowed


def _is_ad_2_26(clause: Clause) -> bool:
    version: DirectiveVersion = clause.version
    return version.directive.number == "2.26"


# The suspension cap -----------------------------------------------------------------------------------


def suspension_days_imposed(employee: Employee, year: int, *, exclude_case_id: int | None = None) -> int:
    """Days of suspension on the employee's records imposed in a calendar year, as modified: a rescinded
    suspension counts no days, and one reduced by an award or settlement counts the days that remain."""
    query = select(DisciplineRecord).where(
        DisciplineRecord.employee_id == employee.id,
        DisciplineRecord.imposed_on >= date(year, 1, 1),
        DisciplineRecord.imposed_on <= date(year, 12, 31),
    )
    if exclude_case_id is not None:
        query = query.where((DisciplineRecord.case_id.is_(None)) | (DisciplineRecord.case_id != exclude_case_id))
    return sum(
        record.effective_suspension_days or 0
        for record in db.session.scalars(query)
        if not record.rescinded and record.effective_step.takes_days
    )


def suspension_cap_warning(
    employee: Employee, days: int | None, on: date, *, exclude_case_id: int | None = None
) -> str | None:
    """A warning when ``days`` more of suspension in ``on``'s calendar year would pass the ladder's cap."""
    if not days:
        return None
    ladder = ladder_in_force(on)
    cap = ladder.suspension_cap_days
    already = suspension_days_imposed(employee, on.year, exclude_case_id=exclude_case_id)
    if already + days <= cap:
        return None
    source = f" ({ladder.suspension_cap_authority})" if ladder.suspension_cap_authority else ""
    return (
        f"{employee.display_name} already has {counted(already, 'day')} of suspension imposed in {on.year}; "
        f"{days} more would make {already + days}, over the {cap}-day cap on unpaid suspensions in a calendar "
        f"year{source}."
    )

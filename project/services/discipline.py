"""AD 2.6 progressive discipline: a subject's prior active discipline, the step the system suggests and why,
the proposal (and any departure from the suggestion, which needs a written justification), and the
60-day calendar-year cap on unpaid suspensions.

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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from project import clock, permissions
from project.extensions import db
from project.models import (
    Allegation,
    Case,
    CaseSubject,
    Clause,
    DirectiveVersion,
    DisciplineLadder,
    DisciplineMatrixEntry,
    DisciplineProposal,
    DisciplineRecord,
    DisciplineStep,
    Employee,
)
from project.services import catalogue
from project.services.audit import Actor, record_for
from project.services.errors import CaseworkError, InvalidInput, StaleEdit, check_version
from project.services.readiness import allegations_of, proposal_of
from project.services.workflow import commit, content_changed

MAX_JUSTIFICATION = 20_000
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
        query = query.where(
            (DisciplineRecord.case_id.is_(None)) | (DisciplineRecord.case_id != exclude_case_id)
        )
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
            select(DisciplineMatrixEntry).where(
                DisciplineMatrixEntry.ladder_id == ladder.id,
                DisciplineMatrixEntry.clause_number.in_(list(clauses)),
                DisciplineMatrixEntry.offence == offence,
            ).order_by(DisciplineMatrixEntry.clause_number)
        )
    )
    if not entries:
        return None
    return max(entries, key=lambda e: (e.max_step.rank, e.min_step.rank))


# Proposals --------------------------------------------------------------------------------------------


def _checked_step(
    ladder: DisciplineLadder, subject: CaseSubject, step_code: str, days: int | None
) -> DisciplineStep:
    step = step_by_code(ladder, (step_code or "").strip())
    if step is None:
        raise InvalidInput({"step": "Choose a step from the AD 2.6 ladder."})
    if step.is_discipline and not sustained_allegations_of(subject):
        raise InvalidInput({"step": f"No allegation against {subject.employee.display_name} is sustained, so no "
                                    "discipline can be proposed: propose counseling or nothing."})
    if step.takes_days and (days is None or not 1 <= days <= ladder.suspension_cap_days):
        raise InvalidInput({"suspension_days": f"A suspension needs its number of days, from 1 to "
                                               f"{ladder.suspension_cap_days}."})
    if not step.takes_days and days:
        raise InvalidInput({"suspension_days": f"Only a suspension takes a number of days, not a "
                                               f"{step.name.lower()}."})
    return step


def _check_subject(case: Case, subject: CaseSubject) -> None:
    if subject.case_id != case.id:
        raise InvalidInput({"subject": "Choose a subject of this case."})


def _check_proposal_version(proposal: DisciplineProposal | None, expected_version: int | None) -> None:
    """``expected_version`` is the row version the person saw, or None when they saw no proposal at all."""
    if proposal is not None and expected_version is None:
        raise StaleEdit("this discipline proposal")
    if proposal is not None:
        check_version(proposal.row_version, expected_version, "this discipline proposal")


def _snapshot(proposal: DisciplineProposal | None) -> dict[str, object] | None:
    if proposal is None:
        return None
    return {
        "step": proposal.proposed_step.code,
        "suspension_days": proposal.suspension_days,
        "suggested": proposal.suggested_step.code if proposal.suggested_step else None,
        "justification": proposal.departure_justification,
    }


def _store(
    subject: CaseSubject, proposal: DisciplineProposal | None, suggestion: Suggestion, step: DisciplineStep,
    days: int | None, justification: str, actor: Actor,
) -> DisciplineProposal:
    if proposal is None:
        proposal = DisciplineProposal(subject_id=subject.id)
        db.session.add(proposal)
    proposal.suggested_step = suggestion.step
    proposal.suggestion_reason = suggestion.reason
    proposal.proposed_step = step
    proposal.suspension_days = days if step.takes_days else None
    proposal.departure_justification = justification
    proposal.proposed_by_id = actor.user.id
    proposal.proposed_at = clock.now()
    db.session.flush()
    return proposal


@contextmanager
def saving(what: str) -> Iterator[None]:
    """The changes of a use case and its one commit. A concurrent save - a stale row version, or a second
    "one per subject" row created at the same moment - becomes ``StaleEdit``; any failure rolls all of it back,
    also when it happens at a flush before the commit. (A companion of ``workflow.commit``.)"""
    try:
        yield
        commit(what)
    except (StaleDataError, IntegrityError) as exc:
        db.session.rollback()
        raise StaleEdit(what) from exc
    except Exception:
        db.session.rollback()
        raise


def departs_from(suggestion: Suggestion, step: DisciplineStep) -> bool:
    """Whether a proposed step is not the suggested one (counseling is no departure from "no discipline")."""
    if suggestion.step is None:
        return step.is_discipline
    return step.id != suggestion.step.id


def propose_discipline(
    case: Case, subject: CaseSubject, step_code: str, suspension_days: int | None, justification: str,
    actor: Actor, expected_version: int | None,
) -> DisciplineProposal:
    """Create or update the subject's one proposal, storing the suggestion it was made against. A step other
    than the suggested one needs a written justification."""
    permissions.require(permissions.can_edit_case(actor.user, case))
    _check_subject(case, subject)
    proposal = proposal_of(subject)
    _check_proposal_version(proposal, expected_version)
    today = clock.local_today()
    step = _checked_step(ladder_in_force(today), subject, step_code, suspension_days)
    suggestion = suggest_step(subject, today)
    justification = (justification or "").strip()
    if len(justification) > MAX_JUSTIFICATION:
        raise InvalidInput({"justification": f"The justification is at most {MAX_JUSTIFICATION:,} characters."})
    if departs_from(suggestion, step) and not justification:
        suggested = suggestion.step.name.lower() if suggestion.step else "no discipline"
        raise InvalidInput({"justification": f"The suggested step is {suggested}; proposing "
                                             f"{step.name.lower()} instead needs a written justification."})
    before = _snapshot(proposal)
    with saving("this discipline proposal"):
        proposal = _store(subject, proposal, suggestion, step, suspension_days, justification, actor)
        content_changed(case, actor, "discipline proposed")
        record_for(actor, "discipline.proposed", case_id=case.id, object_type="discipline_proposal",
                   object_id=proposal.id, detail={"subject": subject.employee.employee_number, "before": before,
                                                  "after": _snapshot(proposal), "reason": suggestion.reason})
    return proposal


def withdraw_proposal(case: Case, subject: CaseSubject, actor: Actor, expected_version: int | None) -> None:
    """Remove the subject's proposal (e.g. after the findings changed and nothing is sustained any more)."""
    permissions.require(permissions.can_edit_case(actor.user, case))
    _check_subject(case, subject)
    proposal = proposal_of(subject)
    if proposal is None:
        raise InvalidInput({"step": f"{subject.employee.display_name} has no discipline proposal."})
    check_version(proposal.row_version, expected_version, "this discipline proposal")
    before = _snapshot(proposal)
    with saving("this discipline proposal"):
        db.session.delete(proposal)
        content_changed(case, actor, "discipline proposal withdrawn")
        record_for(actor, "discipline.withdrawn", case_id=case.id, object_type="discipline_proposal",
                   object_id=proposal.id, detail={"subject": subject.employee.employee_number, "before": before})


def modify_proposal_at_review(
    case: Case, subject: CaseSubject, step_code: str, days: int | None, reason: str, actor: Actor,
    expected_version: int | None = None,
) -> DisciplineProposal:
    """A reviewing supervisor changes the proposal before "approve with modification". The reason is required;
    when the new step departs from the suggestion, the reason is its written justification."""
    permissions.require(permissions.can_review(actor.user, case), "You may not review this case.")
    _check_subject(case, subject)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": "The reason for the modification is required."})
    if len(reason) > MAX_JUSTIFICATION:
        raise InvalidInput({"reason": f"The reason is at most {MAX_JUSTIFICATION:,} characters."})
    proposal = proposal_of(subject)
    if proposal is not None:
        check_version(proposal.row_version, expected_version, "this discipline proposal")
    today = clock.local_today()
    step = _checked_step(ladder_in_force(today), subject, step_code, days)
    suggestion = suggest_step(subject, today)
    before = _snapshot(proposal)
    justification = reason if departs_from(suggestion, step) else ""
    with saving("this discipline proposal"):
        proposal = _store(subject, proposal, suggestion, step, days, justification, actor)
        content_changed(case, actor, "discipline modified at review")
        record_for(actor, "discipline.modified_at_review", case_id=case.id, object_type="discipline_proposal",
                   object_id=proposal.id, detail={"subject": subject.employee.employee_number, "before": before,
                                                  "after": _snapshot(proposal), "reason": reason})
    return proposal


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

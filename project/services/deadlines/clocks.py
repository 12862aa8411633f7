"""Every clock of many cases at once, in a fixed number of queries, and the lists built from them: a case's
deadlines, labor relations' list, and what is due soon (within each rule's ``warn_days``) or overdue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from project.extensions import db
from project.models import (
    Case,
    CaseState,
    CaseSubject,
    CaseTransition,
    DeadlineRule,
    DisciplineProposal,
    DisciplineStep,
    LaborAction,
    ProposalModification,
    User,
)
from project.services.deadlines.case_dates import case_dates, case_ids
from project.services.deadlines.grievance_clocks import grievance_clocks
from project.services.deadlines.rules import DUE, MET, NOT_BEFORE, OVERDUE, Deadline, Facts, applies, evaluate, rules
from project.services.visibility import visible_to

LABOR_RELATIONS_STATES = (CaseState.APPROVED.value, CaseState.DISCIPLINE.value)
NOT_CLOSED = tuple(state.value for state in CaseState if state is not CaseState.CLOSED)
INVESTIGATION_TRIGGERS = frozenset({"department_knew"})  # clocks listed before the case reaches labor relations


@dataclass(frozen=True)
class Clock:
    """One rule's clock for one subject, by ids: what counts and filters need, without loading the records."""

    case_id: int
    subject_id: int
    rule: DeadlineRule
    trigger_on: date
    on: date
    status: str
    done_on: date | None
    label: str
    case_state: str = ""

    @property
    def investigation(self) -> bool:
        """The investigation's own clock (the others are labor relations')."""
        return self.rule.trigger in INVESTIGATION_TRIGGERS

    @property
    def listed(self) -> bool:
        """Whether the lists and counts show it: labor relations' clocks once the case is approved, the
        investigation's before."""
        return self.investigation or self.case_state in LABOR_RELATIONS_STATES


def is_due_soon(found: Clock | Deadline, today: date) -> bool:
    """Due (not yet met) within the rule's warning days: what the lists and the notices call "due soon"."""
    return found.status == DUE and found.on <= today + timedelta(days=found.rule.warn_days)


def _modified_steps(cases: Any) -> dict[int, int]:
    """The step of each subject's latest modification at review since the case was last submitted: the step
    the approval covers when the supervisor changed the investigator's proposal (``discipline.approved_discipline``,
    in one grouped query). Content versions only grow, so the newest submission has the highest version."""
    last_submitted = (
        select(CaseTransition.case_id, func.max(CaseTransition.content_version).label("version"))
        .where(CaseTransition.case_id.in_(case_ids(cases)), CaseTransition.action == "submitted")
        .group_by(CaseTransition.case_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ProposalModification.subject_id, ProposalModification.step_id)
        .join(CaseSubject, CaseSubject.id == ProposalModification.subject_id)
        .join(last_submitted, last_submitted.c.case_id == CaseSubject.case_id)
        .where(ProposalModification.content_version > last_submitted.c.version)
        .order_by(ProposalModification.id)
    )
    return {subject_id: step_id for subject_id, step_id in rows}  # a later modification replaces an earlier one


def clocks(today: date, cases: Any, listed_only: bool = False) -> list[Clock]:
    """Every running clock of the subjects of the cases meeting the condition ``cases``: the subjects' dated
    events in one query of plain rows, the dates that start or meet them in one more (``case_dates``), whatever
    the number of cases.
    ``listed_only``: before labor relations has the case, only the investigation's clock (what the lists show)."""
    rows = db.session.execute(
        select(
            CaseSubject.case_id,
            CaseSubject.id,
            Case.state,
            Case.received_at,
            LaborAction.imposed_step_id,
            DisciplineProposal.proposed_step_id,
            LaborAction.decision_on,
            LaborAction.notice_issued_on,
            LaborAction.effective_on,
            LaborAction.employee_copy_on,
            LaborAction.personnel_office_notified_on,
            LaborAction.immediate_dismissal,
        )
        .join(Case, Case.id == CaseSubject.case_id)
        .outerjoin(LaborAction, LaborAction.subject_id == CaseSubject.id)
        .outerjoin(DisciplineProposal, DisciplineProposal.subject_id == CaseSubject.id)
        .where(cases)
        .order_by(CaseSubject.id)
    ).all()
    if not rows:
        return []
    steps = {step.id: step for step in db.session.scalars(select(DisciplineStep))}
    dates, modified = case_dates(cases, {row[0]: row[3] for row in rows}), _modified_steps(cases)
    all_rules = rules()
    investigation_rules = [rule for rule in all_rules if rule.trigger in INVESTIGATION_TRIGGERS]
    found = []
    for row in rows:
        case_id, subject_id, state, _received, imposed_id, proposed_id = row[:6]
        decision_on, notice_on, effective_on, copy_on, reported_on, is_immediate = row[6:]
        step_id = imposed_id or modified.get(subject_id) or proposed_id
        step = steps.get(step_id) if step_id else None
        facts = Facts(
            approved_on=dates.approved.get(case_id),
            decision_on=decision_on,
            notice_issued_on=notice_on,
            effective_on=effective_on,
            employee_copy_on=copy_on,
            release_notice_on=dates.newest_notice.get(case_id),
            department_knew_on=dates.knew.get(case_id),
            first_decided_on=dates.first_decided.get(case_id),
            personnel_office_notified_on=reported_on,
            immediate_dismissal=bool(is_immediate),
        )
        wanted = all_rules if not listed_only or state in LABOR_RELATIONS_STATES else investigation_rules
        for rule in wanted:
            result = evaluate(rule, facts, today, step) if applies(rule, step) else None
            if result is not None:
                found.append(Clock(case_id, subject_id, rule, *result, case_state=state))
    for case_id, subject_id, state, rule, trigger_on, on, status, done_on, label in grievance_clocks(today, cases):
        found.append(Clock(case_id, subject_id, rule, trigger_on, on, status, done_on, label, case_state=state))
    return found


def _deadlines_of(cases: Iterable[Case], today: date, found: list[Clock] | None = None) -> list[Deadline]:
    """The clocks of these (loaded) cases as deadlines that carry their case and subject."""
    by_id = {case.id: case for case in cases}
    if not by_id:
        return []
    subjects = {subject.id: subject for case in by_id.values() for subject in case.subjects}
    if found is None:
        found = clocks(today, Case.id.in_(list(by_id)))
    return [
        Deadline(c.rule, by_id[c.case_id], subjects[c.subject_id], c.trigger_on, c.on, c.status, c.done_on, c.label)
        for c in found
        if c.case_id in by_id and c.subject_id in subjects
    ]


def case_deadlines(case: Case, today: date) -> list[Deadline]:
    """Each subject's clocks, in subject order then by date. The investigation's clock shows while it runs:
    once the case is approved or closed it is no longer the case's deadline."""
    found = [
        d for d in _deadlines_of([case], today) if not (d.rule.trigger in INVESTIGATION_TRIGGERS and d.status == MET)
    ]
    return sorted(found, key=lambda d: (d.subject.id, d.on, d.rule.id))


def _listed(found: Clock, today: date, horizon: date | None) -> bool:
    if not found.listed:
        return False
    until = horizon if horizon is not None else today + timedelta(days=found.rule.warn_days)
    return (
        found.status == OVERDUE
        or (found.status == DUE and found.on <= until)
        or (found.status == NOT_BEFORE and today <= found.on <= until)
    )


def open_clocks(today: date, within_days: int | None = None, cases: Any = None) -> list[Clock]:
    """Across the cases not closed (those meeting ``cases`` too, if given): everything overdue, what falls
    due soon (within the rule's ``warn_days``, or within ``within_days`` when given), and earliest effective
    dates coming up in that window. Labor relations' clocks are those of approved and discipline
    cases; the investigation's clock runs on the cases before they are approved."""
    condition = Case.state.in_(NOT_CLOSED)  # an IN the state index answers; "!= closed" reads every case
    horizon = today + timedelta(days=within_days) if within_days is not None else None
    found = clocks(today, condition if cases is None else and_(condition, cases), listed_only=True)
    return [c for c in found if _listed(c, today, horizon)]


def open_deadlines(today: date, within_days: int | None = None, seen_by: User | None = None) -> list[Deadline]:
    """``open_clocks`` for labor relations' list, with their cases and subjects loaded. Soonest first. With
    ``seen_by``, only the deadlines of cases that person may see."""
    listed = open_clocks(today, within_days)
    ids = sorted({c.case_id for c in listed})
    cases = (
        db.session.scalars(
            select(Case)
            .where(Case.id.in_(ids), *([visible_to(seen_by)] if seen_by is not None else []))
            .options(selectinload(Case.subjects).selectinload(CaseSubject.employee))
        ).all()
        if ids
        else []
    )
    found = _deadlines_of(cases, today, listed)
    return sorted(found, key=lambda d: (d.on, d.case.number, d.subject.id, d.rule.id))

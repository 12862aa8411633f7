"""The clocks labor relations lives by (seed_data/deadlines.toml): what is due, overdue, met, or may not
happen before a date, per subject of a case and across all cases in labor relations' hands.

A rule runs ``days`` (calendar or business) after its trigger event, for the discipline steps it applies to
(the step imposed, or else the step proposed and approved). Trigger events:

  decision_to_discipline        LaborAction.decision_on, or else the local date of the standing approval
  notice_issued                 LaborAction.notice_issued_on
  disciplinary_document_issued  LaborAction.notice_issued_on (the notice is the disciplinary document)

What meets a rule: a ``not_before`` rule is met by the effective date; a ``due_within`` rule by the event
``COMPLETED_BY`` names for its trigger (the decision is answered by the written notice, a disciplinary
document by the employee's copy). A rule whose trigger has not happened yet has no clock and is not listed.

Business days skip Saturdays and Sundays only. State holidays are NOT configured yet: ``holidays()`` is the
extension point (return the dates, e.g. from a seed file). Until then a business-day due date that spans a
holiday is shown a day early (stricter, never late); a business-day ``not_before`` rule would be a day too
lenient, so none is configured that way.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from project import clock
from project.extensions import db
from project.models import (
    Case,
    CaseState,
    CaseSubject,
    DeadlineRule,
    DisciplineProposal,
    DisciplineStep,
    LaborAction,
    Review,
    ReviewDecision,
)

log = logging.getLogger(__name__)

MET, DUE, OVERDUE, NOT_BEFORE = "met", "due", "overdue", "not_before"
LABOR_RELATIONS_STATES = (CaseState.APPROVED.value, CaseState.DISCIPLINE.value)


@dataclass(frozen=True)
class Facts:
    """The dated events of one subject's discipline that the clocks run from and stop at."""

    approved_on: date | None = None
    decision_on: date | None = None
    notice_issued_on: date | None = None
    effective_on: date | None = None
    employee_copy_on: date | None = None


DateOf = Callable[[Facts], "date | None"]
# trigger: (how a label names the event, the date it happened)
TRIGGERS: dict[str, tuple[str, DateOf]] = {
    "decision_to_discipline": ("the decision to discipline", lambda f: f.decision_on or f.approved_on),
    "notice_issued": ("the written notice", lambda f: f.notice_issued_on),
    "disciplinary_document_issued": ("the disciplinary document", lambda f: f.notice_issued_on),
}
# due_within rules: the event that meets the rule started by a trigger.
COMPLETED_BY: dict[str, DateOf] = {
    "decision_to_discipline": lambda f: f.notice_issued_on,
    "disciplinary_document_issued": lambda f: f.employee_copy_on,
}


@dataclass(frozen=True)
class Deadline:
    """One rule's clock for one subject: ``on`` is the due date (due_within) or the earliest date (not_before)."""

    rule: DeadlineRule
    case: Case
    subject: CaseSubject
    trigger_on: date
    on: date
    status: str  # met | due | overdue | not_before
    done_on: date | None
    label: str

    @property
    def is_late(self) -> bool:
        return self.rule.kind == "due_within" and self.done_on is not None and self.done_on > self.on


# Counting days ----------------------------------------------------------------------------------------


def holidays() -> frozenset[date]:
    """Extension point: the state holidays business days skip. None are configured yet."""
    return frozenset()


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays()


def add_business_days(start: date, days: int) -> date:
    """``days`` business days after ``start``: 1 business day after a Friday is the Monday."""
    day, remaining = start, days
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day


def deadline_date(rule: DeadlineRule, trigger_on: date) -> date:
    if rule.day_count == "business":
        return add_business_days(trigger_on, rule.days)
    return trigger_on + timedelta(days=rule.days)


def _days(count: int, unit: str = "day") -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def _period(rule: DeadlineRule) -> str:
    return _days(rule.days, "business day" if rule.day_count == "business" else "day")


# Which rules apply, and where each one stands ---------------------------------------------------------


def applies(rule: DeadlineRule, step: DisciplineStep | None) -> bool:
    """A rule applies to a disciplinary step it names, or to every disciplinary step when it names none."""
    if step is None or not step.is_discipline:
        return False
    return not rule.applies_to_steps or step.code in rule.applies_to_steps


def evaluate(rule: DeadlineRule, facts: Facts, today: date) -> tuple[date, date, str, date | None, str] | None:
    """(trigger date, due or earliest date, status, date met, label), or None while the clock has not started."""
    if rule.trigger not in TRIGGERS or (rule.kind == "due_within" and rule.trigger not in COMPLETED_BY):
        log.warning("deadline rule %s: no clock is defined for trigger %r (%s)", rule.code, rule.trigger, rule.kind)
        return None
    event, date_of = TRIGGERS[rule.trigger]
    trigger_on = date_of(facts)
    if trigger_on is None:
        return None
    on = deadline_date(rule, trigger_on)
    since = f"{_period(rule)} after {event} of {trigger_on.isoformat()}"
    if rule.kind == "not_before":
        done = facts.effective_on
        if done is not None and done >= on:
            return trigger_on, on, MET, done, f"{rule.name}: effective {done.isoformat()}, not before {on} ({since})"
        return trigger_on, on, NOT_BEFORE, done, f"{rule.name}: not before {on.isoformat()} ({since})"
    done = COMPLETED_BY[rule.trigger](facts)
    if done is not None:
        late = f", {_days((done - on).days)} late" if done > on else ""
        return trigger_on, on, MET, done, f"{rule.name}: done {done.isoformat()}{late} (due {on.isoformat()}, {since})"
    if today > on:
        return trigger_on, on, OVERDUE, None, (
            f"{rule.name}: overdue by {_days((today - on).days)} (was due {on.isoformat()}, {since})"
        )
    left = "due today" if today == on else f"{_days((on - today).days)} left"
    return trigger_on, on, DUE, None, f"{rule.name}: due {on.isoformat()}, {left} ({since})"


def rules() -> list[DeadlineRule]:
    return list(db.session.scalars(select(DeadlineRule).order_by(DeadlineRule.id)))


def not_before_problems(step: DisciplineStep | None, facts: Facts) -> list[str]:
    """Why an effective date breaks a ``not_before`` rule for this step (e.g. a dismissal within 14 days of
    the notice), in words for the person recording it; empty when it does not."""
    problems: list[str] = []
    if facts.effective_on is None:
        return problems
    for rule in rules():
        if rule.kind != "not_before" or not applies(rule, step) or rule.trigger not in TRIGGERS:
            continue
        assert step is not None
        event, date_of = TRIGGERS[rule.trigger]
        trigger_on = date_of(facts)
        if trigger_on is None:
            problems.append(f"A {step.name.lower()} takes effect no sooner than {_period(rule)} after {event}: "
                            f"record the date of {event} first.")
            continue
        earliest = deadline_date(rule, trigger_on)
        if facts.effective_on < earliest:
            problems.append(
                f"A {step.name.lower()} takes effect no sooner than {_period(rule)} after {event} of "
                f"{trigger_on.isoformat()}: the earliest effective date is {earliest.isoformat()}."
            )
    return problems


# Per case, and across cases ---------------------------------------------------------------------------


def _approval_dates(cases: list[Case]) -> dict[int, date]:
    """The local date of each case's standing approval (the one made on its current content version)."""
    query = (
        select(Review.case_id, Review.decided_at)
        .join(Case, Case.id == Review.case_id)
        .where(
            Review.case_id.in_([c.id for c in cases]),
            Review.decision != ReviewDecision.RETURNED.value,
            Review.voided_at.is_(None),
            Review.content_version == Case.content_version,
        )
        .order_by(Review.decided_at)
    )
    return {case_id: clock.local_date(decided_at) for case_id, decided_at in db.session.execute(query)}


def _deadlines_of(cases: Iterable[Case], today: date) -> list[Deadline]:
    """Every running clock of the cases' subjects, loading labor records, proposals and steps in a few queries."""
    cases = list(cases)
    subjects = [subject for case in cases for subject in case.subjects]
    if not subjects:
        return []
    ids = [s.id for s in subjects]
    actions = {a.subject_id: a for a in db.session.scalars(select(LaborAction).where(LaborAction.subject_id.in_(ids)))}
    proposed: dict[int, int] = {
        subject_id: step_id
        for subject_id, step_id in db.session.execute(
            select(DisciplineProposal.subject_id, DisciplineProposal.proposed_step_id)
            .where(DisciplineProposal.subject_id.in_(ids))
        )
    }
    steps = {step.id: step for step in db.session.scalars(select(DisciplineStep))}
    approved = _approval_dates(cases)
    by_id = {case.id: case for case in cases}
    all_rules = rules()
    found = []
    for subject in subjects:
        action = actions.get(subject.id)
        step_id = action.imposed_step_id if action and action.imposed_step_id else proposed.get(subject.id)
        step = steps.get(step_id) if step_id else None
        facts = Facts(
            approved_on=approved.get(subject.case_id),
            decision_on=action.decision_on if action else None,
            notice_issued_on=action.notice_issued_on if action else None,
            effective_on=action.effective_on if action else None,
            employee_copy_on=action.employee_copy_on if action else None,
        )
        for rule in all_rules:
            result = evaluate(rule, facts, today) if applies(rule, step) else None
            if result is not None:
                found.append(Deadline(rule, by_id[subject.case_id], subject, *result))
    return found


def case_deadlines(case: Case, today: date) -> list[Deadline]:
    """Each subject's running clocks, in subject order then by date."""
    return sorted(_deadlines_of([case], today), key=lambda d: (d.subject.id, d.on, d.rule.id))


def open_deadlines(today: date, within_days: int = 7) -> list[Deadline]:
    """For labor relations' list, across approved and discipline cases: everything overdue, what falls due
    within ``within_days``, and earliest effective dates coming up in that window. Soonest first."""
    cases = db.session.scalars(
        select(Case)
        .where(Case.state.in_(LABOR_RELATIONS_STATES))
        .options(selectinload(Case.subjects).selectinload(CaseSubject.employee))
        .order_by(Case.number)
    ).all()
    horizon = today + timedelta(days=within_days)
    listed = [
        d for d in _deadlines_of(cases, today)
        if d.status == OVERDUE
        or (d.status == DUE and d.on <= horizon)
        or (d.status == NOT_BEFORE and today <= d.on <= horizon)
    ]
    return sorted(listed, key=lambda d: (d.on, d.case.number, d.subject.id, d.rule.id))

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
lenient, so none of a subject's is configured that way. The one case clock, the FOIA objection window
(trigger ``release_notice``, C.G.S. 1-214(c)), is business-day ``not_before``: until holidays are configured,
a window that spans a state holiday opens a day early, and whoever releases must check the calendar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, select
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
    ReleaseNotice,
    Review,
    ReviewDecision,
    User,
)
from project.services.visibility import visible_to

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
    release_notice_on: date | None = None  # the newest notice of a public records request on the case


DateOf = Callable[[Facts], "date | None"]
# trigger: (how a label names the event, the date it happened)
TRIGGERS: dict[str, tuple[str, DateOf]] = {
    "decision_to_discipline": ("the decision to discipline", lambda f: f.decision_on or f.approved_on),
    "notice_issued": ("the written notice", lambda f: f.notice_issued_on),
    "disciplinary_document_issued": ("the disciplinary document", lambda f: f.notice_issued_on),
    "release_notice": ("the notice of a public records request", lambda f: f.release_notice_on),
}
# Triggers that do not depend on a subject's discipline: the notice before a public release (C.G.S. 1-214)
# goes to each subject whatever the outcome; its window (``packets.release_window``) runs from it, and is
# listed as "not before" while it runs. Nothing "meets" it: the release simply may go after it.
CASE_TRIGGERS = frozenset({"release_notice"})
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
    """A rule applies to a disciplinary step it names, or to every disciplinary step when it names none; a rule
    started by a case event (``CASE_TRIGGERS``) to every subject."""
    if rule.trigger in CASE_TRIGGERS:
        return True
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
    if rule.kind == "not_before" and rule.trigger in CASE_TRIGGERS:
        if today > on:
            return trigger_on, on, MET, on, f"{rule.name}: passed on {on.isoformat()} ({since})"
        return trigger_on, on, NOT_BEFORE, None, f"{rule.name}: no release before {on.isoformat()} ({since})"
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
        return (
            trigger_on,
            on,
            OVERDUE,
            None,
            (f"{rule.name}: overdue by {_days((today - on).days)} (was due {on.isoformat()}, {since})"),
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
        skip = rule.trigger in CASE_TRIGGERS or rule.trigger not in TRIGGERS
        if rule.kind != "not_before" or skip or not applies(rule, step):
            continue
        assert step is not None
        event, date_of = TRIGGERS[rule.trigger]
        trigger_on = date_of(facts)
        if trigger_on is None:
            problems.append(
                f"A {step.name.lower()} takes effect no sooner than {_period(rule)} after {event}: "
                f"record the date of {event} first."
            )
            continue
        earliest = deadline_date(rule, trigger_on)
        if facts.effective_on < earliest:
            problems.append(
                f"A {step.name.lower()} takes effect no sooner than {_period(rule)} after {event} of "
                f"{trigger_on.isoformat()}: the earliest effective date is {earliest.isoformat()}."
            )
    return problems


# Per case, and across cases ---------------------------------------------------------------------------


def _approval_dates(cases: Any) -> dict[int, date]:
    """The local date of the standing approval (the one made on the current content version) of each case
    meeting the condition ``cases``."""
    query = (
        select(Review.case_id, Review.decided_at)
        .join(Case, Case.id == Review.case_id)
        .where(
            cases,
            Review.decision != ReviewDecision.RETURNED.value,
            Review.voided_at.is_(None),
            Review.content_version == Case.content_version,
        )
        .order_by(Review.decided_at)
    )
    return {case_id: clock.local_date(decided_at) for case_id, decided_at in db.session.execute(query)}


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


def clocks(today: date, cases: Any) -> list[Clock]:
    """Every running clock of the subjects of the cases meeting the condition ``cases``: the subjects' dated
    events in one query of plain rows, approvals in a second, whatever the number of cases."""
    rows = db.session.execute(
        select(
            CaseSubject.case_id,
            CaseSubject.id,
            LaborAction.imposed_step_id,
            DisciplineProposal.proposed_step_id,
            LaborAction.decision_on,
            LaborAction.notice_issued_on,
            LaborAction.effective_on,
            LaborAction.employee_copy_on,
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
    approved = _approval_dates(cases)
    all_rules = rules()
    newest_notices = (
        select(ReleaseNotice.case_id, func.max(ReleaseNotice.notified_on))
        .join(Case, Case.id == ReleaseNotice.case_id)
        .where(cases)
        .group_by(ReleaseNotice.case_id)
    )
    notices: dict[int, date] = {case_id: on for case_id, on in db.session.execute(newest_notices)}
    found = []
    for case_id, subject_id, imposed_id, proposed_id, decision_on, notice_on, effective_on, copy_on in rows:
        step_id = imposed_id or proposed_id
        step = steps.get(step_id) if step_id else None
        facts = Facts(
            approved_on=approved.get(case_id),
            decision_on=decision_on,
            notice_issued_on=notice_on,
            effective_on=effective_on,
            employee_copy_on=copy_on,
            release_notice_on=notices.get(case_id),
        )
        for rule in all_rules:
            result = evaluate(rule, facts, today) if applies(rule, step) else None
            if result is not None:
                found.append(Clock(case_id, subject_id, rule, *result))
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
    """Each subject's running clocks, in subject order then by date."""
    return sorted(_deadlines_of([case], today), key=lambda d: (d.subject.id, d.on, d.rule.id))


def _listed(found: Clock, today: date, horizon: date) -> bool:
    return (
        found.status == OVERDUE
        or (found.status == DUE and found.on <= horizon)
        or (found.status == NOT_BEFORE and today <= found.on <= horizon)
    )


def open_clocks(today: date, within_days: int = 7, cases: Any = None) -> list[Clock]:
    """Across approved and discipline cases (those meeting ``cases`` too, if given): everything overdue, what
    falls due within ``within_days``, and earliest effective dates coming up in that window."""
    condition = Case.state.in_(LABOR_RELATIONS_STATES)
    horizon = today + timedelta(days=within_days)
    found = clocks(today, condition if cases is None else and_(condition, cases))
    return [c for c in found if _listed(c, today, horizon)]


def open_deadlines(today: date, within_days: int = 7, seen_by: User | None = None) -> list[Deadline]:
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

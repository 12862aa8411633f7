"""Where one rule's clock stands for one subject: the dated events it runs from (``Facts``), the triggers and
the events that meet a rule, and the check of an effective date against the ``not_before`` rules."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from project.extensions import db
from project.models import Case, CaseSubject, DeadlineRule, DisciplineStep
from project.services.deadlines.calendar import days_text, deadline_date, period

log = logging.getLogger(__name__)

MET, DUE, OVERDUE, NOT_BEFORE = "met", "due", "overdue", "not_before"
IMMEDIATE = "RCSA 5-240-8a(b)"  # a dismissal effective at the close of the pre-disciplinary meeting


@dataclass(frozen=True)
class Facts:
    """The dated events of one subject's discipline (and of the case) that the clocks run from and stop at."""

    approved_on: date | None = None
    decision_on: date | None = None
    notice_issued_on: date | None = None
    effective_on: date | None = None
    employee_copy_on: date | None = None
    release_notice_on: date | None = None  # the newest notice of a public records request on the case
    department_knew_on: date | None = None  # the case received, or the earliest post first seen if earlier
    first_decided_on: date | None = None  # the case's first approval, or its closing if that came first
    personnel_office_notified_on: date | None = None  # the report to the Commissioner of DAS
    immediate_dismissal: bool = False  # a dismissal effective at the close of the meeting (RCSA 5-240-8a(b))


DateOf = Callable[[Facts], "date | None"]
# trigger: (how a label names the event, the date it happened)
TRIGGERS: dict[str, tuple[str, DateOf]] = {
    "decision_to_discipline": ("the decision to discipline", lambda f: f.decision_on or f.approved_on),
    "notice_issued": ("the written notice", lambda f: f.notice_issued_on),
    "disciplinary_document_issued": ("the disciplinary document", lambda f: f.notice_issued_on),
    "effective_date": ("the effective date", lambda f: f.effective_on),
    "release_notice": ("the notice of a public records request", lambda f: f.release_notice_on),
    "department_knew": ("the day the department first knew of the post", lambda f: f.department_knew_on),
}
# Triggers that do not depend on a subject's discipline: each subject of the case has the clock whatever the
# outcome. The notice before a public release (C.G.S. 1-214) runs a window listed as "not before" while it runs
# (nothing meets it: the release may go after it); the day the department first knew of the post starts the
# investigation's clock, met by the case's first approval or its closing.
CASE_TRIGGERS = frozenset({"release_notice", "department_knew"})
# The event that meets a due date: the one a rule's ``met_by`` names, or else the usual one for its trigger.
MET_BY: dict[str, DateOf] = {
    "written_notice": lambda f: f.notice_issued_on,
    "employee_copy": lambda f: f.employee_copy_on,
    "personnel_office_notified": lambda f: f.personnel_office_notified_on,
    "first_approval_or_closing": lambda f: f.first_decided_on,
}
COMPLETED_BY: dict[str, DateOf] = {
    "decision_to_discipline": MET_BY["written_notice"],
    "disciplinary_document_issued": MET_BY["employee_copy"],
    "department_knew": MET_BY["first_approval_or_closing"],
}


@dataclass(frozen=True)
class Deadline:
    """One rule's clock for one subject: ``on`` is the due date (due_within, due_before) or the earliest date
    (not_before)."""

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
        return self.rule.kind != "not_before" and self.done_on is not None and self.done_on > self.on


def completion(rule: DeadlineRule) -> DateOf | None:
    return MET_BY.get(rule.met_by) if rule.met_by else COMPLETED_BY.get(rule.trigger)


def applies(rule: DeadlineRule, step: DisciplineStep | None) -> bool:
    """A rule applies to a disciplinary step it names, or to every disciplinary step when it names none; a rule
    started by a case event (``CASE_TRIGGERS``) to every subject."""
    if rule.trigger in CASE_TRIGGERS:
        return True
    if step is None or not step.is_discipline:
        return False
    return not rule.applies_to_steps or step.code in rule.applies_to_steps


def waived(rule: DeadlineRule, step: DisciplineStep | None, facts: Facts) -> bool:
    """An immediate dismissal (RCSA 5-240-8a(b)) takes effect at the close of the pre-disciplinary meeting:
    the earliest effective date after the notice does not hold it."""
    return (
        facts.immediate_dismissal
        and rule.kind == "not_before"
        and rule.trigger == "notice_issued"
        and step is not None
        and step.code == "dismissal"
    )


Evaluation = tuple[date, date, str, "date | None", str]


def evaluate(rule: DeadlineRule, facts: Facts, today: date, step: DisciplineStep | None = None) -> Evaluation | None:
    """(trigger date, due or earliest date, status, date met, label), or None while the clock has not started."""
    if rule.trigger not in TRIGGERS or (rule.kind != "not_before" and completion(rule) is None):
        log.warning("deadline rule %s: no clock is defined for trigger %r (%s)", rule.code, rule.trigger, rule.kind)
        return None
    event, date_of = TRIGGERS[rule.trigger]
    trigger_on = date_of(facts)
    if trigger_on is None:
        return None
    on = deadline_date(rule, trigger_on)
    since = f"{period(rule)} {'before' if rule.kind == 'due_before' else 'after'} {event} of {trigger_on.isoformat()}"
    if rule.kind == "not_before":
        return _not_before(rule, facts, today, step, (trigger_on, on, since))
    done_of = completion(rule)
    assert done_of is not None
    done = done_of(facts)
    if done is not None:
        late = f", {days_text((done - on).days)} late" if done > on else ""
        return trigger_on, on, MET, done, f"{rule.name}: done {done.isoformat()}{late} (due {on.isoformat()}, {since})"
    if today > on:
        overdue = f"{rule.name}: overdue by {days_text((today - on).days)} (was due {on.isoformat()}, {since})"
        return trigger_on, on, OVERDUE, None, overdue
    left = "due today" if today == on else f"{days_text((on - today).days)} left"
    return trigger_on, on, DUE, None, f"{rule.name}: due {on.isoformat()}, {left} ({since})"


def _not_before(
    rule: DeadlineRule, facts: Facts, today: date, step: DisciplineStep | None, clock: tuple[date, date, str]
) -> Evaluation:
    trigger_on, on, since = clock
    if rule.trigger in CASE_TRIGGERS:
        if today > on:
            return trigger_on, on, MET, on, f"{rule.name}: passed on {on.isoformat()} ({since})"
        return trigger_on, on, NOT_BEFORE, None, f"{rule.name}: no release before {on.isoformat()} ({since})"
    done = facts.effective_on
    if waived(rule, step, facts):
        effective = done.isoformat() if done else "at the close of the pre-disciplinary meeting"
        return trigger_on, on, MET, done, f"{rule.name}: immediate dismissal ({IMMEDIATE}), effective {effective}"
    if done is not None and done >= on:
        return trigger_on, on, MET, done, f"{rule.name}: effective {done.isoformat()}, not before {on} ({since})"
    return trigger_on, on, NOT_BEFORE, done, f"{rule.name}: not before {on.isoformat()} ({since})"


def rules() -> list[DeadlineRule]:
    return list(db.session.scalars(select(DeadlineRule).order_by(DeadlineRule.id)))


def not_before_problems(step: DisciplineStep | None, facts: Facts) -> list[str]:
    """Why an effective date breaks a ``not_before`` rule for this step (e.g. a dismissal within 14 days of
    the notice, unless it is an immediate dismissal under RCSA 5-240-8a(b)), in words for the person recording
    it; empty when it does not."""
    problems: list[str] = []
    if facts.effective_on is None:
        return problems
    for rule in rules():
        skip = rule.trigger in CASE_TRIGGERS or rule.trigger not in TRIGGERS or waived(rule, step, facts)
        if rule.kind != "not_before" or skip or not applies(rule, step):
            continue
        assert step is not None
        event, date_of = TRIGGERS[rule.trigger]
        trigger_on = date_of(facts)
        if trigger_on is None:
            problems.append(
                f"A {step.name.lower()} takes effect no sooner than {period(rule)} after {event}: "
                f"record the date of {event} first."
            )
            continue
        earliest = deadline_date(rule, trigger_on)
        if facts.effective_on < earliest:
            problems.append(
                f"A {step.name.lower()} takes effect no sooner than {period(rule)} after {event} of "
                f"{trigger_on.isoformat()}: the earliest effective date is {earliest.isoformat()}."
            )
    return problems

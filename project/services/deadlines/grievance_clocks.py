"""The clocks of grievances: each step's hearing and decision, and the appeal to the next step (or the demand
for arbitration after the last), with the due dates the unit's procedure gave the step when it was filed or
heard (``GrievanceStep``), and their source. They stand beside the rules' clocks as rules of their own that are
not stored: ``DeadlineRule`` rows made for the listing, never added to the session."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from project.extensions import db
from project.models import Case, CaseSubject, DeadlineRule, Grievance, GrievanceStep
from project.services.deadlines.calendar import days_text
from project.services.deadlines.rules import DUE, MET, OVERDUE

TRIGGER = "grievance"


def _rule(step: GrievanceStep, kind: int, what: str, description: str) -> DeadlineRule:
    """The listing's rule for one deadline of one step (its id negative: it is no stored rule's)."""
    return DeadlineRule(
        id=-(step.id * 10 + kind),
        code=f"grievance_{step.id}_{what}",
        name=f"Grievance {step.name}: {what}",
        description=description,
        trigger=TRIGGER,
        applies_to_steps=[],
        days=0,
        day_count="calendar",
        kind="due_within",
        met_by="",
        warn_days=step.warn_days,
        authority=step.authority,
        set_by=step.set_by,
        set_on=step.set_on,
    )


def _status(name: str, on: date, done_on: date | None, today: date) -> tuple[str, str]:
    """The clock's status and its label, worded as the rules' clocks are."""
    if done_on is not None:
        late = f", {days_text((done_on - on).days)} late" if done_on > on else ""
        return MET, f"{name}: done {done_on.isoformat()}{late} (due {on.isoformat()})"
    if today > on:
        return OVERDUE, f"{name}: overdue by {days_text((today - on).days)} (was due {on.isoformat()})"
    left = "due today" if today == on else f"{days_text((on - today).days)} left"
    return DUE, f"{name}: due {on.isoformat()}, {left}"


GrievanceClock = tuple[int, int, str, DeadlineRule, date, date, str, "date | None", str]


def grievance_clocks(today: date, cases: Any) -> list[GrievanceClock]:
    """(case id, subject id, case state, rule, trigger date, due date, status, done on, label) for each deadline of
    the grievances of the cases meeting ``cases``. A grievance no longer open shows only the deadlines it met."""
    grievances = db.session.scalars(
        select(Grievance)
        .join(CaseSubject, CaseSubject.id == Grievance.subject_id)
        .join(Case, Case.id == CaseSubject.case_id)
        .where(cases)
        .options(
            selectinload(Grievance.steps),
            selectinload(Grievance.arbitration),
            selectinload(Grievance.subject).selectinload(CaseSubject.case),
        )
    ).all()
    found = []
    for grievance in grievances:
        subject = grievance.subject
        for index, step in enumerate(grievance.steps):
            following = grievance.steps[index + 1] if index + 1 < len(grievance.steps) else None
            moved_on = (
                following.filed_on
                if following is not None
                else (grievance.arbitration.demanded_on if grievance.arbitration is not None else None)
            )
            due = [
                (1, "hearing", step.filed_on, step.hearing_due_on, step.hearing_on or step.decision_on),
                (2, "decision", step.hearing_on, step.decision_due_on, step.decision_on),
                (3, "appeal", step.decision_on, step.appeal_due_on, moved_on),
            ]
            for kind, what, trigger_on, on, done_on in due:
                if trigger_on is None or on is None or (done_on is None and not grievance.is_open):
                    continue
                text = (
                    f"{what} of {step.name} of the grievance"
                    if what != "appeal"
                    else ("the appeal to the next step, or the demand for arbitration after the last")
                )
                rule = _rule(step, kind, what, f"Due date of {text}, from the bargaining unit's procedure.")
                status, label = _status(rule.name, on, done_on, today)
                found.append(
                    (subject.case_id, subject.id, subject.case.state, rule, trigger_on, on, status, done_on, label)
                )
    return found

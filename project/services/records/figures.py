"""The dashboard's figures for records over time (issue 18, item 6): subjects of open cases whose paid
administrative leave is near, at or over its limit, and the retention actions due (and kept by a hold)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, true

from project.extensions import db
from project.models import Case, CaseState, CaseSubject, Employee, LeavePeriod, User
from project.services.records.leave import LeaveStanding, standing_of
from project.services.records.purges import due_purges
from project.services.records.retention import due_items
from project.services.visibility import visible_to


@dataclass(frozen=True)
class LeaveFlag:
    """A subject whose paid leave needs attention: the case, the employee and the standing."""

    case_number: str
    employee_number: str
    name: str
    standing: LeaveStanding


@dataclass(frozen=True)
class RetentionFigures:
    due: int  # records a run would seal today
    held: int  # due, but kept by a legal hold
    purges_due: int = 0  # closed cases whose evidence a run would purge today
    purges_held: int = 0  # due, but kept by a legal hold


@dataclass(frozen=True)
class LeaveAlert:
    """A subject of an open case whose paid leave needs attention, for the inbox: ``period_id`` is the newest
    paid period, so a new period that reaches a threshold again is told afresh."""

    case: Case
    subject_id: int
    name: str
    period_id: int
    standing: LeaveStanding


def _flagged(
    where: Any, today: date, limit: int, warn_days: int
) -> list[tuple[Case, int, Employee, LeavePeriod, LeaveStanding]]:
    """(case, subject id, employee, newest paid period, standing) of every subject of an open case matching
    ``where`` whose paid leave is within ``warn_days`` of ``limit`` or past it. One query for every period."""
    query = (
        select(LeavePeriod, CaseSubject.id, Case, Employee)
        .join(CaseSubject, CaseSubject.id == LeavePeriod.subject_id)
        .join(Case, Case.id == CaseSubject.case_id)
        .join(Employee, Employee.id == CaseSubject.employee_id)
        .where(where, Case.state != CaseState.CLOSED.value)
        .order_by(LeavePeriod.starts_on, LeavePeriod.id)
    )
    periods: dict[int, list[LeavePeriod]] = {}
    who: dict[int, tuple[Case, Employee]] = {}
    for period, subject_id, case, employee in db.session.execute(query).all():
        periods.setdefault(subject_id, []).append(period)
        who[subject_id] = (case, employee)
    flagged = []
    for subject_id, found in periods.items():
        standing = standing_of(found, today, limit, warn_days)
        paid = [p for p in found if p.paid]
        if standing.state != "within" and paid:
            case, employee = who[subject_id]
            flagged.append((case, subject_id, employee, paid[-1], standing))
    return flagged


def leave_flags(visible: Any, today: date, limit: int, warn_days: int) -> list[LeaveFlag]:
    """Subjects of open cases the person may see (``visible``: ``visibility.visible_to``) whose paid leave is
    within ``warn_days`` of ``limit`` or past it, the most paid days first."""
    flags = [
        LeaveFlag(case.number, employee.employee_number, employee.display_name, standing)
        for case, _, employee, _, standing in _flagged(visible, today, limit, warn_days)
    ]
    return sorted(flags, key=lambda flag: (-flag.standing.paid_days, flag.case_number))


def leave_alerts(today: date, limit: int, warn_days: int) -> list[LeaveAlert]:
    """Every subject of an open case whose paid leave is near, at or over the limit, by case and subject."""
    alerts = [
        LeaveAlert(case, subject_id, employee.display_name, period.id, standing)
        for case, subject_id, employee, period, standing in _flagged(true(), today, limit, warn_days)
    ]
    return sorted(alerts, key=lambda alert: (alert.case.number, alert.subject_id))


def retention_figures(today: date, viewer: User) -> RetentionFigures:
    """What a retention run would do today, counting only what ``viewer`` may see: records and evidence of the
    cases they may open (``visibility.visible_to``: a supervisor is never told of a case about themself) and
    imported records of anyone but themself."""
    items, purges = due_items(today), due_purges(today)
    case_ids = {i.record.case_id for i in items if i.record.case_id is not None} | {p.case.id for p in purges}
    seen = (
        set(db.session.scalars(select(Case.id).where(visible_to(viewer), Case.id.in_(case_ids)))) if case_ids else set()
    )
    items = [
        i
        for i in items
        if (
            i.record.case_id in seen
            if i.record.case_id is not None
            else i.employee.employee_number != viewer.employee_number
        )
    ]
    purges = [p for p in purges if p.case.id in seen]
    held, purges_held = sum(1 for item in items if item.held), sum(1 for item in purges if item.held)
    return RetentionFigures(len(items) - held, held, len(purges) - purges_held, purges_held)

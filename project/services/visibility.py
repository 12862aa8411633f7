"""Which cases a person may see, as SQL: ``permissions.can_view_case`` written as a query condition.
A test holds the two in step; every list, count, search and export filters through this."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.sql.elements import AsBoolean, True_

from project.models import Case, CaseState, CaseSubject, Employee, Role, User
from project.permissions import LABOR_STATES


def visible_to(user: User) -> Any:
    """The SQL condition that ``permissions.can_view_case`` states in Python."""
    allowed: list[Any] = []
    if user.has_role(Role.SUPERVISOR):
        allowed.append(true())
    if user.has_role(Role.LABOR_RELATIONS):
        allowed.append(Case.state.in_([s.value for s in LABOR_STATES]))
    if user.has_role(Role.INVESTIGATOR):
        allowed.append(Case.assigned_investigator_id == user.id)
        allowed.append(and_(Case.state == CaseState.INTAKE.value, Case.assigned_investigator_id.is_(None)))
    condition = or_(*allowed) if allowed else false()
    if user.employee_number:
        condition = and_(condition, Case.id.not_in(_cases_about(user)))
    return condition


def always_true(condition: Any) -> bool:
    """Whether a condition on ``Case`` lets every case through (a supervisor's ``visible_to``): a query may
    then leave the cases out instead of joining them to check nothing."""
    while isinstance(condition, AsBoolean):  # how WHERE holds a bare true()
        condition = condition.element
    return isinstance(condition, True_)


def _cases_about(user: User) -> Any:
    return (
        select(CaseSubject.case_id)
        .join(Employee, Employee.id == CaseSubject.employee_id)
        .where(Employee.employee_number == user.employee_number)
    )

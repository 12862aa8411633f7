"""The sealed history (issue 18, item 5): an employee's expunged discipline, opened only by an administrator
who states why; every opening is audited with the reason, whether or not anything was found."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from project import permissions
from project.extensions import db
from project.models import DisciplineRecord, Employee
from project.services.audit import Actor, record_for
from project.services.errors import InvalidInput
from project.transaction import committing

MIN_REASON = 10
MAX_REASON = 2_000


def open_sealed_history(employee_number: str, reason: str, actor: Actor) -> tuple[Employee, list[DisciplineRecord]]:
    """The employee and their expunged records, oldest first; refused without an administrator or a reason."""
    permissions.require(
        permissions.can_open_sealed_history(actor.user), "Only an administrator may open the sealed history."
    )
    number, text = employee_number.strip(), reason.strip()
    errors: dict[str, str] = {}
    if len(text) < MIN_REASON:
        errors["reason"] = "State why the sealed history is opened (a request, a court order); it is audited."
    elif len(text) > MAX_REASON:
        errors["reason"] = f"The reason is longer than {MAX_REASON} characters."
    employee = db.session.scalars(select(Employee).where(Employee.employee_number == number)).first()
    if employee is None:
        errors["employee_number"] = f"No employee {number or '(none given)'} on the roster."
    if errors:
        raise InvalidInput(errors)
    assert employee is not None
    query = (
        select(DisciplineRecord)
        .where(DisciplineRecord.employee_id == employee.id, DisciplineRecord.expunged_on.is_not(None))
        .options(selectinload(DisciplineRecord.step), selectinload(DisciplineRecord.modified_step))
        .order_by(DisciplineRecord.imposed_on, DisciplineRecord.id)
    )
    found = list(db.session.scalars(query))
    with committing("the opening of the sealed history"):
        record_for(
            actor,
            "retention.sealed_history_opened",
            object_type="employee",
            object_id=employee.id,
            detail={"employee_number": number, "reason": text, "records": [r.id for r in found]},
        )
    return employee, found

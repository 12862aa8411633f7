"""The subject employees of a case: linking one from the roster, and unlinking one linked by mistake (a
mistyped number, the wrong officer) with a reason, while the case is still being investigated."""

from __future__ import annotations

from sqlalchemy import func, select

from project import clock, permissions
from project.extensions import db
from project.models import (
    Allegation,
    Case,
    CaseState,
    CaseSubject,
    DisciplineProposal,
    Employee,
    LaborAction,
    Letter,
    PacketJob,
    PacketPrint,
    ProposalModification,
    User,
)
from project.services import roster
from project.services.audit import Actor, record_for
from project.services.casework.review.life_cycle import content_changed
from project.services.errors import InvalidInput
from project.transaction import committing

MAX_REASON = 2000
NOT_NOW = (
    "A subject can be unlinked only while the case is in intake or open, by the investigator working it. "
    "This case is {state}: ask the supervisor to return it if the subject is wrong."
)


def link_subject(case: Case, employee: Employee, actor: Actor) -> CaseSubject:
    permissions.require(permissions.can_edit_case(actor.user, case))
    if any(s.employee_id == employee.id for s in case.subjects):
        raise InvalidInput({"employee": f"{employee.display_name} is already a subject of this case."})
    if actor.user.employee_number and actor.user.employee_number == employee.employee_number:
        raise InvalidInput({"employee": "You cannot open a case about yourself."})
    with committing(f"case {case.number}"):
        subject = CaseSubject(case_id=case.id, employee_id=employee.id, added_by_id=actor.user.id, added_at=clock.now())
        db.session.add(subject)
        db.session.flush()
        if case.facility is None:
            case.facility = employee.facility
        content_changed(case, actor, "subject linked")
        record_for(
            actor,
            "subject.linked",
            case_id=case.id,
            object_type="subject",
            object_id=subject.id,
            detail={"employee_number": employee.employee_number},
        )
    return subject


def _records_of(subject: CaseSubject) -> list[str]:
    """What the case already records about this subject, in words; a subject with any of it stays linked."""
    counted = {
        "allegation": select(func.count()).where(Allegation.subject_id == subject.id),
        "discipline proposal": select(func.count()).where(DisciplineProposal.subject_id == subject.id),
        "modification at review": select(func.count()).where(ProposalModification.subject_id == subject.id),
        "labor relations record": select(func.count()).where(LaborAction.subject_id == subject.id),
        "letter": select(func.count()).where(Letter.subject_id == subject.id),
        "printed packet": select(func.count()).where(PacketPrint.subject_id == subject.id),
        "packet job": select(func.count()).where(PacketJob.subject_id == subject.id),
    }
    found = []
    for name, query in counted.items():
        count = int(db.session.scalar(query) or 0)
        if count:
            found.append(f"{count} {name}{'' if count == 1 else 's'}")
    return found


def require_unlinking_allowed(case: Case, user: User) -> None:
    """Refuse (``NotPermitted``, saying why) whoever may not unlink subjects from this case now."""
    if permissions.can_view_case(user, case) and CaseState(case.state) not in permissions.INVESTIGATION_STATES:
        raise permissions.NotPermitted(NOT_NOW.format(state=CaseState(case.state).label.lower()))
    permissions.require(
        permissions.can_unlink_subject(user, case), "Only the investigator working this case unlinks its subjects."
    )


def records_about(subject: CaseSubject) -> list[str]:
    """What the case already records about this subject, in words ("2 allegations"); a subject with any of
    it stays linked."""
    return _records_of(subject)


def unlink_subject(case: Case, subject: CaseSubject, reason: str, actor: Actor) -> None:
    """Take a subject linked by mistake off the case, saying why. Only while the case is investigated (intake
    or open) and by whoever may edit it; never a subject the case already records allegations or discipline
    about (those records stay with the person they were made about)."""
    require_unlinking_allowed(case, actor.user)
    if subject.case_id != case.id:
        raise InvalidInput({"subject": "Choose a subject of this case."})
    reason = reason.strip()
    employee = subject.employee
    if not reason:
        raise InvalidInput({"reason": "Say why this subject is unlinked (for example, the number was mistyped)."})
    if len(reason) > MAX_REASON:
        raise InvalidInput({"reason": f"The reason must be at most {MAX_REASON} characters."})
    if records := _records_of(subject):
        raise InvalidInput(
            {
                "reason": f"{employee.display_name} stays linked: the case records {', '.join(records)} about "
                "them. Only a subject linked by mistake, with nothing recorded about them yet, can be unlinked."
            }
        )
    with committing(f"case {case.number}"):
        subject_id = subject.id
        db.session.delete(subject)
        db.session.flush()
        db.session.expire(case, ["subjects"])
        content_changed(case, actor, "subject unlinked")
        record_for(
            actor,
            "subject.unlinked",
            case_id=case.id,
            object_type="subject",
            object_id=subject_id,
            detail={
                "employee_number": employee.employee_number,
                "name": employee.display_name,
                "reason": reason,
            },
        )


def find_employee(employee_number: str) -> Employee | None:
    return roster.find_employee(employee_number)


def subject_of_case(case: Case, subject_id: int) -> CaseSubject | None:
    """A subject of this case by id; None for an unknown id or another case's subject."""
    subject = db.session.get(CaseSubject, subject_id)
    return subject if subject is not None and subject.case_id == case.id else None

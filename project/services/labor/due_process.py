"""Due process in order, for one subject's labor relations record:

- the approval (the standing approval's local date) on or before the pre-disciplinary meeting, the meeting on
  or before the decision, the decision on or before the written notice, the notice on or before the
  employee's copy; each date is compared with the latest recorded date before it in that chain;
- the meeting record: a union representative (name and union) or the employee's recorded waiver;
- the decision names its decision-maker, a user with the appointing authority role (RCSA 5-240-1a(a));
- a step other than the approved one needs the reason for the departure;
- an immediate dismissal at the close of the meeting (RCSA 5-240-8a(b)) needs its specific reason, applies
  to a dismissal only, and takes effect on the meeting date (not two weeks after the notice).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import Case, CaseSubject, DisciplineStep, Role, User, UserRole
from project.services.casework import standing_approval
from project.services.discipline import approved_discipline
from project.services.labor.record_input import LaborRecordInput

DISMISSAL = "dismissal"
MAX_TEXT = 5_000
# the chain of dated events, in the order due process requires; the first is the approval (not a field)
ORDER = (
    ("meeting_on", "the pre-disciplinary meeting"),
    ("decision_on", "the decision to discipline"),
    ("notice_issued_on", "the written notice"),
    ("employee_copy_on", "the employee's copy"),
)


def approval_date(case: Case) -> date | None:
    """The local date of the approval that covers the case as it is now."""
    approval = standing_approval(case)
    return clock.local_date(approval.decided_at) if approval is not None else None


def _approved_step(subject: CaseSubject) -> DisciplineStep | None:
    """The step approved for the subject: the investigator's proposal, or the supervisor's modification of it
    at the review that approved the case."""
    approved = approved_discipline(subject)
    return approved.step if approved is not None else None


def order_problems(approved_on: date | None, entry: LaborRecordInput) -> dict[str, str]:
    """Each recorded date against the latest recorded date before it in the chain."""
    errors: dict[str, str] = {}
    before: tuple[date, str] | None = (approved_on, "the approval of the case") if approved_on else None
    for field, what in ORDER:
        day = getattr(entry, field)
        if day is None:
            continue
        if before is not None and day < before[0]:
            errors[field] = (
                f"{what[0].upper()}{what[1:]} ({day.isoformat()}) cannot come before {before[1]} "
                f"({before[0].isoformat()}): due process runs approval, meeting, decision, notice, copy."
            )
        before = (day, what)
    return errors


def appointing_authorities() -> list[User]:
    """The active users who may decide discipline (and sign its notice), by name."""
    query = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.APPOINTING_AUTHORITY.value)
        .order_by(User.name)
    )
    return [user for user in db.session.scalars(query) if getattr(user, "is_active", True)]


def _text_problems(entry: LaborRecordInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field in ("union_rep_name", "union_rep_union", "departure_reason", "immediate_dismissal_reason"):
        if len(getattr(entry, field) or "") > MAX_TEXT:
            errors[field] = f"At most {MAX_TEXT:,} characters."
    return errors


def _meeting_problems(entry: LaborRecordInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    named = bool(entry.union_rep_name.strip() or entry.union_rep_union.strip())
    if entry.union_rep_waived and named:
        errors["union_rep_waived"] = "Record either the union representative or the employee's waiver, not both."
    elif named and not (entry.union_rep_name.strip() and entry.union_rep_union.strip()):
        errors["union_rep_union"] = "Give both the representative's name and the union."
    return errors


def _decision_problems(subject: CaseSubject, entry: LaborRecordInput, step: DisciplineStep | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if entry.decision_on is not None and entry.decided_by_id is None:
        errors["decided_by_id"] = "Name the appointing authority who made the decision."
    if entry.decided_by_id is not None:
        maker = db.session.get(User, entry.decided_by_id)
        if maker is None or not permissions.is_appointing_authority(maker):
            errors["decided_by_id"] = "The decision-maker must be a user with the appointing authority role."
        elif entry.decision_on is None:
            errors["decision_on"] = "Give the date of the decision its decision-maker made."
    approved = _approved_step(subject)
    departs = step is not None and approved is not None and step.id != approved.id
    if departs and approved is not None and step is not None and not entry.departure_reason.strip():
        errors["departure_reason"] = (
            f"The approved step is {approved.name}: give the reason for imposing {step.name} instead."
        )
    return errors


def _immediate_problems(entry: LaborRecordInput, step: DisciplineStep | None) -> dict[str, str]:
    if not entry.immediate_dismissal:
        return {}
    errors: dict[str, str] = {}
    if step is None or step.code != DISMISSAL:
        errors["immediate_dismissal"] = "Only a dismissal can take effect at the close of the meeting."
    if not entry.immediate_dismissal_reason.strip():
        errors["immediate_dismissal_reason"] = (
            "RCSA 5-240-8a(b): state the specific reason the dismissal takes effect at the close of the "
            "pre-disciplinary meeting (serious misconduct affecting the public, or the welfare, health or safety "
            "of inmates or state employees, or the protection of state property)."
        )
    if entry.meeting_on is None:
        errors["meeting_on"] = "An immediate dismissal takes effect at the close of the meeting: record its date."
    elif entry.effective_on is not None and entry.effective_on < entry.meeting_on:
        errors["effective_on"] = (
            f"An immediate dismissal takes effect at the close of the meeting of {entry.meeting_on.isoformat()}, "
            "not before it."
        )
    return errors


def due_process_problems(
    case: Case, subject: CaseSubject, entry: LaborRecordInput, step: DisciplineStep | None
) -> dict[str, str]:
    """Every due-process problem with the entry, by field (empty when there is none)."""
    errors = order_problems(approval_date(case), entry)
    for found in (
        _meeting_problems(entry),
        _decision_problems(subject, entry, step),
        _immediate_problems(entry, step),
        _text_problems(entry),
    ):
        errors = found | errors
    return errors


def is_immediate(entry: LaborRecordInput, step: DisciplineStep | None) -> bool:
    """A dismissal recorded as effective at the close of the meeting: the two-week rule does not apply."""
    return bool(entry.immediate_dismissal) and step is not None and step.code == DISMISSAL

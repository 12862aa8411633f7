"""Labor relations' record of a subject's discipline on an approved case: the pre-disciplinary meeting, the
decision, the written notice, the discipline imposed and its effective date, and the employee's copy (a
grievance or arbitration that follows has records of its own: ``project.services.grievances``). These
records are not what the case says (no approval is voided by them); the discipline imposed becomes a
``DisciplineRecord`` so later progressive discipline sees it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import (
    Case,
    CaseState,
    CaseSubject,
    DisciplineRecord,
    DisciplineStep,
    LaborAction,
)
from project.services import deadlines
from project.services.audit import Actor, record_for
from project.services.casework import move
from project.services.discipline import (
    ladder_in_force,
    offence_class_of,
    step_by_code,
    step_refusal,
    sustained_allegations_of,
)
from project.services.errors import InvalidInput, StaleEdit, check_version
from project.services.labor.due_process import due_process_problems, is_immediate
from project.services.labor.record_input import LaborRecordInput
from project.transaction import committing

MAX_NOTES = 20_000
PAST_ONLY = {
    "decision_on": "The date of the decision",
    "notice_issued_on": "The date of the written notice",
    "employee_copy_on": "The date the employee was given a copy",
    "personnel_office_notified_on": "The date the personnel office was notified",
}
TEXTS = (
    "meeting_place",
    "meeting_attendees",
    "union_rep_name",
    "union_rep_union",
    "employee_response",
    "documents_given",
    "departure_reason",
    "immediate_dismissal_reason",
)


def labor_action_of(subject: CaseSubject) -> LaborAction | None:
    return db.session.scalars(select(LaborAction).where(LaborAction.subject_id == subject.id)).first()


def _check_dates(values: dict[str, date | None], today: date) -> dict[str, str]:
    errors = {}
    for field, what in PAST_ONLY.items():
        day = values[field]
        if day is not None and day > today:
            errors[field] = f"{what} cannot be in the future (today is {today.isoformat()})."
    return errors


def _imposed_step(
    subject: CaseSubject, step_code: str | None, days: int | None, effective_on: date | None, today: date
) -> tuple[DisciplineStep | None, dict[str, str]]:
    ladder = ladder_in_force(today)
    code = (step_code or "").strip()
    step = step_by_code(ladder, code) if code else None
    if code and step is None:
        return None, {"imposed_step": "Choose a step from the discipline ladder."}
    errors = {}
    refusal = step_refusal(step, subject.employee) if step is not None else None
    if refusal:
        errors["imposed_step"] = f"{refusal}."
    if step is not None and step.is_discipline and not sustained_allegations_of(subject):
        errors["imposed_step"] = (
            f"No allegation against {subject.employee.display_name} is sustained, so no discipline can be imposed."
        )
    if step is not None and step.takes_days and (days is None or not 1 <= days <= ladder.suspension_cap_days):
        errors["imposed_suspension_days"] = (
            f"A suspension needs its number of days, from 1 to {ladder.suspension_cap_days}."
        )
    if (step is None or not step.takes_days) and days:
        errors["imposed_suspension_days"] = "Only a suspension takes a number of days."
    if step is None and effective_on is not None:
        errors["effective_on"] = "An effective date needs the discipline imposed."
    return step, errors


def _validate(case: Case, subject: CaseSubject, entry: LaborRecordInput) -> DisciplineStep | None:
    """Every problem with the input at once (``InvalidInput`` by field), or the step imposed."""
    today = clock.local_today()
    errors = _check_dates(entry.dates(), today)
    step, step_errors = _imposed_step(
        subject, entry.imposed_step, entry.imposed_suspension_days, entry.effective_on, today
    )
    errors = step_errors | errors
    for field in TEXTS:
        if len(getattr(entry, field) or "") > MAX_NOTES:
            errors[field] = f"At most {MAX_NOTES:,} characters."
    errors = due_process_problems(case, subject, entry, step) | errors
    # an immediate dismissal (RCSA 5-240-8a(b)) is not held to the two weeks after the notice: the
    # not_before rules are for every other dismissal and demotion
    if "effective_on" not in errors and not is_immediate(entry, step):
        # no notice yet: it can be issued today at the earliest, so the earliest effective date counts from today
        notice_on = entry.notice_issued_on or today
        facts = deadlines.Facts(notice_issued_on=notice_on, effective_on=entry.effective_on)
        problems = deadlines.not_before_problems(step, facts)
        if problems:
            errors["effective_on"] = " ".join(problems)
    if errors:
        raise InvalidInput(errors)
    return step


def _snapshot(action: LaborAction | None) -> dict[str, object] | None:
    if action is None:
        return None
    return (
        {
            "meeting_on": action.meeting_on,
            "decision_on": action.decision_on,
            "notice_issued_on": action.notice_issued_on,
            "imposed_step": action.imposed_step.code if action.imposed_step else None,
            "imposed_suspension_days": action.imposed_suspension_days,
            "effective_on": action.effective_on,
            "employee_copy_on": action.employee_copy_on,
            "meeting_time": action.meeting_time.isoformat(timespec="minutes") if action.meeting_time else None,
        }
        | {field: getattr(action, field) for field in TEXTS}
        | {
            "union_rep_waived": action.union_rep_waived,
            "decided_by_id": action.decided_by_id,
            "immediate_dismissal": action.immediate_dismissal,
            "personnel_office_notified_on": action.personnel_office_notified_on,
        }
    )


def _as_text(snapshot: dict[str, object] | None) -> dict[str, object] | None:
    if snapshot is None:
        return None
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in snapshot.items()}


def record_labor_action(
    case: Case, subject: CaseSubject, entry: LaborRecordInput, actor: Actor, expected_version: int | None
) -> LaborAction:
    """Create or update the subject's labor relations record. The first record on an approved case starts
    discipline processing; discipline imposed with an effective date is written to the employee's record.

    ``expected_version`` is the record's row version the person saw, or None when they saw no record."""
    permissions.require(
        permissions.can_work_labor_relations(actor.user, case),
        "Only labor relations records discipline, on an approved case.",
    )
    if subject.case_id != case.id:
        raise InvalidInput({"subject": "Choose a subject of this case."})
    action = labor_action_of(subject)
    if action is not None and expected_version is None:
        raise StaleEdit("this labor relations record")
    if action is not None:
        check_version(action.row_version, expected_version, "this labor relations record")
    step = _validate(case, subject, entry)

    before = _snapshot(action)
    with committing("this labor relations record", duplicate_is_conflict=True):
        if action is None:
            action = LaborAction(subject_id=subject.id)
            db.session.add(action)
        for field, value in entry.dates().items():
            setattr(action, field, value)
        action.imposed_step = step
        action.imposed_suspension_days = entry.imposed_suspension_days if step is not None and step.takes_days else None
        for field in TEXTS:
            setattr(action, field, (getattr(entry, field) or "").strip())
        action.meeting_time = entry.meeting_time
        action.union_rep_waived = bool(entry.union_rep_waived)
        action.decided_by_id = entry.decided_by_id
        action.immediate_dismissal = is_immediate(entry, step)
        action.updated_by_id = actor.user.id
        action.updated_at = clock.now()
        db.session.flush()
        if CaseState(case.state) is CaseState.APPROVED:
            move(case, "discipline_started", actor)
        record = _write_discipline_record(case, subject, action)
        record_for(
            actor,
            "labor.recorded",
            case_id=case.id,
            object_type="labor_action",
            object_id=action.id,
            detail={
                "subject": subject.employee.employee_number,
                "before": _as_text(before),
                "after": _as_text(_snapshot(action)),
                "discipline_record": record,
            },
        )
    return action


def _write_discipline_record(case: Case, subject: CaseSubject, action: LaborAction) -> str:
    """Keep the employee's discipline record for this case in step with what was imposed: written once a
    disciplinary step has an effective date, updated when it changes, removed when it is withdrawn."""
    record = db.session.scalars(
        select(DisciplineRecord).where(
            DisciplineRecord.employee_id == subject.employee_id, DisciplineRecord.case_id == case.id
        )
    ).first()
    step = action.imposed_step
    if record is not None and record.expunged_on is not None:
        return _keep_sealed(record, action)
    if step is None or not step.is_discipline or action.effective_on is None:
        if record is None:
            return "none"
        db.session.delete(record)
        return "removed"
    outcome = "updated" if record is not None else "written"
    if record is None:
        record = DisciplineRecord(employee_id=subject.employee_id, case_id=case.id, source="case")
        db.session.add(record)
    record.step_id = step.id
    record.imposed_on = action.effective_on
    record.suspension_days = action.imposed_suspension_days
    record.note = f"Imposed on case {case.number}."
    record.offence_class = offence_class_of(a.clause.number for a in sustained_allegations_of(subject) if a.clause)
    return outcome


def _keep_sealed(record: DisciplineRecord, action: LaborAction) -> str:
    """An expunged record (issue 18) is in the sealed history: other dates and notes of the labor record may
    still be kept, but what was imposed can no longer be changed or withdrawn through it."""
    same = (action.imposed_step_id, action.effective_on, action.imposed_suspension_days) == (
        record.step_id,
        record.imposed_on,
        record.suspension_days,
    )
    if not same:
        raise InvalidInput(
            {
                "imposed_step": f"The discipline of this case was expunged on {record.expunged_on} under the "
                f"retention rule {record.expunged_rule} and is in the sealed history: it can no longer be changed."
            }
        )
    return "sealed"

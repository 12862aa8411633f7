"""The interviews of a case, recorded and changed by the investigator working it while the case is open; and
why a subject was never interviewed (declined, unavailable, separated). Each is part of what the case says: a
change bumps the case's version (voiding any approval) and is audited, naming the entry and never the person
(the audit trail is shown to people who may not see who was interviewed)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from project import clock, permissions
from project.extensions import db
from project.models import (
    Case,
    CaseState,
    CaseSubject,
    Interview,
    NotInterviewedReason,
    SubjectNotInterviewed,
)
from project.services.audit import Actor, record_for
from project.services.casework.investigation.interview_rules import InterviewInput, check_interview
from project.services.casework.review.life_cycle import content_changed
from project.services.errors import InvalidInput, check_version
from project.transaction import committing

MAX_NOTE = 2000
NOT_NOW = "Interviews are recorded by the investigator working the case while it is open; this case is {state}."


def require_interviewing_allowed(case: Case, user: object) -> None:
    """Refuse (``NotPermitted``, saying why) whoever may not record interviews on this case now."""
    if permissions.can_view_case(user, case) and CaseState(case.state) is not CaseState.OPEN:
        raise permissions.NotPermitted(NOT_NOW.format(state=CaseState(case.state).label.lower()))
    permissions.require(
        permissions.can_record_interview(user, case), "Only the investigator working this case records interviews."
    )


def _audit_detail(interview: Interview) -> dict[str, object]:
    return {
        "kind": interview.kind,
        "interviewee": f"subject:{interview.subject_id}" if interview.subject_id else f"person:{interview.person_id}",
        "garrity_form_version": interview.garrity_form_version,
        "representation": interview.representation,
        "recordings": [e.number for e in interview.recordings],
        "signed_garrity_exhibit": interview.garrity_exhibit.number if interview.garrity_exhibit else None,
    }


def record_interview(case: Case, entry: InterviewInput, actor: Actor) -> Interview:
    require_interviewing_allowed(case, actor.user)
    checked = check_interview(case, entry)
    with committing(f"the interviews of case {case.number}"):
        interview = Interview(case_id=case.id, recorded_by_id=actor.user.id, recorded_at=clock.now(), **checked.values)
        interview.interviewers = checked.interviewers
        interview.recordings = checked.recordings
        db.session.add(interview)
        db.session.flush()
        content_changed(case, actor, "interview recorded")
        record_for(
            actor,
            "interview.recorded",
            case_id=case.id,
            object_type="interview",
            object_id=interview.id,
            detail=_audit_detail(interview),
        )
    return interview


def change_interview(
    case: Case, interview: Interview, entry: InterviewInput, actor: Actor, expected_version: int | None
) -> Interview:
    """Change an interview's record; the audit event names the fields changed (and kept values that name no
    one: the type, the form version, the exhibits)."""
    require_interviewing_allowed(case, actor.user)
    if interview.case_id != case.id:
        raise InvalidInput({"interview": "This interview is not one of this case's."})
    check_version(interview.row_version, expected_version, "this interview")
    checked = check_interview(case, entry)
    with committing("this interview"):
        before = _audit_detail(interview)
        changed = [key for key, value in checked.values.items() if getattr(interview, key) != value]
        if [u.id for u in interview.interviewers] != [u.id for u in checked.interviewers]:
            changed.append("interviewers")
        if [e.id for e in interview.recordings] != [e.id for e in checked.recordings]:
            changed.append("recordings")
        for key, value in checked.values.items():
            setattr(interview, key, value)
        interview.interviewers = checked.interviewers
        interview.recordings = checked.recordings
        interview.changed_by_id, interview.changed_at = actor.user.id, clock.now()
        db.session.flush()
        db.session.expire(interview, ["garrity_exhibit", "subject", "person"])  # read again by their new ids
        content_changed(case, actor, "interview changed")
        record_for(
            actor,
            "interview.changed",
            case_id=case.id,
            object_type="interview",
            object_id=interview.id,
            detail={"fields": changed, "before": before, "after": _audit_detail(interview)},
        )
    return interview


def interviews_of(case: Case) -> list[Interview]:
    """The case's interviews, in the order they were held."""
    return list(
        db.session.scalars(
            select(Interview)
            .where(Interview.case_id == case.id)
            .order_by(Interview.held_at, Interview.id)
            .options(
                selectinload(Interview.interviewers),
                selectinload(Interview.recordings),
                selectinload(Interview.subject).selectinload(CaseSubject.employee),
                selectinload(Interview.person),
            )
        )
    )


def interview_of_case(case: Case, interview_id: int) -> Interview | None:
    interview = db.session.get(Interview, interview_id)
    return interview if interview is not None and interview.case_id == case.id else None


@dataclass
class NotInterviewedInput:
    subject_id: int | None
    reason: str
    note: str


def record_not_interviewed(case: Case, entry: NotInterviewedInput, actor: Actor) -> SubjectNotInterviewed:
    """Record why a subject was never interviewed (declined, unavailable, separated), with a note; a second
    record for the same subject replaces the first (both are in the audit trail)."""
    require_interviewing_allowed(case, actor.user)
    subject = db.session.get(CaseSubject, entry.subject_id) if entry.subject_id else None
    errors = {}
    if subject is None or subject.case_id != case.id:
        errors["subject"] = "Choose a subject of this case."
    if entry.reason not in {r.value for r in NotInterviewedReason}:
        errors["reason"] = "Choose why: declined, unavailable or separated."
    note = (entry.note or "").strip()
    if not note:
        errors["note"] = "Say what happened (the dates asked, the answer, the separation date)."
    elif len(note) > MAX_NOTE:
        errors["note"] = f"A note is at most {MAX_NOTE} characters."
    if errors:
        raise InvalidInput(errors)
    assert subject is not None
    with committing(f"the interviews of case {case.number}", duplicate_is_conflict=True):
        row = db.session.scalar(select(SubjectNotInterviewed).where(SubjectNotInterviewed.subject_id == subject.id))
        action = "interview.not_held_changed" if row is not None else "interview.not_held_recorded"
        if row is None:
            row = SubjectNotInterviewed(case_id=case.id, subject_id=subject.id)
            db.session.add(row)
        row.reason, row.note = entry.reason, note
        row.recorded_by_id, row.recorded_at = actor.user.id, clock.now()
        db.session.flush()
        content_changed(case, actor, "why a subject was not interviewed")
        record_for(
            actor,
            action,
            case_id=case.id,
            object_type="subject",
            object_id=subject.id,
            detail={"reason": entry.reason, "employee_number": subject.employee.employee_number},
        )
    return row


def not_interviewed_of(case: Case) -> dict[int, SubjectNotInterviewed]:
    """Why each subject never interviewed was not, by subject id."""
    rows = db.session.scalars(select(SubjectNotInterviewed).where(SubjectNotInterviewed.case_id == case.id))
    return {row.subject_id: row for row in rows}

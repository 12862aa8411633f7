"""What every grievance use case checks and writes the same way: the person and the case, the dates, the
texts, the unit's procedure, the discipline record an outcome changes, and the audit snapshot."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from project import clock, permissions
from project.extensions import db
from project.models import Case, CaseSubject, DisciplineRecord, Grievance, GrievanceStep
from project.services.audit import Actor, record_for
from project.services.errors import InvalidInput, StaleEdit, check_version
from project.services.labor import GrievanceProcedure, rights_of

MAX_TEXT = 20_000
MAX_NAME = 200


def require_grievance_work(case: Case, actor: Actor) -> None:
    permissions.require(
        permissions.can_work_grievances(actor.user, case),
        "Only labor relations records grievances, while the case is in discipline.",
    )


def grievance_of(subject: CaseSubject) -> Grievance | None:
    return db.session.scalars(select(Grievance).where(Grievance.subject_id == subject.id)).first()


def grievances_of(case: Case) -> list[Grievance]:
    """The grievances of the case's subjects, in subject order."""
    return list(
        db.session.scalars(
            select(Grievance)
            .join(CaseSubject, CaseSubject.id == Grievance.subject_id)
            .where(CaseSubject.case_id == case.id)
            .order_by(CaseSubject.id)
        )
    )


def checked_grievance(case: Case, grievance: Grievance, expected_version: int | None) -> None:
    """The grievance belongs to the case and is as the person saw it."""
    if grievance.subject.case_id != case.id:
        raise InvalidInput({"grievance": "Choose a grievance of this case."})
    if expected_version is None:
        raise StaleEdit("this grievance")
    check_version(grievance.row_version, expected_version, "this grievance")


def procedure_for(subject: CaseSubject) -> GrievanceProcedure:
    """The grievance steps of the subject's bargaining unit, or a refusal that says why there are none."""
    unit = subject.employee.bargaining_unit or ""
    rights = rights_of(unit)
    if rights is None or rights.grievance is None:
        where = f"the {unit} unit" if unit.strip() else "an employee outside any bargaining unit"
        raise InvalidInput(
            {
                "filed_on": f"No grievance procedure is on file for {where} "
                "(seed_data/bargaining_units.toml); an employee outside a unit appeals to the Employees' "
                "Review Board (C.G.S. 5-202)."
            }
        )
    return rights.grievance


def check_day(
    errors: dict[str, str], field: str, day: date | None, what: str, *, required: bool, after: date | None = None
) -> None:
    """``day`` is given when required, not in the future, and not before ``after`` when that is known."""
    today = clock.local_today()
    if day is None:
        if required:
            errors[field] = f"Give {what}."
        return
    if day > today:
        errors[field] = f"{what[:1].upper()}{what[1:]} cannot be in the future (today is {today.isoformat()})."
    elif after is not None and day < after:
        errors[field] = f"{what[:1].upper()}{what[1:]} cannot be before {after.isoformat()}."


def check_text(errors: dict[str, str], field: str, text: str, limit: int = MAX_TEXT) -> str:
    cleaned = (text or "").strip()
    if len(cleaned) > limit:
        errors[field] = f"At most {limit:,} characters."
    return cleaned


def discipline_record_of(case: Case, subject: CaseSubject) -> DisciplineRecord | None:
    """The subject's discipline record written for this case (once the discipline had an effective date)."""
    return db.session.scalars(
        select(DisciplineRecord).where(
            DisciplineRecord.employee_id == subject.employee_id, DisciplineRecord.case_id == case.id
        )
    ).first()


def step_snapshot(step: GrievanceStep) -> dict[str, Any]:
    return {
        "number": step.number,
        "name": step.name,
        "filed_on": step.filed_on,
        "hearing_on": step.hearing_on,
        "decision_on": step.decision_on,
        "decision": step.decision,
        "decision_text": step.decision_text,
    }


def snapshot(grievance: Grievance | None) -> dict[str, Any] | None:
    if grievance is None:
        return None
    arbitration = grievance.arbitration
    return {
        "state": grievance.state,
        "number": grievance.number,
        "filed_on": grievance.filed_on,
        "representative": grievance.representative,
        "representative_union": grievance.representative_union,
        "closed_on": grievance.closed_on,
        "notes": grievance.notes,
        "steps": [step_snapshot(s) for s in grievance.steps],
        "arbitration": None
        if arbitration is None
        else {
            "arbitrator": arbitration.arbitrator,
            "demanded_on": arbitration.demanded_on,
            "hearing_on": arbitration.hearing_on,
            "last_hearing_on": arbitration.last_hearing_on,
            "award": arbitration.award,
            "award_on": arbitration.award_on,
            "back_pay_cents": arbitration.back_pay_cents,
            "award_exhibit": arbitration.award_exhibit.number if arbitration.award_exhibit else None,
        },
        "agreements": [
            {"kind": a.kind, "signed_on": a.signed_on, "expires_on": a.expires_on, "terms": a.terms}
            for a in grievance.agreements
        ],
    }


def as_text(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    return value


def audit(actor: Actor, action: str, grievance: Grievance, before: dict[str, Any] | None) -> None:
    """The grievance's audit event, with the grievance before and after the change."""
    db.session.flush()
    record_for(
        actor,
        action,
        case_id=grievance.subject.case_id,
        object_type="grievances",
        object_id=grievance.id,
        detail={
            "subject": grievance.subject.employee.employee_number,
            "before": as_text(before),
            "after": as_text(snapshot(grievance)),
        },
    )


def touch(grievance: Grievance, actor: Actor) -> None:
    """Who changed the grievance and when; the row is written even when only its steps, arbitration or
    agreements changed, so its version moves and a form opened before the change is refused as stale."""
    grievance.updated_by_id = actor.user.id
    grievance.updated_at = clock.now()
    flag_modified(grievance, "updated_at")

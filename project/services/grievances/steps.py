"""A grievance through its steps: filed after the written notice, each step heard and decided, appealed to the
next step, or ended (withdrawn, or decided and not appealed). Each step takes its deadlines from the unit's
procedure in ``seed_data/bargaining_units.toml`` when it is filed or heard, with their source, so the deadline
list and the notices show them (``project.services.deadlines``). A step decision that grants the grievance or
modifies the penalty changes the discipline record the one way it is changed (``discipline``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from project import permissions
from project.extensions import db
from project.models import (
    Case,
    CaseState,
    CaseSubject,
    Grievance,
    GrievanceState,
    GrievanceStep,
    StepDecision,
)
from project.services import discipline
from project.services.audit import Actor
from project.services.casework import reopen_for_grievance
from project.services.errors import InvalidInput
from project.services.grievances.checks import (
    MAX_NAME,
    audit,
    check_day,
    check_text,
    checked_grievance,
    discipline_record_of,
    grievance_of,
    procedure_for,
    require_grievance_work,
    snapshot,
    touch,
)
from project.services.labor import GrievanceProcedure, labor_action_of
from project.transaction import committing


@dataclass(frozen=True)
class GrievanceInput:
    """The filing (field names are the form's): the union's grievance number, the day it was filed, the
    representative and their union, and notes."""

    filed_on: date | None
    number: str = ""
    representative: str = ""
    representative_union: str = ""
    notes: str = ""


@dataclass(frozen=True)
class StepInput:
    """The current step's hearing and decision. A decision that modifies the penalty names the substitute
    step (a code of the ladder) and its days; one that grants the grievance rescinds the discipline."""

    hearing_on: date | None = None
    decision_on: date | None = None
    decision: str = ""
    decision_text: str = ""
    step: str = ""
    suspension_days: int | None = None


def _new_step(
    grievance: Grievance, procedure: GrievanceProcedure, number: int, filed_on: date, due: date | None
) -> GrievanceStep:
    rule = procedure.steps[number - 1]
    return GrievanceStep(
        grievance=grievance,
        number=number,
        name=rule.name,
        filed_on=filed_on,
        file_due_on=due,
        hearing_due_on=filed_on + timedelta(days=rule.hearing_within_days),
        warn_days=procedure.warn_days,
        authority=procedure.authority,
        set_by=procedure.set_by,
        set_on=procedure.set_on,
    )


def file_grievance(case: Case, subject: CaseSubject, entry: GrievanceInput, actor: Actor) -> Grievance:
    """Record the grievance of the subject's discipline at the unit's first step (labor relations, after the
    written notice). Filing after the contract's time limit is recorded, and shown. A closed case is reopened in
    discipline in the same commit: it may have closed while the filing window was open."""
    permissions.require(
        permissions.can_file_grievance(actor.user, case),
        "Only labor relations records grievances, while the case is in discipline or once it is closed.",
    )
    if subject.case_id != case.id:
        raise InvalidInput({"subject": "Choose a subject of this case."})
    if grievance_of(subject) is not None:
        raise InvalidInput({"filed_on": f"A grievance of {subject.employee.display_name} is already on record."})
    action = labor_action_of(subject)
    notice_on = action.notice_issued_on if action is not None else None
    if notice_on is None:
        raise InvalidInput({"filed_on": "A grievance follows the written notice: record the notice first."})
    procedure = procedure_for(subject)
    errors: dict[str, str] = {}
    check_day(errors, "filed_on", entry.filed_on, "the day the grievance was filed", required=True, after=notice_on)
    texts = {
        name: check_text(errors, name, getattr(entry, name), MAX_NAME)
        for name in ("number", "representative", "representative_union")
    }
    notes = check_text(errors, "notes", entry.notes)
    if errors:
        raise InvalidInput(errors)
    assert entry.filed_on is not None
    with committing("this grievance", duplicate_is_conflict=True):
        grievance = Grievance(subject=subject, filed_on=entry.filed_on, notes=notes, **texts)
        touch(grievance, actor)
        db.session.add(grievance)
        first_due = notice_on + timedelta(days=procedure.steps[0].file_within_days)
        db.session.add(_new_step(grievance, procedure, 1, entry.filed_on, first_due))
        audit(actor, "grievance.filed", grievance, None)
        if case.state == CaseState.CLOSED.value:
            on = entry.filed_on.isoformat()
            reopen_for_grievance(case, actor, f"Grievance of {subject.employee.display_name} filed on {on}.")
    return grievance


def _decision_errors(step: GrievanceStep, entry: StepInput, hearing_on: date | None, errors: dict[str, str]) -> None:
    if not entry.decision and entry.decision_on is None:
        return
    if entry.decision not in {d.value for d in StepDecision}:
        errors["decision"] = "Choose the decision: denied, granted or modified."
    check_day(
        errors,
        "decision_on",
        entry.decision_on,
        "the day of the decision",
        required=True,
        after=hearing_on or step.filed_on,
    )
    if step.decision is not None:
        errors["decision"] = f"{step.name} was already decided on {step.decision_on}."
    if entry.decision == StepDecision.MODIFIED and not entry.step:
        errors["step"] = "A modified penalty needs the step that stands instead."


def _record_change(case: Case, grievance: Grievance, entry: StepInput, actor: Actor) -> None:
    """A granted grievance rescinds the discipline; a modified penalty stands in for the one imposed."""
    if entry.decision not in (StepDecision.GRANTED, StepDecision.MODIFIED):
        return
    record = discipline_record_of(case, grievance.subject)
    if record is None:
        raise InvalidInput({"decision": "No discipline is on record for this case yet (no effective date)."})
    discipline.apply_record_modification(
        record,
        discipline.RecordModificationInput(
            source="grievance",
            modified_on=entry.decision_on,
            reason=(entry.decision_text or "").strip() or f"Grievance {entry.decision} at {grievance.steps[-1].name}.",
            rescinded=entry.decision == StepDecision.GRANTED,
            step="" if entry.decision == StepDecision.GRANTED else entry.step,
            suspension_days=None if entry.decision == StepDecision.GRANTED else entry.suspension_days,
        ),
        actor,
    )


def record_step(case: Case, grievance: Grievance, entry: StepInput, actor: Actor, expected_version: int | None) -> None:
    """Record the current step's hearing and, when given, its decision. A denial or a modification opens the
    time to appeal (the next step, or arbitration after the last); a grant ends the grievance."""
    require_grievance_work(case, actor)
    checked_grievance(case, grievance, expected_version)
    step = grievance.current_step
    if not grievance.is_open or grievance.state != GrievanceState.OPEN or step is None:
        raise InvalidInput({"decision": "This grievance is not at a step."})
    procedure = procedure_for(grievance.subject)
    errors: dict[str, str] = {}
    check_day(errors, "hearing_on", entry.hearing_on, "the day of the hearing", required=False, after=step.filed_on)
    hearing_on = entry.hearing_on or step.hearing_on
    _decision_errors(step, entry, hearing_on, errors)
    text = check_text(errors, "decision_text", entry.decision_text)
    if errors:
        raise InvalidInput(errors)
    before = snapshot(grievance)
    with committing("this grievance"):
        if entry.hearing_on is not None:
            step.hearing_on = entry.hearing_on
            rule = procedure.steps[min(step.number, len(procedure.steps)) - 1]
            step.decision_due_on = entry.hearing_on + timedelta(days=rule.decision_within_days)
        if entry.decision_on is not None:
            step.decision, step.decision_on, step.decision_text = entry.decision, entry.decision_on, text
            if entry.decision == StepDecision.GRANTED:
                grievance.state, grievance.closed_on = GrievanceState.RESOLVED.value, entry.decision_on
            elif step.number < len(procedure.steps):
                next_rule = procedure.steps[step.number]
                step.appeal_due_on = entry.decision_on + timedelta(days=next_rule.file_within_days)
            else:
                step.appeal_due_on = entry.decision_on + timedelta(days=procedure.arbitration_within_days)
            _record_change(case, grievance, entry, actor)
        touch(grievance, actor)
        audit(actor, "grievance.step_recorded", grievance, before)


def appeal_grievance(
    case: Case, grievance: Grievance, appealed_on: date | None, actor: Actor, expected_version: int | None
) -> GrievanceStep:
    """Take a decided grievance to the unit's next step (after the last, arbitration is demanded instead)."""
    require_grievance_work(case, actor)
    checked_grievance(case, grievance, expected_version)
    step = grievance.current_step
    procedure = procedure_for(grievance.subject)
    if grievance.state != GrievanceState.OPEN or step is None or step.decision is None:
        raise InvalidInput({"appealed_on": "Only a grievance whose current step is decided can be appealed."})
    if step.number >= len(procedure.steps):
        raise InvalidInput({"appealed_on": f"{step.name} is the last step: demand arbitration instead."})
    errors: dict[str, str] = {}
    check_day(errors, "appealed_on", appealed_on, "the day of the appeal", required=True, after=step.decision_on)
    if errors:
        raise InvalidInput(errors)
    assert appealed_on is not None
    before = snapshot(grievance)
    with committing("this grievance"):
        new = _new_step(grievance, procedure, step.number + 1, appealed_on, step.appeal_due_on)
        db.session.add(new)
        touch(grievance, actor)
        audit(actor, "grievance.appealed", grievance, before)
    return new


ENDINGS = {
    GrievanceState.WITHDRAWN.value: "withdrawn by the union or the employee",
    GrievanceState.RESOLVED.value: "decided and not appealed",
}


def end_grievance(
    case: Case,
    grievance: Grievance,
    state: str,
    ended_on: date | None,
    reason: str,
    actor: Actor,
    expected_version: int | None,
) -> None:
    """End an open grievance that nothing else ends: withdrawn, or its last decision not appealed in time."""
    require_grievance_work(case, actor)
    checked_grievance(case, grievance, expected_version)
    errors: dict[str, str] = {}
    if not grievance.is_open:
        errors["state"] = "This grievance is not open."
    elif state not in ENDINGS:
        errors["state"] = "Choose withdrawn, or decided and not appealed."
    elif state == GrievanceState.RESOLVED and (
        grievance.current_step is None or grievance.current_step.decision is None
    ):
        errors["state"] = "Only a decided grievance ends unappealed; record the step's decision first."
    check_day(errors, "ended_on", ended_on, "the day it ended", required=True, after=grievance.filed_on)
    text = check_text(errors, "reason", reason)
    if not text:
        errors["reason"] = "Say how the grievance ended; it is kept with the record."
    if errors:
        raise InvalidInput(errors)
    before = snapshot(grievance)
    with committing("this grievance"):
        grievance.state, grievance.closed_on = state, ended_on
        grievance.notes = "\n\n".join(part for part in (grievance.notes, f"Ended ({ENDINGS[state]}): {text}") if part)
        touch(grievance, actor)
        audit(actor, "grievance.ended", grievance, before)

"""A subject's discipline proposal: made by the investigator against the step the system suggests
(``discipline.suggest_step``), or withdrawn. A step other than the suggested one needs a written justification;
every change is audited with the proposal before and after. The reviewing supervisor never changes it: a
modification at review is a record of its own (``discipline.review_changes``)."""

from __future__ import annotations

from dataclasses import dataclass

from project import clock, permissions
from project.extensions import db
from project.models import Case, CaseSubject, DisciplineLadder, DisciplineProposal, DisciplineStep
from project.services.audit import Actor, record_for
from project.services.casework import content_changed, proposal_of
from project.services.discipline.comparables import Comparison, comparable_cases
from project.services.discipline.lookback import step_refusal
from project.services.discipline.suggestion import (
    Suggestion,
    ladder_in_force,
    step_by_code,
    suggest_step,
    sustained_allegations_of,
)
from project.services.errors import InvalidInput, StaleEdit, check_version
from project.transaction import committing

MAX_JUSTIFICATION = 20_000  # characters of a justification or a reviewer's reason


@dataclass(frozen=True)
class ProposalInput:
    """A proposed step of the discipline ladder as the discipline form gives it (the field names are the
    form's): the step's code, its days for a suspension, and the written justification (at review: the
    reason for the change)."""

    step: str
    suspension_days: int | None = None
    justification: str = ""
    comparables_reason: str = ""  # why the step stands well above or below the comparable cases


def step_problems(
    ladder: DisciplineLadder, subject: CaseSubject, step_code: str, days: int | None
) -> tuple[DisciplineStep | None, dict[str, str]]:
    """The ladder step chosen, and every problem with it and its days at once (field name: message), so the
    form shows all of them together rather than one per try. The step is None when none was chosen."""
    errors: dict[str, str] = {}
    step = step_by_code(ladder, (step_code or "").strip())
    cap = ladder.suspension_cap_days
    if step is None:
        errors["step"] = "Choose a step from the discipline ladder."
        if days is not None and not 1 <= days <= cap:
            errors["suspension_days"] = f"A suspension is from 1 to {cap} days."
        return None, errors
    if refusal := step_refusal(step, subject.employee):
        errors["step"] = f"{refusal}."
    elif step.is_discipline and not sustained_allegations_of(subject):
        errors["step"] = (
            f"No allegation against {subject.employee.display_name} is sustained, so no "
            "discipline can be proposed: propose counseling or nothing."
        )
    if step.takes_days and (days is None or not 1 <= days <= cap):
        errors["suspension_days"] = f"A suspension needs its number of days, from 1 to {cap}."
    if not step.takes_days and days:
        errors["suspension_days"] = f"Only a suspension takes a number of days, not a {step.name.lower()}."
    return step, errors


def _check_subject(case: Case, subject: CaseSubject) -> None:
    if subject.case_id != case.id:
        raise InvalidInput({"subject": "Choose a subject of this case."})


def _check_proposal_version(proposal: DisciplineProposal | None, expected_version: int | None) -> None:
    """``expected_version`` is the row version the person saw, or None when they saw no proposal at all."""
    if proposal is not None and expected_version is None:
        raise StaleEdit("this discipline proposal")
    if proposal is not None:
        check_version(proposal.row_version, expected_version, "this discipline proposal")


def _snapshot(proposal: DisciplineProposal | None) -> dict[str, object] | None:
    if proposal is None:
        return None
    return {
        "step": proposal.proposed_step.code,
        "suspension_days": proposal.suspension_days,
        "suggested": proposal.suggested_step.code if proposal.suggested_step else None,
        "justification": proposal.departure_justification,
        "comparables_reason": proposal.comparables_reason,
    }


def _store(
    subject: CaseSubject,
    proposal: DisciplineProposal | None,
    suggestion: Suggestion,
    step: DisciplineStep,
    days: int | None,
    justification: str,
    comparables_reason: str,
    actor: Actor,
) -> DisciplineProposal:
    if proposal is None:
        proposal = DisciplineProposal(subject_id=subject.id)
        db.session.add(proposal)
    proposal.suggested_step = suggestion.step
    proposal.suggestion_reason = suggestion.reason
    proposal.proposed_step = step
    proposal.suspension_days = days if step.takes_days else None
    proposal.departure_justification = justification
    proposal.comparables_reason = comparables_reason
    proposal.proposed_by_id = actor.user.id
    proposal.proposed_at = clock.now()
    db.session.flush()
    return proposal


def departs_from(suggestion: Suggestion, step: DisciplineStep) -> bool:
    """Whether a proposed step is not the suggested one (counseling is no departure from "no discipline")."""
    if suggestion.step is None:
        return step.is_discipline
    return step.id != suggestion.step.id


def _comparables_reason(
    comparison: Comparison, step: DisciplineStep | None, entry: ProposalInput, errors: dict[str, str]
) -> str:
    """The reason for departing from the comparable cases, required when the step is well above or below them
    (``comparables.Comparison.departure``); the refusal says how far and by which department settings."""
    reason = (entry.comparables_reason or "").strip()
    if len(reason) > MAX_JUSTIFICATION:
        errors["comparables_reason"] = f"The reason is at most {MAX_JUSTIFICATION:,} characters."
    elif step is not None and not reason and (departure := comparison.departure(step)):
        errors["comparables_reason"] = f"{departure}. Give the reason for departing from the comparable cases."
    return reason


def propose_discipline(
    case: Case, subject: CaseSubject, entry: ProposalInput, actor: Actor, expected_version: int | None
) -> DisciplineProposal:
    """Create or update the subject's one proposal, storing the suggestion it was made against. A step other
    than the suggested one needs a written justification."""
    permissions.require(permissions.can_edit_case(actor.user, case))
    _check_subject(case, subject)
    proposal = proposal_of(subject)
    _check_proposal_version(proposal, expected_version)
    today = clock.local_today()
    step, errors = step_problems(ladder_in_force(today), subject, entry.step, entry.suspension_days)
    suggestion = suggest_step(subject, today)
    justification = (entry.justification or "").strip()
    if len(justification) > MAX_JUSTIFICATION:
        errors["justification"] = f"The justification is at most {MAX_JUSTIFICATION:,} characters."
    elif step is not None and departs_from(suggestion, step) and not justification:
        suggested = suggestion.step.name.lower() if suggestion.step else "no discipline"
        errors["justification"] = (
            f"The suggested step is {suggested}; proposing {step.name.lower()} instead needs a written justification."
        )
    comparison = comparable_cases(case, subject, None)
    comparables_reason = _comparables_reason(comparison, step, entry, errors)
    if errors or step is None:
        raise InvalidInput(errors)
    before = _snapshot(proposal)
    with committing("this discipline proposal", duplicate_is_conflict=True):
        proposal = _store(
            subject, proposal, suggestion, step, entry.suspension_days, justification, comparables_reason, actor
        )
        content_changed(case, actor, "discipline proposed")
        record_for(
            actor,
            "discipline.proposed",
            case_id=case.id,
            object_type="discipline_proposal",
            object_id=proposal.id,
            detail={
                "subject": subject.employee.employee_number,
                "before": before,
                "after": _snapshot(proposal),
                "reason": suggestion.reason,
                "comparables": {
                    "count": comparison.total,
                    "median": comparison.median_step.code if comparison.median_step else None,
                    "departure": comparison.departure(step),
                },
            },
        )
    return proposal


def withdraw_proposal(case: Case, subject: CaseSubject, actor: Actor, expected_version: int | None) -> None:
    """Remove the subject's proposal (e.g. after the findings changed and nothing is sustained any more)."""
    permissions.require(permissions.can_edit_case(actor.user, case))
    _check_subject(case, subject)
    proposal = proposal_of(subject)
    if proposal is None:
        raise InvalidInput({"step": f"{subject.employee.display_name} has no discipline proposal."})
    check_version(proposal.row_version, expected_version, "this discipline proposal")
    before = _snapshot(proposal)
    with committing("this discipline proposal", duplicate_is_conflict=True):
        db.session.delete(proposal)
        content_changed(case, actor, "discipline proposal withdrawn")
        record_for(
            actor,
            "discipline.withdrawn",
            case_id=case.id,
            object_type="discipline_proposal",
            object_id=proposal.id,
            detail={"subject": subject.employee.employee_number, "before": before},
        )

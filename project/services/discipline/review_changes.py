"""The reviewing supervisor's modification of a proposed discipline, and the discipline as the case's current
review stands. A modification is a row of its own (``ProposalModification``); the investigator's proposal stays
exactly as the investigator made it, so both can be shown and argued over. A modification counts only in the
review cycle it was made in (``casework.modifications_in_review``): once the case is returned, resubmitted or
reopened, the investigator's proposal stands again until a supervisor modifies it anew."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from project import clock, permissions
from project.extensions import db
from project.models import Case, CaseSubject, DisciplineProposal, DisciplineStep, ProposalModification, User
from project.services.audit import Actor, record_for
from project.services.casework import (
    content_changed,
    discipline_phrase,
    modifications_in_review,
    modifications_of,
    proposal_of,
)
from project.services.discipline.proposals import (
    MAX_JUSTIFICATION,
    ProposalInput,
    _check_subject,
    _snapshot,
    departs_from,
    step_problems,
)
from project.services.discipline.suggestion import ladder_in_force, suggest_step
from project.services.errors import InvalidInput, check_version
from project.transaction import committing


@dataclass(frozen=True)
class ApprovedDiscipline:
    """The discipline of one subject as the case's current review stands: the investigator's proposal
    (``source`` "proposal") or the latest modification made at this review (``source`` "review")."""

    step: DisciplineStep
    suspension_days: int | None
    source: Literal["proposal", "review"]
    by: User | None
    at: datetime
    reason: str  # the departure justification of a proposal, the reason of a modification

    @property
    def description(self) -> str:
        """ "Written reprimand", or "Suspension of 3 days"."""
        return discipline_phrase(self.step.name, self.suspension_days)


def approved_discipline(subject: CaseSubject) -> ApprovedDiscipline | None:
    """The latest modification made since the case was last submitted, else the investigator's proposal; None
    when the subject has no proposal."""
    modifications = modifications_in_review(subject.case, subject)
    if modifications:
        latest = modifications[-1]
        return ApprovedDiscipline(
            latest.step, latest.suspension_days, "review", latest.modified_by, latest.modified_at, latest.reason
        )
    proposal = proposal_of(subject)
    if proposal is None:
        return None
    return ApprovedDiscipline(
        proposal.proposed_step,
        proposal.suspension_days,
        "proposal",
        db.session.get(User, proposal.proposed_by_id),
        proposal.proposed_at,
        proposal.departure_justification,
    )


def _modification_snapshot(modification: ProposalModification) -> dict[str, object]:
    return {
        "step": modification.step.code,
        "suspension_days": modification.suspension_days,
        "reason": modification.reason,
    }


def modify_proposal_at_review(
    case: Case, subject: CaseSubject, entry: ProposalInput, actor: Actor, expected_version: int | None = None
) -> ProposalModification:
    """A reviewing supervisor modifies the discipline before "approve with modification": a new record beside
    the investigator's proposal, which is left as it was. The reason (the form's justification) is required."""
    permissions.require(permissions.can_review(actor.user, case), "You may not review this case.")
    _check_subject(case, subject)
    proposal = proposal_of(subject)
    if proposal is None:
        raise InvalidInput({"step": f"{subject.employee.display_name} has no discipline proposal to modify."})
    check_version(proposal.row_version, expected_version, "this discipline proposal")
    today = clock.local_today()
    step, errors = step_problems(ladder_in_force(today), subject, entry.step, entry.suspension_days)
    reason = (entry.justification or "").strip()
    if not reason:
        errors["justification"] = "Give the reason for the modification; it is kept with the review."
    elif len(reason) > MAX_JUSTIFICATION:
        errors["justification"] = f"The reason is at most {MAX_JUSTIFICATION:,} characters."
    if errors or step is None:
        raise InvalidInput(errors)
    days = entry.suspension_days if step.takes_days else None
    standing = approved_discipline(subject)
    if standing is not None and (standing.step.id, standing.suspension_days) == (step.id, days):
        raise InvalidInput(
            {"step": f"The discipline already stands at {standing.description.lower()}: nothing would change."}
        )
    before = _modification_snapshot_of(standing)
    with committing("this discipline modification"):
        content_changed(case, actor, "discipline modified at review")
        modification = ProposalModification(
            subject_id=subject.id,
            proposal_id=proposal.id,
            step_id=step.id,
            suspension_days=days,
            reason=reason,
            modified_by_id=actor.user.id,
            modified_at=clock.now(),
            content_version=case.content_version,
        )
        db.session.add(modification)
        db.session.flush()
        record_for(
            actor,
            "discipline.modified_at_review",
            case_id=case.id,
            object_type="discipline_proposal",
            object_id=proposal.id,
            detail={
                "subject": subject.employee.employee_number,
                "modification": modification.id,
                "proposal": _snapshot(proposal),
                "before": before,
                "after": _modification_snapshot(modification),
                "departs_from_suggestion": departs_from(suggest_step(subject, today), step),
                "reason": reason,
            },
        )
    return modification


def _modification_snapshot_of(standing: ApprovedDiscipline | None) -> dict[str, object] | None:
    if standing is None:
        return None
    return {"step": standing.step.code, "suspension_days": standing.suspension_days, "source": standing.source}


@dataclass(frozen=True)
class DisciplineHistory:
    """What the proposal and review pages show of one subject's discipline: the investigator's proposal as made,
    the modifications of this review cycle (the last one stands), and those of earlier cycles, which no longer
    apply."""

    proposal: DisciplineProposal | None
    proposed_by: User | None
    modifications: list[ProposalModification]
    earlier: list[ProposalModification]
    standing: ApprovedDiscipline | None


def discipline_history(subject: CaseSubject) -> DisciplineHistory:
    proposal = proposal_of(subject)
    current = modifications_in_review(subject.case, subject)
    current_ids = {m.id for m in current}
    return DisciplineHistory(
        proposal=proposal,
        proposed_by=db.session.get(User, proposal.proposed_by_id) if proposal else None,
        modifications=current,
        earlier=[m for m in modifications_of(subject) if m.id not in current_ids],
        standing=approved_discipline(subject),
    )

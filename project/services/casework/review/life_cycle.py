"""The life cycle of a case, in one place: which moves exist, from which states, who may make them,
and the record of each (who, when, why). Every move commits once, with its audit event and the notices it causes
(``project.services.notifications.inbox``).

    intake -> open -> in_review -> approved -> discipline -> closed
                ^         |  \\-> closed (no violation, or a Commissioner's exception, AD 2.26 5.e)
                +---------+ returned            closed -> open (reopened by a supervisor, with a reason)
                                                closed -> discipline (a grievance filed after the close)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import (
    OPEN_GRIEVANCE_STATES,
    Case,
    CaseState,
    CaseSubject,
    CaseTransition,
    Grievance,
    GrievanceState,
    Review,
    ReviewDecision,
    Role,
    User,
)
from project.services.audit import Actor, record_for
from project.services.casework.review.approval_conditions import attach_to_approval, check_approval_conditions
from project.services.casework.review.readiness import submission_problems, sustained_allegations
from project.services.casework.review.review_history import content_snapshot, modifications_in_review
from project.services.errors import CaseworkError, InvalidInput
from project.services.notifications import notify_move
from project.transaction import committing

S = CaseState
MOVES: dict[str, tuple[frozenset[CaseState], CaseState, str]] = {
    # action: (from states, to state, what the timeline says)
    "assigned": (frozenset({S.INTAKE, S.OPEN}), S.OPEN, "assigned"),
    "submitted": (frozenset({S.OPEN}), S.IN_REVIEW, "submitted for review"),
    "returned": (frozenset({S.IN_REVIEW}), S.OPEN, "returned to the investigator"),
    "approved": (frozenset({S.IN_REVIEW}), S.APPROVED, "approved"),
    "closed_no_violation": (frozenset({S.IN_REVIEW}), S.CLOSED, "closed: no violation"),
    "closed_by_exception": (frozenset({S.IN_REVIEW}), S.CLOSED, "closed: Commissioner's exception (AD 2.26 5.e)"),
    "discipline_started": (frozenset({S.APPROVED}), S.DISCIPLINE, "discipline processing started"),
    "closed": (frozenset({S.DISCIPLINE}), S.CLOSED, "closed"),
    "reopened": (frozenset({S.CLOSED}), S.OPEN, "reopened"),
    # a grievance filed after the close, within the filing window (``grievances.file_grievance``)
    "grievance_filed": (frozenset({S.CLOSED}), S.DISCIPLINE, "reopened in discipline: grievance filed"),
}


def move(
    case: Case,
    action: str,
    actor: Actor,
    reason: str = "",
    assignee: User | None = None,
    noted: dict[str, Any] | None = None,
) -> CaseTransition:
    """Apply one move of the life cycle (the caller has checked permission) and record it, with ``noted``:
    facts the move was made knowing (kept in its audit event)."""
    allowed_from, to_state, _ = MOVES[action]
    current = CaseState(case.state)
    if current not in allowed_from:
        raise CaseworkError(f"Case {case.number} is {current.label.lower()}; it cannot be {MOVES[action][2]} now.")
    now = clock.now()
    transition = CaseTransition(
        case=case,
        from_state=current.value,
        to_state=to_state.value,
        action=action,
        reason=reason.strip(),
        actor_id=actor.user.id,
        assignee_id=assignee.id if assignee else None,
        occurred_at=now,
        content_version=case.content_version,
    )
    db.session.add(transition)
    case.state = to_state.value
    case.updated_at = now
    record_for(
        actor,
        f"case.{action}",
        case_id=case.id,
        object_type="case",
        object_id=case.id,
        detail={"from": current.value, "to": to_state.value, "reason": reason.strip()}
        | ({"assignee": assignee.email} if assignee else {})
        | (noted or {}),
    )
    notify_move(case, action, actor, assignee)  # in the move's transaction: notified if and only if it commits
    return transition


def content_changed(case: Case, actor: Actor, what: str) -> None:
    """Note a change to what the case says: bump its content version and void any standing approval.
    The case row is written at the caller's flush or commit, where a concurrent save of it becomes ``StaleEdit``
    (or a retry); the query for approvals must not flush it early, outside that handling (a 500)."""
    case.content_version += 1
    case.updated_at = case.content_changed_at = clock.now()
    with db.session.no_autoflush:
        approvals = active_approvals(case)
    for review in approvals:
        review.voided_at = clock.now()
        review.void_reason = (
            f"The case changed after approval ({what}); version {review.content_version} no longer stands."
        )
        record_for(
            actor,
            "review.voided",
            case_id=case.id,
            object_type="review",
            object_id=review.id,
            detail={"what": what, "approved_version": review.content_version},
        )


def active_approvals(case: Case) -> list[Review]:
    return list(
        db.session.scalars(
            select(Review).where(
                Review.case_id == case.id,
                Review.decision != ReviewDecision.RETURNED.value,
                Review.voided_at.is_(None),
            )
        )
    )


def reopen_for_grievance(case: Case, actor: Actor, reason: str) -> CaseTransition:
    """Closed -> discipline, for a grievance filed after the close, in the filing's own transaction
    (``grievances.file_grievance`` checks who may file and commits)."""
    return move(case, "grievance_filed", actor, reason)


def standing_approval(case: Case, reviews: list[Review] | None = None) -> Review | None:
    """The approval that still covers the case as it is now, if any (among ``reviews``, every review of the
    case, when the caller has them)."""
    active = (
        active_approvals(case)
        if reviews is None
        else [r for r in reviews if r.decision != ReviewDecision.RETURNED.value and r.voided_at is None]
    )
    for review in active:
        if review.content_version == case.content_version:
            return review
    return None


def _required(text: str, field: str, message: str) -> str:
    if not text or not text.strip():
        raise InvalidInput({field: message})
    return text.strip()


# The moves, as the people make them ------------------------------------------------------------------


def assign_investigator(case: Case, investigator: User, actor: Actor, reason: str = "") -> None:
    permissions.require(permissions.can_assign(actor.user, case), "Only a supervisor assigns investigators.")
    if not investigator.is_active or not investigator.has_role(Role.INVESTIGATOR):
        raise InvalidInput({"investigator": f"{investigator.name} is not an active investigator."})
    if permissions.is_subject_of(investigator, case):
        raise InvalidInput({"investigator": f"{investigator.name} is a subject of this case."})
    if case.assigned_investigator_id == investigator.id:
        raise InvalidInput({"investigator": f"{investigator.name} is already assigned to this case."})
    action_reason = reason.strip() or ("reassigned" if case.assigned_investigator_id else "")
    with committing("this case"):
        case.assigned_investigator_id = investigator.id
        move(case, "assigned", actor, action_reason, assignee=investigator)


TAKEN_FROM_INTAKE = "taken from intake by the investigator who logged it (department setting)"


def take_case(case: Case, actor: Actor) -> None:
    """The investigator who logged the complaint takes it from intake, where the department setting
    ``INTAKE_SELF_ASSIGN`` allows it; otherwise only a supervisor assigns it."""
    user = actor.user
    if not permissions.can_take_case(user, case):
        if not permissions.intake_self_assign():
            raise permissions.NotPermitted(
                "A supervisor assigns every complaint (a department setting); you are told in your inbox "
                "if it is assigned to you."
            )
        raise permissions.NotPermitted(
            "Only the investigator who logged this complaint may take it, and only while it waits in intake."
        )
    with committing("this case"):
        case.assigned_investigator_id = user.id
        move(case, "assigned", actor, TAKEN_FROM_INTAKE, assignee=user)


def submit_for_review(case: Case, actor: Actor, comment: str = "") -> None:
    permissions.require(
        permissions.can_submit(actor.user, case), "Only the assigned investigator submits an open case."
    )
    problems = submission_problems(case)
    if problems:
        raise CaseworkError("The case is not ready for review: " + " ".join(problems))
    with committing("this case"):
        move(case, "submitted", actor, comment)


def check_return(case: Case, actor: Actor, reasons: str) -> str:
    """Refuse a return the way ``return_to_investigator`` would, without acting: for the confirmation step."""
    permissions.require(permissions.can_review(actor.user, case), "You may not review this case.")
    return _required(reasons, "reasons", "Give your reasons for returning the case; the investigator reads them.")


def return_to_investigator(case: Case, actor: Actor, reasons: str) -> Review:
    reasons = check_return(case, actor, reasons)
    with committing("this case"):
        review = _decide(case, actor, ReviewDecision.RETURNED, reasons)
        move(case, "returned", actor, reasons)
    return review


def _check_modified_as_said(case: Case, actor: Actor, modified: bool) -> None:
    """ "Approve as submitted" only when nothing was modified in this review cycle; "with modification" only when
    something was."""
    modifications = modifications_in_review(case)
    if modified and not modifications:
        raise InvalidInput(
            {"decision": "Nothing was modified at this review; approve as submitted, or modify the discipline first."}
        )
    if not modified and modifications:
        names = " and ".join(
            dict.fromkeys(f"{m.subject.employee.first_name} {m.subject.employee.last_name}" for m in modifications)
        )
        by = {m.modified_by_id for m in modifications}
        who = "You" if by == {actor.user.id} else " and ".join(sorted({m.modified_by.name for m in modifications}))
        raise InvalidInput(
            {
                "decision": f"{who} modified the discipline for {names} at this review; choose "
                '"Approve with modification" and give the reason.'
            }
        )


def check_approval(
    case: Case, actor: Actor, reasons: str = "", modified: bool = False, speech_override: str = ""
) -> str:
    """Refuse an approval the way ``approve_outcome`` would, without acting (``approval_conditions``: just cause
    and the protected-speech override)."""
    permissions.require(permissions.can_review(actor.user, case), "You may not review this case.")
    _check_modified_as_said(case, actor, modified)
    check_approval_conditions(case, speech_override)
    if modified:
        return _required(reasons, "reasons", "Give the reason for the modification.")
    return reasons.strip()


def approve_outcome(
    case: Case, actor: Actor, reasons: str = "", modified: bool = False, speech_override: str = ""
) -> Review:
    """Approve as submitted, or (``modified``) after the supervisor modified the discipline in this review
    cycle, which needs a reason. Each is refused when it does not match what was done at this review. The
    approval records the content version it approved, the override it needed and the just cause it relied on."""
    reasons = check_approval(case, actor, reasons, modified, speech_override)
    override = check_approval_conditions(case, speech_override)
    decision = ReviewDecision.APPROVED_WITH_MODIFICATION if modified else ReviewDecision.APPROVED
    with committing("this case"):
        review = _decide(case, actor, decision, reasons, override)
        attach_to_approval(case, review, override)
        move(case, "approved", actor, reasons)
    return review


def check_close_without_discipline(case: Case, actor: Actor, reason: str, by_exception: bool = False) -> str:
    """Refuse a close from review the way ``close_without_discipline`` would, without acting."""
    permissions.require(permissions.can_review(actor.user, case), "You may not review this case.")
    reason = _required(reason, "reason", "Give the reason for closing the case.")
    if not by_exception and sustained_allegations(case):
        raise CaseworkError(
            "An allegation is sustained, so the case cannot be closed as no violation; approve it, or return it "
            "to the investigator."
        )
    return reason


def close_without_discipline(case: Case, actor: Actor, reason: str, by_exception: bool = False) -> None:
    """Close from review: no allegation sustained, or the conduct was covered by a Commissioner's exception."""
    reason = check_close_without_discipline(case, actor, reason, by_exception)
    with committing("this case"):
        move(case, "closed_by_exception" if by_exception else "closed_no_violation", actor, reason)


def begin_discipline(case: Case, actor: Actor) -> None:
    permissions.require(permissions.can_work_labor_relations(actor.user, case))
    with committing("this case"):
        move(case, "discipline_started", actor)


def check_close(case: Case, actor: Actor, reason: str = "") -> str:
    """A case in discipline closes once no grievance or arbitration of its subjects is open."""
    permissions.require(permissions.can_close(actor.user, case), "You cannot close this case now.")
    open_ones = db.session.execute(
        select(CaseSubject.employee_id, Grievance.state)
        .join(CaseSubject, CaseSubject.id == Grievance.subject_id)
        .where(CaseSubject.case_id == case.id, Grievance.state.in_(OPEN_GRIEVANCE_STATES))
        .order_by(CaseSubject.id)
    ).all()
    if open_ones:
        subjects = {s.employee_id: s.employee.display_name for s in case.subjects}
        what = "; ".join(
            f"{subjects.get(employee_id, 'a subject')}'s "
            + ("arbitration" if state == GrievanceState.ARBITRATION else "grievance")
            for employee_id, state in open_ones
        )
        raise CaseworkError(
            f"The case cannot close while a grievance or arbitration is open ({what}). Record its decision, "
            "award, settlement or withdrawal first."
        )
    return reason.strip()


def close_case(case: Case, actor: Actor, reason: str = "", noted: dict[str, Any] | None = None) -> None:
    """Close a case in discipline; ``noted``: what the close was made knowing (``grievances.close_case``: a
    grievance filing window still open), kept in its audit event."""
    reason = check_close(case, actor, reason)
    with committing("this case"):
        move(case, "closed", actor, reason, noted=noted)


def check_reopen(case: Case, actor: Actor, reason: str) -> str:
    permissions.require(permissions.can_reopen(actor.user, case), "Only a supervisor reopens a closed case.")
    return _required(reason, "reason", "Give the reason for reopening the case.")


def reopen_case(case: Case, actor: Actor, reason: str) -> None:
    reason = check_reopen(case, actor, reason)
    with committing("this case"):
        move(case, "reopened", actor, reason)
        content_changed(case, actor, "reopened")


def _decide(case: Case, actor: Actor, decision: ReviewDecision, reasons: str, override: str | None = None) -> Review:
    review = Review(
        case_id=case.id,
        decision=decision.value,
        reasons=reasons,
        decided_by_id=actor.user.id,
        decided_at=clock.now(),
        content_version=case.content_version,
        content_snapshot=content_snapshot(case),
    )
    db.session.add(review)
    db.session.flush()
    record_for(
        actor,
        f"review.{decision.value}",
        case_id=case.id,
        object_type="review",
        object_id=review.id,
        detail={"content_version": case.content_version, "reasons": reasons}
        | ({"speech_override": override} if override else {}),
    )
    return review

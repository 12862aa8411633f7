"""Release review and withdrawal of exhibits.

Release review: before a release (redacted) packet goes out, a person decides for every exhibit how it may
go: as its current redacted copy, which they confirm ("redacted"); as it is, which they attest with a reason
("releasable"); or not at all ("withheld", with a reason). The reviews are an append-only history; the newest
is the exhibit's current one, and an exhibit with none is "not reviewed". A redacted copy made after a
"redacted" or "releasable" review makes that review stale, so the exhibit is not reviewed again: the copy
the person confirmed (or attested beside) is no longer the one that would go out.

Withdrawal: an exhibit taken out of the case (a duplicate, a capture made in error) stays in the evidence
store and in its custody history, but goes into no packet and cannot be cited by a new allegation. An
allegation that already cites it keeps the citation, and packets show it as "Exhibit N (withdrawn)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import RELEASE_DECISIONS, Case, CaseState, Exhibit, ExhibitRedaction, ExhibitReleaseReview
from project.services.audit import Actor
from project.services.casework import content_changed
from project.services.errors import CaseworkError, InvalidInput
from project.services.evidence.custody import record_custody
from project.services.evidence.redaction.copies import current_redaction
from project.transaction import committing

MAX_REASON = 2_000
NOT_REVIEWED = "not_reviewed"
WITHDRAWN = "withdrawn"
STATE_LABELS = {
    NOT_REVIEWED: "Not reviewed",
    "redacted": "Redacted",
    "releasable": "Releasable as it is",
    "withheld": "Withheld",
    WITHDRAWN: "Withdrawn",
}
DECISION_CHOICES = [
    ("redacted", "Redacted: the current redacted copy goes out (I have checked it)"),
    ("releasable", "Releasable as it is: nothing in it must be masked"),
    ("withheld", "Withheld: it stays out of the release packet"),
]
# a content change voids the approval; after approval a withdrawal is recorded without voiding it
BEFORE_APPROVAL = (CaseState.INTAKE, CaseState.OPEN, CaseState.IN_REVIEW)


@dataclass(frozen=True)
class ReleaseState:
    """Where an exhibit stands for release: ``state`` (one of STATE_LABELS), the review that put it there (None
    when never reviewed), ``stale``, the review a newer redacted copy set aside (the state is then
    "not reviewed"), and ``redaction``, the exhibit's current redacted copy (the one a "redacted" review confirms)."""

    exhibit: Exhibit
    state: str
    review: ExhibitReleaseReview | None = None
    stale: ExhibitReleaseReview | None = None
    redaction: ExhibitRedaction | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def needs_review(self) -> bool:
        return self.state == NOT_REVIEWED

    @property
    def note(self) -> str:
        """Why the exhibit is in this state, for a person: who, when and why."""
        if self.state == WITHDRAWN:
            who = self.exhibit.withdrawn_by.name if self.exhibit.withdrawn_by else "?"
            return f"Withdrawn by {who}, {_when(self.exhibit.withdrawn_at)}: {self.exhibit.withdrawal_reason}"
        if self.review is not None:
            return f"{self.review.reviewed_by.name}, {_when(self.review.reviewed_at)}: {self.review.reason}"
        if self.stale is not None:
            return (
                f"A new redacted copy was made after the review by {self.stale.reviewed_by.name} "
                f"({_when(self.stale.reviewed_at)}): it must be reviewed again."
            )
        return "Nobody has reviewed it for release yet."


def _when(moment: datetime | None) -> str:
    return moment.astimezone(clock.zone()).strftime("%Y-%m-%d %H:%M %Z") if moment else "?"


def decision_choices(exhibit: Exhibit) -> list[tuple[str, str]]:
    """The decisions this exhibit may get: "redacted" only for a picture, the one kind that is redacted."""
    return [choice for choice in DECISION_CHOICES if choice[0] != "redacted" or exhibit.is_image]


def _not_a_picture(exhibit: Exhibit) -> str:
    kind = "a recording" if exhibit.is_media else "a document" if exhibit.media_type == "application/pdf" else "a file"
    return f"{exhibit.label} is {kind}: only a picture can be redacted. Choose releasable as it is, or withheld."


# Reading ------------------------------------------------------------------------------------------------


def release_reviews_of(exhibit: Exhibit) -> list[ExhibitReleaseReview]:
    """Every release review of the exhibit, newest first."""
    return list(
        db.session.scalars(
            select(ExhibitReleaseReview)
            .where(ExhibitReleaseReview.exhibit_id == exhibit.id)
            .order_by(ExhibitReleaseReview.reviewed_at.desc(), ExhibitReleaseReview.id.desc())
        )
    )


def _state_of(
    exhibit: Exhibit, review: ExhibitReleaseReview | None, redaction: ExhibitRedaction | None
) -> ReleaseState:
    if exhibit.is_withdrawn:
        return ReleaseState(exhibit, WITHDRAWN, review, None, redaction)
    if review is None:
        return ReleaseState(exhibit, NOT_REVIEWED, None, None, redaction)
    current_id = redaction.id if redaction is not None else None
    if review.decision in ("redacted", "releasable") and review.redaction_id != current_id:
        return ReleaseState(exhibit, NOT_REVIEWED, None, review, redaction)
    return ReleaseState(exhibit, review.decision, review, None, redaction)


def release_state(exhibit: Exhibit) -> ReleaseState:
    reviews = release_reviews_of(exhibit)
    return _state_of(exhibit, reviews[0] if reviews else None, current_redaction(exhibit))


def release_states(exhibits: list[Exhibit]) -> list[ReleaseState]:
    """The release state of each exhibit, in their order, read in two queries whatever their number."""
    ids = [e.id for e in exhibits]
    newest: dict[int, ExhibitReleaseReview] = {}
    for review in db.session.scalars(
        select(ExhibitReleaseReview)
        .where(ExhibitReleaseReview.exhibit_id.in_(ids))
        .order_by(ExhibitReleaseReview.reviewed_at, ExhibitReleaseReview.id)
    ):
        newest[review.exhibit_id] = review
    redactions: dict[int, ExhibitRedaction] = {}
    for redaction in db.session.scalars(
        select(ExhibitRedaction)
        .where(ExhibitRedaction.exhibit_id.in_(ids))
        .order_by(ExhibitRedaction.created_at, ExhibitRedaction.id)
    ):
        redactions[redaction.exhibit_id] = redaction
    return [_state_of(e, newest.get(e.id), redactions.get(e.id)) for e in exhibits]


# Reviewing -----------------------------------------------------------------------------------------------


def review_for_release(case: Case, exhibit: Exhibit, decision: str, reason: str, actor: Actor) -> ExhibitReleaseReview:
    """Record how the exhibit may go out in a release packet, with the reason, and its custody event, in one
    commit. "redacted" confirms the exhibit's current redacted copy (there must be one); "releasable" attests
    the exhibit may go out as it is; "withheld" keeps it out. A withdrawn exhibit is not reviewed."""
    permissions.require(
        exhibit.case_id == case.id and permissions.can_redact(actor.user, case),
        "Only the assigned investigator, a supervisor or labor relations may review this case's exhibits for release.",
    )
    if exhibit.is_withdrawn:
        raise CaseworkError(f"{exhibit.label} was withdrawn from the case: it goes into no packet.")
    errors = {}
    if decision not in RELEASE_DECISIONS:
        errors["decision"] = "Choose redacted, releasable as it is, or withheld."
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Say why: the reason is kept with the review."
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"The reason is at most {MAX_REASON:,} characters."
    redaction = current_redaction(exhibit)
    if decision == "redacted" and not exhibit.is_image:
        errors["decision"] = _not_a_picture(exhibit)
    elif decision == "redacted" and redaction is None:
        errors["decision"] = (
            f"{exhibit.label} has no redacted copy: redact it first, or choose releasable as it is or withheld."
        )
    if errors:
        raise InvalidInput(errors)
    with committing(f"the release review of {exhibit.label}"):
        review = ExhibitReleaseReview(
            exhibit_id=exhibit.id,
            decision=decision,
            reason=reason,
            redaction_id=redaction.id if redaction is not None and decision != "withheld" else None,
            reviewed_by_id=actor.user.id,
            reviewed_at=clock.now(),
        )
        db.session.add(review)
        db.session.flush()
        detail: dict[str, Any] = {"review_id": review.id, "decision": decision, "reason": reason}
        if review.redaction_id is not None:
            detail |= {"redaction_id": redaction.id, "redacted_sha256": redaction.redacted_sha256}  # type: ignore[union-attr]
        record_custody(case, exhibit, actor, "exhibit.release_reviewed", detail)
    return review


# Withdrawing ---------------------------------------------------------------------------------------------


def withdraw_exhibit(case: Case, exhibit: Exhibit, reason: str, actor: Actor) -> None:
    """Take the exhibit out of the case, with the reason: it stays in the store and its custody history, and
    leaves every packet. Before approval this is a change to the case (its version moves); after approval it
    is recorded without voiding the approval, which could not be given again."""
    permissions.require(
        exhibit.case_id == case.id and permissions.can_withdraw_exhibit(actor.user, case),
        "Only the assigned investigator (before submission) or a supervisor (before closing) may withdraw an exhibit.",
    )
    if exhibit.is_withdrawn:
        raise CaseworkError(f"{exhibit.label} was already withdrawn.")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": "Say why the exhibit is withdrawn: the reason is kept with it."})
    if len(reason) > MAX_REASON:
        raise InvalidInput({"reason": f"The reason is at most {MAX_REASON:,} characters."})
    with committing(f"the withdrawal of {exhibit.label}"):
        exhibit.withdrawn_at = clock.now()
        exhibit.withdrawn_by_id = actor.user.id
        exhibit.withdrawal_reason = reason
        if CaseState(case.state) in BEFORE_APPROVAL:
            content_changed(case, actor, f"{exhibit.label} withdrawn")
        record_custody(case, exhibit, actor, "exhibit.withdrawn", {"reason": reason})

"""A supervisor's decision on a submitted case, the content version it was made on and what the case said then,
and the supervisor's modifications of a proposed discipline, kept beside the investigator's proposal."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.cases import CaseSubject
from project.models.discipline import DisciplineStep
from project.models.people import User


class ReviewDecision(enum.StrEnum):
    APPROVED = "approved"
    APPROVED_WITH_MODIFICATION = "approved_with_modification"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Review(Model):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    decision: Mapped[str] = mapped_column(String(32))
    reasons: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content_version: Mapped[int]
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str | None] = mapped_column(Text)
    # what the case said when decided, as plain text (no reporter identity): the next review's diff starts here
    content_snapshot: Mapped[str | None] = mapped_column(Text)

    decided_by: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint(
            "decision IN (" + ", ".join(f"'{d.value}'" for d in ReviewDecision) + ")", name="known_decision"
        ),
    )

    @property
    def decision_label(self) -> str:
        return ReviewDecision(self.decision).label

    @property
    def is_approval(self) -> bool:
        return self.decision != ReviewDecision.RETURNED.value


class ProposalModification(Model):
    """A reviewing supervisor's change to a subject's proposed discipline. The investigator's proposal stays as
    it was made; a modification counts only in the review cycle it was made in (after the case's last
    submission, ``content_version`` being the case's version it produced). Append-only, like notes."""

    __tablename__ = "proposal_modifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("case_subjects.id"), index=True)
    # the proposal it modified; emptied by the database if the investigator later withdraws that proposal
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("discipline_proposals.id", ondelete="SET NULL"))
    step_id: Mapped[int] = mapped_column(ForeignKey("discipline_steps.id"))
    suspension_days: Mapped[int | None]
    reason: Mapped[str] = mapped_column(Text)
    modified_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content_version: Mapped[int]

    subject: Mapped[CaseSubject] = relationship()
    step: Mapped[DisciplineStep] = relationship()
    modified_by: Mapped[User] = relationship()

    __table_args__ = (CheckConstraint("suspension_days IS NULL OR suspension_days > 0", name="positive_days"),)

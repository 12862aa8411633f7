"""A supervisor's decision on a submitted case, the content version it was made on and what the case said then,
and the supervisor's modifications of a proposed discipline, kept beside the investigator's proposal."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.casework.cases import CaseSubject
from project.models.labor_relations.discipline import DisciplineStep
from project.models.personnel.people import User


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
    # the supervisor's written reason for approving a sustained 5.b finding the protected-speech screen found
    # to be on a matter of public concern with no disruption weighed against it
    speech_override: Mapped[str | None] = mapped_column(Text)

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


# The seven tests of just cause: the common arbitral standard (Daugherty, Enterprise Wire Co., 46 LA 359
# (1966)), not directive text.
JUST_CAUSE_TESTS = (
    "notice",
    "reasonable_rule",
    "investigation_before",
    "fair_investigation",
    "substantial_evidence",
    "equal_treatment",
    "proportionate_penalty",
)


class JustCauseAssessment(Model):
    """The reviewing supervisor's answers to the seven tests of just cause for one subject, with the
    mitigating and aggravating factors (one per line). Append-only: the latest of the review cycle counts, and
    the approval that relied on it is recorded on it."""

    __tablename__ = "just_cause_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("case_subjects.id"), index=True)
    approval_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"), index=True)
    mitigating: Mapped[str] = mapped_column(Text, default="")
    aggravating: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content_version: Mapped[int]  # the case's version the supervisor answered on

    subject: Mapped[CaseSubject] = relationship()
    recorded_by: Mapped[User] = relationship()
    answers: Mapped[list[JustCauseAnswer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="JustCauseAnswer.position"
    )

    @property
    def mitigating_factors(self) -> list[str]:
        return [line.strip() for line in self.mitigating.splitlines() if line.strip()]

    @property
    def aggravating_factors(self) -> list[str]:
        return [line.strip() for line in self.aggravating.splitlines() if line.strip()]


class JustCauseAnswer(Model):
    __tablename__ = "just_cause_answers"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("just_cause_assessments.id", ondelete="CASCADE"), primary_key=True
    )
    test: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int]
    met: Mapped[bool]
    reason: Mapped[str] = mapped_column(Text)

    assessment: Mapped[JustCauseAssessment] = relationship(back_populates="answers")

    __table_args__ = (
        CheckConstraint("test IN (" + ", ".join(f"'{t}'" for t in JUST_CAUSE_TESTS) + ")", name="known_test"),
    )

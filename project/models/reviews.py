"""A supervisor's decision on a submitted case, and the content version it was made on."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
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

    decided_by: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint(
            "decision IN (" + ", ".join(f"'{d.value}'" for d in ReviewDecision) + ")", name="known_decision"
        ),
    )

    @property
    def is_approval(self) -> bool:
        return self.decision != ReviewDecision.RETURNED.value

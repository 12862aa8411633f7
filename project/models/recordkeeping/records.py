"""Records over time (issue 18): administrative leave on a case subject, and legal holds on a case.

Expunged discipline is not a table of its own: a ``DisciplineRecord`` whose ``expunged_on`` is set is in the
sealed history (see ``project.services.records``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.casework.cases import Case, CaseSubject
from project.models.personnel.people import User


class LeavePeriod(Model):
    """A period of administrative leave of one subject of a case: paid or unpaid, from ``starts_on`` to
    ``ends_on`` (both days included; no end yet while the leave runs), and why."""

    __tablename__ = "leave_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("case_subjects.id"), index=True)
    paid: Mapped[bool] = mapped_column(Boolean)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    subject: Mapped[CaseSubject] = relationship()
    recorded_by: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("reason <> ''", name="has_reason"),
    )


class LegalHold(Model):
    """A legal hold on a case: while it is not lifted, no retention run seals or purges anything of the case."""

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lift_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    case: Mapped[Case] = relationship()
    placed_by: Mapped[User] = relationship(foreign_keys=[placed_by_id])
    lifted_by: Mapped[User | None] = relationship(foreign_keys=[lifted_by_id])

    __table_args__ = (
        CheckConstraint("reason <> ''", name="has_reason"),
        CheckConstraint("(lifted_at IS NULL) = (lifted_by_id IS NULL)", name="lift_complete"),
        CheckConstraint("lifted_at IS NULL OR lift_reason <> ''", name="lift_has_reason"),
    )

    @property
    def active(self) -> bool:
        return self.lifted_at is None

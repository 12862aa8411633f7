"""The AD 2.6 discipline ladder: ordered steps, how long each stays active, and the suspension cap."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model


class DisciplineLadder(Model):
    __tablename__ = "discipline_ladders"

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_number: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    effective_date: Mapped[date] = mapped_column(Date, unique=True)
    suspension_cap_days: Mapped[int]

    steps: Mapped[list[DisciplineStep]] = relationship(back_populates="ladder", order_by="DisciplineStep.rank")

    __table_args__ = (CheckConstraint("suspension_cap_days > 0", name="positive_cap"),)


class DisciplineStep(Model):
    __tablename__ = "discipline_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    ladder_id: Mapped[int] = mapped_column(ForeignKey("discipline_ladders.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    rank: Mapped[int]
    is_discipline: Mapped[bool]
    takes_days: Mapped[bool] = mapped_column(default=False)
    active_months: Mapped[int | None]
    description: Mapped[str] = mapped_column(Text, default="")

    ladder: Mapped[DisciplineLadder] = relationship(back_populates="steps")

    __table_args__ = (
        UniqueConstraint("ladder_id", "code"),
        UniqueConstraint("ladder_id", "rank"),
        CheckConstraint("active_months IS NULL OR active_months > 0", name="positive_active_months"),
    )


class DisciplineRecord(Model):
    """Discipline an employee has received: imported from before the system, or imposed on a case here."""

    __tablename__ = "discipline_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("discipline_steps.id"))
    imposed_on: Mapped[date] = mapped_column(Date)
    suspension_days: Mapped[int | None]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    source: Mapped[str] = mapped_column(String(16))  # import | case
    note: Mapped[str] = mapped_column(Text, default="")

    step: Mapped[DisciplineStep] = relationship()

    __table_args__ = (
        CheckConstraint("source IN ('import', 'case')", name="known_source"),
        CheckConstraint("suspension_days IS NULL OR suspension_days > 0", name="positive_days"),
        UniqueConstraint("employee_id", "step_id", "imposed_on", "case_id"),
    )


class DisciplineProposal(Model):
    """The step proposed for one subject: the system's suggestion, what was proposed, and why it departs."""

    __tablename__ = "discipline_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("case_subjects.id"), unique=True)
    suggested_step_id: Mapped[int | None] = mapped_column(ForeignKey("discipline_steps.id"))
    suggestion_reason: Mapped[str] = mapped_column(Text, default="")
    proposed_step_id: Mapped[int] = mapped_column(ForeignKey("discipline_steps.id"))
    suspension_days: Mapped[int | None]
    departure_justification: Mapped[str] = mapped_column(Text, default="")
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    row_version: Mapped[int] = mapped_column(default=1)

    suggested_step: Mapped[DisciplineStep | None] = relationship(foreign_keys=[suggested_step_id])
    proposed_step: Mapped[DisciplineStep] = relationship(foreign_keys=[proposed_step_id])

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (CheckConstraint("suspension_days IS NULL OR suspension_days > 0", name="positive_days"),)


class DisciplineMatrixEntry(Model):
    """The range of steps usually imposed for a clause, by offence (1st, 2nd, 3rd and later)."""

    __tablename__ = "discipline_matrix"

    id: Mapped[int] = mapped_column(primary_key=True)
    ladder_id: Mapped[int] = mapped_column(ForeignKey("discipline_ladders.id"))
    clause_number: Mapped[str] = mapped_column(String(32))  # an AD 2.26 clause, e.g. "5.b.i.4"
    offence: Mapped[int]  # 1, 2, or 3 meaning "third and later"
    min_step_id: Mapped[int] = mapped_column(ForeignKey("discipline_steps.id"))
    max_step_id: Mapped[int] = mapped_column(ForeignKey("discipline_steps.id"))

    min_step: Mapped[DisciplineStep] = relationship(foreign_keys=[min_step_id])
    max_step: Mapped[DisciplineStep] = relationship(foreign_keys=[max_step_id])

    __table_args__ = (
        UniqueConstraint("ladder_id", "clause_number", "offence"),
        CheckConstraint("offence IN (1, 2, 3)", name="known_offence"),
    )

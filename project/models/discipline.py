"""The AD 2.6 discipline ladder: ordered steps, how long each stays active, and the suspension cap."""
from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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

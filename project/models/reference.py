"""Reference lists kept as data: finding categories and the deadline rules labor relations lives by."""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from project.extensions import Model


class FindingCategory(Model):
    __tablename__ = "finding_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    supports_discipline: Mapped[bool]
    position: Mapped[int] = mapped_column(unique=True)


class DeadlineRule(Model):
    """A clock: ``days`` (calendar or business) after ``trigger``, either a due date or an earliest date."""

    __tablename__ = "deadline_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    trigger: Mapped[str] = mapped_column(String(48))
    applies_to_steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    days: Mapped[int]
    day_count: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))

    __table_args__ = (
        CheckConstraint("days >= 0", name="non_negative_days"),
        CheckConstraint("day_count IN ('calendar', 'business')", name="known_day_count"),
        CheckConstraint("kind IN ('due_within', 'not_before')", name="known_kind"),
    )

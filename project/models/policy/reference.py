"""Reference lists kept as data: finding categories, the deadline rules labor relations lives by, and the state
holidays their business days skip."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, CheckConstraint, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from project.extensions import Model
from project.models.policy.sources import Sourced


class FindingCategory(Model):
    __tablename__ = "finding_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    supports_discipline: Mapped[bool]
    position: Mapped[int] = mapped_column(unique=True)


class DeadlineRule(Sourced, Model):
    """A clock: ``days`` (calendar or business) after ``trigger`` (a due date, or an earliest date), or before it
    (``due_before``: a due date counted back from the trigger, e.g. a report due 14 days before the effective
    date). ``met_by`` names the event that meets a due date when it is not the trigger's usual one; ``warn_days``
    is how many days before the due date the clock counts as "due soon" on the lists and in notifications.
    Its source (``Sourced``) is the regulation or statute, or who set it as a department setting."""

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
    met_by: Mapped[str] = mapped_column(String(48), default="", server_default="")
    warn_days: Mapped[int] = mapped_column(default=7, server_default="7")

    __table_args__ = (
        CheckConstraint("days >= 0", name="non_negative_days"),
        CheckConstraint("warn_days >= 0", name="non_negative_warn_days"),
        CheckConstraint("day_count IN ('calendar', 'business')", name="known_day_count"),
        CheckConstraint("kind IN ('due_within', 'not_before', 'due_before')", name="known_kind"),
    )


class Holiday(Sourced, Model):
    """A Connecticut legal holiday as observed (C.G.S. 1-4): business days skip ``day``. ``falls_on`` is the
    holiday's own date when it is observed on another (a Sunday holiday on the Monday after, a Saturday one on
    the Friday before); ``proclaimed`` marks a day that is a holiday once appointed by proclamation."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(100))
    falls_on: Mapped[date | None] = mapped_column(Date)
    proclaimed: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")

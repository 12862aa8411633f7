"""How long a record stays active (the look-back, by the employee's bargaining unit) and the rules about
titles that keep a step from being suggested. Both are department settings or law, with their source."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from project.extensions import db
from project.models import DisciplineStep, Employee, LookbackOverride, TitleRule

OUTSIDE_ANY_UNIT = "none"


@dataclass(frozen=True)
class Lookback:
    """The months a step stays active for an employee, and where that figure comes from (None: never lapses)."""

    months: int | None
    applies_to: str  # "" for the ladder's own look-back, else whose override it is
    source_label: str

    @property
    def description(self) -> str:
        if self.months is None:
            return f"no look-back: it does not lapse ({self.source_label})"
        whose = f" for {self.applies_to}" if self.applies_to else ""
        return f"look-back {self.months} months{whose}, {self.source_label}"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the last day of the month when that month is shorter (01-31 -> 02-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def unit_of(employee: Employee) -> str:
    """The employee's bargaining unit as the look-back table names it: ``none`` outside any unit."""
    return (employee.bargaining_unit or "").strip() or OUTSIDE_ANY_UNIT


def lookback_for(step: DisciplineStep, employee: Employee) -> Lookback:
    """The override for the employee's bargaining unit when there is one, else the step's own look-back."""
    unit = unit_of(employee)
    override = db.session.scalars(
        select(LookbackOverride).where(
            LookbackOverride.ladder_id == step.ladder_id,
            LookbackOverride.step_code == step.code,
            func.lower(LookbackOverride.bargaining_unit) == unit.lower(),
        )
    ).first()
    if override is not None:
        whose = "employees outside any bargaining unit" if unit == OUTSIDE_ANY_UNIT else f"bargaining unit {unit}"
        return Lookback(override.months, whose, override.source_label)
    return Lookback(step.active_months, "", step.source_label)


def active_until(step: DisciplineStep, imposed_on: date, employee: Employee) -> date | None:
    months = lookback_for(step, employee).months
    return add_months(imposed_on, months) if months else None


def step_refusal(step: DisciplineStep, employee: Employee) -> str | None:
    """Why a title rule forbids the step for the employee's title (with the rule's source), or None."""
    title = (employee.title or "").strip()
    rule = db.session.scalars(
        select(TitleRule).where(
            TitleRule.ladder_id == step.ladder_id,
            TitleRule.step_code == step.code,
            func.lower(TitleRule.title) == title.lower(),
        )
    ).first()
    if rule is None:
        return None
    because = f": {rule.reason}" if rule.reason else ""
    return f"{step.name} is not allowed for a {rule.title}{because} ({rule.source_label})"

"""Counting days: calendar days, and business days that skip weekends and the Connecticut legal holidays
(C.G.S. 1-4) of the ``holidays`` table (seed_data/holidays.toml, loaded with the catalogue)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from project.extensions import db
from project.models import DeadlineRule, Holiday

_CACHE_KEY = "deadlines.holidays"


def holidays() -> frozenset[date]:
    """The observed dates of the state holidays: read once per database session (one query however many days
    are counted), and read again after ``forget_holidays`` (the catalogue calls it when it loads them)."""
    cache = db.session.info
    found = cache.get(_CACHE_KEY)
    if found is None:
        found = frozenset(db.session.scalars(select(Holiday.day)))
        cache[_CACHE_KEY] = found
    return found


def forget_holidays() -> None:
    """Drop the session's copy of the holidays, so the next count reads the table again."""
    db.session.info.pop(_CACHE_KEY, None)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays()


def add_business_days(start: date, days: int) -> date:
    """``days`` business days after ``start`` (before it, when negative): 1 business day after a Friday is the
    Monday, unless the Monday is a state holiday."""
    day, remaining, step = start, abs(days), timedelta(days=1 if days >= 0 else -1)
    while remaining > 0:
        day += step
        if is_business_day(day):
            remaining -= 1
    return day


def deadline_date(rule: DeadlineRule, trigger_on: date) -> date:
    """The rule's date: ``days`` after the trigger, or before it for a ``due_before`` rule."""
    days = -rule.days if rule.kind == "due_before" else rule.days
    if rule.day_count == "business":
        return add_business_days(trigger_on, days)
    return trigger_on + timedelta(days=days)


def days_text(count: int, unit: str = "day") -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def period(rule: DeadlineRule) -> str:
    return days_text(rule.days, "business day" if rule.day_count == "business" else "day")

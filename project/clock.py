"""The one source of "now" for the rules, so tests can move time (lockouts, idle sessions, deadlines),
and the local time zone the department works in (case-number years, due dates)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

_zone = ZoneInfo("America/New_York")


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def configure_zone(name: str) -> None:
    global _zone
    _zone = ZoneInfo(name)


def zone() -> ZoneInfo:
    return _zone


def local_today() -> date:
    """Today's date where the department is (the year of a case number, the start of a deadline)."""
    return now().astimezone(_zone).date()


def local_date(moment: datetime) -> date:
    return moment.astimezone(_zone).date()


def local_midnight(day: date) -> datetime:
    """The moment a local day begins, in UTC: where "received on or after a date" starts counting."""
    return datetime.combine(day, time.min, tzinfo=_zone).astimezone(UTC)

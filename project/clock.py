"""The one source of "now" for the rules, so tests can move time (lockouts, idle sessions, deadlines),
and the local time zone the department works in (case-number years, due dates)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_zone = ZoneInfo("America/New_York")
_set_back = timedelta(0)


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC) - _set_back


@contextmanager
def set_back(days: int) -> Iterator[None]:
    """Run the block as if it were ``days`` days ago, for the demo seed only (which production refuses): a
    demo case decided weeks before ``make run`` needs its approval and due process dated then, because the
    rules refuse a decision dated before its approval. One thread, one command: never in a request."""
    global _set_back
    before = _set_back
    _set_back = before + timedelta(days=days)
    try:
        yield
    finally:
        _set_back = before


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


def readings(wall: datetime) -> list[datetime]:
    """The moments (UTC) a local wall-clock time can mean: one, normally; two for an hour the fall-back repeats
    (the first, then the second time round) and for an hour the spring-forward skips (as if the clock had not
    yet moved, and as if it had), the first of these two not being a time the clock ever showed."""
    first = wall.replace(tzinfo=_zone, fold=0).astimezone(UTC)
    second = wall.replace(tzinfo=_zone, fold=1).astimezone(UTC)
    return [first] if first == second else sorted({first, second})


def exists_locally(wall: datetime) -> bool:
    """Whether the department's clocks ever showed this wall time (false inside the spring-forward gap)."""
    moment = wall.replace(tzinfo=_zone)
    return moment.astimezone(UTC).astimezone(_zone).replace(tzinfo=None) == wall.replace(tzinfo=None)

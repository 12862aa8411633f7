"""The one source of "now" for the rules, so tests can move time (lockouts, idle sessions, deadlines)."""
from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)

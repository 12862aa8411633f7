"""The date of the conduct a charge stands on, one rule for every use: the earliest local date the posts
were made; failing that, the earliest day one was first seen; failing that, the day the complaint was
received (the date the department first knew of it).

A charge asks it of the one post it charges (which directive version was in force); a discipline suggestion
asks it of every post a subject's allegations charge (which priors count and which ladder applies)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from project import clock
from project.models import ReportedPost

BASIS_WORDS = {
    "posted": "the date of the earliest reported post",
    "first_seen": "the date the earliest reported post was first seen; no post date is recorded",
    "received": "the date the department first knew of it, when the complaint was received; no post date is recorded",
}


@dataclass(frozen=True)
class ConductDate:
    day: date
    basis: str  # posted | first_seen | received

    @property
    def description(self) -> str:
        """``2026-07-14, the date of the earliest reported post``."""
        return f"{self.day.isoformat()}, {BASIS_WORDS[self.basis]}"


def conduct_of(posts: Iterable[ReportedPost], received_at: datetime) -> ConductDate:
    """The conduct date of ``posts`` (none: the day the complaint was received)."""
    posts = list(posts)
    posted = [clock.local_date(post.posted_at) for post in posts if post.posted_at is not None]
    if posted:
        return ConductDate(min(posted), "posted")
    seen = [clock.local_date(post.first_seen_at) for post in posts if post.first_seen_at is not None]
    if seen:
        return ConductDate(min(seen), "first_seen")
    return ConductDate(clock.local_date(received_at), "received")

"""The date of the conduct: the day the suggestion is made on. Prior discipline is what was imposed before
it and still active on it, and the ladder is the one in force on it, whatever day the proposal is made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from project import clock
from project.models import CaseSubject
from project.services.casework import allegations_of

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


def conduct_date(subject: CaseSubject) -> ConductDate:
    """The earliest post date (local) of the posts the subject's allegations charge (all the case's reported
    posts when none names one); else the earliest day such a post was first seen; else the day the complaint
    was received (the date the department first knew of it). One post's own date is
    ``casework.post_conduct_date``, which picks the directive version in force for a charge."""
    charged = {a.post.id: a.post for a in allegations_of(subject) if a.post is not None}
    posts = list(charged.values()) or subject.case.posts
    posted = [clock.local_date(post.posted_at) for post in posts if post.posted_at is not None]
    if posted:
        return ConductDate(min(posted), "posted")
    seen = [clock.local_date(post.first_seen_at) for post in posts if post.first_seen_at is not None]
    if seen:
        return ConductDate(min(seen), "first_seen")
    return ConductDate(clock.local_date(subject.case.received_at), "received")

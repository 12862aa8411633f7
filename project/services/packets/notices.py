"""The notice before a public release (C.G.S. 1-214): a request under the Freedom of Information Act for an
employee's personnel records is notified to the employee and the union, who have 7 business days to object
(the ``foia_objection_window`` deadline rule, seed_data/deadlines.toml). The public release of a packet is
refused until a notice is recorded and its window has passed.

Objections are not recorded here yet: an objection received within the window must stop the release by hand
(C.G.S. 1-214(c) then has the agency withhold the records unless ordered otherwise), so the print page says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import Case, DeadlineRule, ReleaseNotice
from project.services.audit import Actor, record_for
from project.services.deadlines import deadline_date
from project.services.errors import InvalidInput
from project.transaction import committing

WINDOW_RULE = "foia_objection_window"


@dataclass(frozen=True)
class NoticeEntry:
    """A notice as the form gives it: the date it was given, who was notified, and the request."""

    notified_on: date | None
    notified: str
    request: str


@dataclass(frozen=True)
class ReleaseWindow:
    """The latest notice of a case and its objection window: the public release may go from ``opens_on``."""

    notice: ReleaseNotice
    rule: DeadlineRule
    ends_on: date  # the last day to object

    @property
    def opens_on(self) -> date:
        return date.fromordinal(self.ends_on.toordinal() + 1)

    def is_open(self, today: date) -> bool:
        return today >= self.opens_on

    @property
    def label(self) -> str:
        return (
            f"{self.rule.name}: notice of {self.notice.notified_on.isoformat()} ({self.notice.request}) to "
            f"{self.notice.notified}; objections until {self.ends_on.isoformat()}, release from "
            f"{self.opens_on.isoformat()}"
        )


def record_release_notice(case: Case, entry: NoticeEntry, actor: Actor) -> ReleaseNotice:
    """Record that the employee and the union were notified of a public records request."""
    permissions.require(
        permissions.can_print_packet(actor.user, case), "Only those who print the case's packets record the notice."
    )
    errors = {}
    today = clock.local_date(clock.now())
    if entry.notified_on is None:
        errors["notified_on"] = "Give the date the notice was given."
    elif entry.notified_on > today:
        errors["notified_on"] = "The notice cannot be dated in the future."
    if not entry.notified.strip():
        errors["notified"] = "Say who was notified: the employee and the union."
    elif len(entry.notified.strip()) > 500:
        errors["notified"] = "At most 500 characters."
    if not entry.request.strip():
        errors["request"] = "Name the request (e.g. FOIA request 2026-114)."
    elif len(entry.request.strip()) > 200:
        errors["request"] = "At most 200 characters."
    if errors:
        raise InvalidInput(errors)
    assert entry.notified_on is not None
    with committing(f"the release notice of case {case.number}"):
        notice = ReleaseNotice(
            case_id=case.id,
            notified_on=entry.notified_on,
            notified=entry.notified.strip(),
            request=entry.request.strip(),
            recorded_by_id=actor.user.id,
            recorded_at=clock.now(),
        )
        db.session.add(notice)
        db.session.flush()
        record_for(
            actor,
            "packet.release_notice_recorded",
            case_id=case.id,
            object_type="release_notice",
            object_id=notice.id,
            detail={"notified_on": notice.notified_on.isoformat(), "request": notice.request},
        )
    return notice


def release_window(case: Case) -> ReleaseWindow | None:
    """The newest notice of the case and its objection window (None: no notice, or no rule seeded)."""
    notice = db.session.scalars(
        select(ReleaseNotice)
        .where(ReleaseNotice.case_id == case.id)
        .order_by(ReleaseNotice.notified_on.desc(), ReleaseNotice.id.desc())
    ).first()
    rule = db.session.scalars(select(DeadlineRule).where(DeadlineRule.code == WINDOW_RULE)).first()
    if notice is None or rule is None:
        return None
    return ReleaseWindow(notice, rule, deadline_date(rule, notice.notified_on))


def release_refusal(case: Case, today: date) -> str | None:
    """Why the public release of this case may not be printed today, or None when it may."""
    window = release_window(case)
    if window is None:
        return (
            "The public release was not printed: record the notice to the employee and the union first "
            "(C.G.S. 1-214(b)); they then have 7 business days to object."
        )
    if not window.is_open(today):
        return (
            f"The public release was not printed: the objection window of the notice of "
            f"{window.notice.notified_on.isoformat()} runs until {window.ends_on.isoformat()} (C.G.S. 1-214(c)); "
            f"it may be printed from {window.opens_on.isoformat()}."
        )
    return None

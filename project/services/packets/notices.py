"""The notice before a public release (C.G.S. 1-214): a request under the Freedom of Information Act for an
employee's personnel records is notified to the employee and the union, who have 7 business days to object
(the ``foia_objection_window`` deadline rule, seed_data/deadlines.toml). The public release of a packet is
refused until a notice is recorded and its window has passed.

An objection by the employee or the union is recorded on the notice; the release is then refused until the
objection is resolved (by the Freedom of Information Commission, C.G.S. 1-214(c)) and the resolution lets it
go. A resolution that withholds the records refuses the release for good, until a new notice.
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
class ObjectionEntry:
    """An objection as the form gives it: the date it was received and who objected, on what grounds."""

    objection_on: date | None
    objection: str


@dataclass(frozen=True)
class ResolutionEntry:
    """How an objection was resolved: the date, what was decided, and whether the release may go."""

    resolved_on: date | None
    resolution: str
    release_allowed: bool


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


def _date_errors(name: str, value: date | None, what: str, not_before: date | None = None) -> dict[str, str]:
    if value is None:
        return {name: f"Give the date {what}."}
    if value > clock.local_date(clock.now()):
        return {name: "The date cannot be in the future."}
    if not_before is not None and value < not_before:
        return {name: f"The date cannot be before {not_before.isoformat()}."}
    return {}


def _text_errors(name: str, value: str, missing: str, limit: int) -> dict[str, str]:
    if not value.strip():
        return {name: missing}
    return {name: f"At most {limit} characters."} if len(value.strip()) > limit else {}


def _require_printer(case: Case, actor: Actor) -> None:
    permissions.require(
        permissions.can_print_packet(actor.user, case),
        "Only those who print the case's packets record the notice, objections and their resolution.",
    )


def record_release_notice(case: Case, entry: NoticeEntry, actor: Actor) -> ReleaseNotice:
    """Record that the employee and the union were notified of a public records request."""
    _require_printer(case, actor)
    errors = _date_errors("notified_on", entry.notified_on, "the notice was given")
    errors |= _text_errors("notified", entry.notified, "Say who was notified: the employee and the union.", 500)
    errors |= _text_errors("request", entry.request, "Name the request (e.g. FOIA request 2026-114).", 200)
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


def record_objection(case: Case, entry: ObjectionEntry, actor: Actor) -> ReleaseNotice:
    """Record the objection of the employee or the union to the newest notice: the release waits for its
    resolution."""
    _require_printer(case, actor)
    window = release_window(case)
    if window is None:
        raise InvalidInput({"objection_on": "No notice is recorded: an objection answers a notice."})
    notice = window.notice
    if notice.objection_on is not None:
        raise InvalidInput({"objection_on": f"An objection of {notice.objection_on.isoformat()} is recorded already."})
    errors = _date_errors("objection_on", entry.objection_on, "the objection was received", notice.notified_on)
    errors |= _text_errors("objection", entry.objection, "Say who objected, and on what grounds.", 500)
    if errors:
        raise InvalidInput(errors)
    with committing(f"the objection to the release of case {case.number}"):
        notice.objection_on, notice.objection = entry.objection_on, entry.objection.strip()
        notice.objection_recorded_by_id = actor.user.id
        record_for(
            actor,
            "packet.release_objection_recorded",
            case_id=case.id,
            object_type="release_notice",
            object_id=notice.id,
            detail={"objection_on": notice.objection_on.isoformat() if notice.objection_on else None},
        )
    return notice


def resolve_objection(case: Case, entry: ResolutionEntry, actor: Actor) -> ReleaseNotice:
    """Record how the objection to the newest notice was resolved: the release may go, or it is withheld."""
    _require_printer(case, actor)
    window = release_window(case)
    notice = window.notice if window is not None else None
    if notice is None or notice.objection_on is None:
        raise InvalidInput({"resolved_on": "No objection is recorded to resolve."})
    if notice.resolved_on is not None:
        raise InvalidInput({"resolved_on": f"The objection was resolved on {notice.resolved_on.isoformat()}."})
    errors = _date_errors("resolved_on", entry.resolved_on, "the objection was resolved", notice.objection_on)
    errors |= _text_errors("resolution", entry.resolution, "Say what was decided, and by whom.", 500)
    if errors:
        raise InvalidInput(errors)
    with committing(f"the resolution of the objection to the release of case {case.number}"):
        notice.resolved_on, notice.resolution = entry.resolved_on, entry.resolution.strip()
        notice.release_allowed, notice.resolved_by_id = entry.release_allowed, actor.user.id
        record_for(
            actor,
            "packet.release_objection_resolved",
            case_id=case.id,
            object_type="release_notice",
            object_id=notice.id,
            detail={
                "resolved_on": entry.resolved_on.isoformat() if entry.resolved_on else None,
                "release_allowed": entry.release_allowed,
            },
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
    notice = window.notice
    if notice.objection_on is not None:
        if notice.resolved_on is None:
            return (
                f"The public release was not printed: the objection of {notice.objection_on.isoformat()} to the "
                "notice is not resolved (C.G.S. 1-214(c)). Record its resolution first."
            )
        if not notice.release_allowed:
            return (
                f"The public release was not printed: the objection was resolved on {notice.resolved_on.isoformat()} "
                "by withholding the records."
            )
        return None  # resolved, the release may go: the window was answered by the objection
    if not window.is_open(today):
        return (
            f"The public release was not printed: the objection window of the notice of "
            f"{window.notice.notified_on.isoformat()} runs until {window.ends_on.isoformat()} (C.G.S. 1-214(c)); "
            f"it may be printed from {window.opens_on.isoformat()}."
        )
    return None

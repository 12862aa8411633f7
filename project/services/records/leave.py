"""Administrative leave of a case subject (issue 18, item 1): periods paid or unpaid, and how the paid days
stand against the limit on paid leave pending an investigation (``PAID_LEAVE_LIMIT_DAYS``, by default the 15
days of RCSA 5-240-5a(f)). Days are calendar days, both ends included; a period without an end runs to today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import Case, CaseSubject, LeavePeriod
from project.services.audit import Actor, record_for
from project.services.errors import InvalidInput
from project.transaction import committing

LIMIT_AUTHORITY = "RCSA 5-240-5a(f)"
MAX_REASON = 2_000


@dataclass(frozen=True)
class LeaveInput:
    """A leave period as the form gives it: ``paid`` is "paid" or "unpaid"; no end while the leave runs."""

    paid: str
    starts_on: date | None
    ends_on: date | None
    reason: str


@dataclass(frozen=True)
class LeaveStanding:
    """The paid days of a subject's leave on a day, against the limit: ``state`` is ``within``, ``near`` (the
    warning: ``warn_days`` or fewer left), ``reached`` or ``over``."""

    paid_days: int
    unpaid_days: int
    limit: int
    warn_days: int
    limit_label: str

    @property
    def remaining(self) -> int:
        return self.limit - self.paid_days

    @property
    def state(self) -> str:
        if self.paid_days > self.limit:
            return "over"
        if self.paid_days == self.limit:
            return "reached"
        if self.remaining <= self.warn_days:
            return "near"
        return "within"

    @property
    def warning(self) -> str:
        """What to tell labor relations, with the limit's source; empty while the paid days are well within it."""
        used = f"{self.paid_days} of {self.limit} days of paid leave used ({self.limit_label})"
        if self.state == "over":
            return f"Over the paid-leave limit: {used}, {self.paid_days - self.limit} day(s) over."
        if self.state == "reached":
            return f"The paid-leave limit is reached: {used}."
        if self.state == "near":
            return f"Near the paid-leave limit: {used}, {self.remaining} day(s) left."
        return ""


def limit_label(limit: int) -> str:
    """The limit's source: the regulation for its 15 days, a department setting for any other figure."""
    return LIMIT_AUTHORITY if limit == 15 else "department setting (PAID_LEAVE_LIMIT_DAYS)"


def days_in(period: LeavePeriod, on: date) -> int:
    """Days of the period up to ``on``, both ends included (0 before it starts)."""
    end = min(period.ends_on or on, on)
    return max(0, (end - period.starts_on).days + 1)


def leave_of(subject: CaseSubject) -> list[LeavePeriod]:
    query = select(LeavePeriod).where(LeavePeriod.subject_id == subject.id)
    return list(db.session.scalars(query.order_by(LeavePeriod.starts_on, LeavePeriod.id)))


def standing_of(periods: list[LeavePeriod], on: date, limit: int, warn_days: int) -> LeaveStanding:
    paid = sum(days_in(p, on) for p in periods if p.paid)
    unpaid = sum(days_in(p, on) for p in periods if not p.paid)
    return LeaveStanding(paid, unpaid, limit, warn_days, limit_label(limit))


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    far = date.max - timedelta(days=1)
    return a_start <= (b_end or far) and b_start <= (a_end or far)


def _checked(subject: CaseSubject, entry: LeaveInput, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if entry.paid not in ("paid", "unpaid"):
        errors["paid"] = "Choose paid or unpaid leave."
    if entry.starts_on is None:
        errors["starts_on"] = "Give the first day of the leave."
    elif entry.starts_on > today:
        errors["starts_on"] = "The leave cannot start after today; record it when it begins."
    elif entry.ends_on is not None and entry.ends_on < entry.starts_on:
        errors["ends_on"] = "The last day cannot be before the first."
    reason = entry.reason.strip()
    if not reason:
        errors["reason"] = "Give the reason for the leave."
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"The reason is longer than {MAX_REASON} characters."
    if not errors and entry.starts_on is not None:
        for other in leave_of(subject):
            if _overlaps(entry.starts_on, entry.ends_on, other.starts_on, other.ends_on):
                until = other.ends_on.isoformat() if other.ends_on else "no end yet"
                errors["starts_on"] = f"It overlaps the leave from {other.starts_on.isoformat()} ({until})."
                break
    return errors


def record_leave(case: Case, subject: CaseSubject, entry: LeaveInput, actor: Actor) -> LeavePeriod:
    """Add a leave period of ``subject`` (labor relations or a supervisor who may see the case); audited."""
    permissions.require(permissions.can_record_leave(actor.user, case))
    if subject.case_id != case.id:
        raise InvalidInput({"subject": "That employee is not a subject of this case."})
    errors = _checked(subject, entry, clock.local_today())
    if errors:
        raise InvalidInput(errors)
    assert entry.starts_on is not None
    with committing("the leave period"):
        period = LeavePeriod(
            subject_id=subject.id,
            paid=entry.paid == "paid",
            starts_on=entry.starts_on,
            ends_on=entry.ends_on,
            reason=entry.reason.strip(),
            recorded_by_id=actor.user.id,
            recorded_at=clock.now(),
        )
        db.session.add(period)
        db.session.flush()
        record_for(
            actor,
            "leave.recorded",
            case_id=case.id,
            object_type="leave_period",
            object_id=period.id,
            detail={
                "subject_id": subject.id,
                "paid": period.paid,
                "starts_on": period.starts_on.isoformat(),
                "ends_on": period.ends_on.isoformat() if period.ends_on else None,
                "reason": period.reason,
            },
        )
    return period


def end_leave(case: Case, period: LeavePeriod, ends_on: date | None, actor: Actor) -> LeavePeriod:
    """Give a running leave its last day; audited."""
    permissions.require(permissions.can_record_leave(actor.user, case))
    if period.subject.case_id != case.id:
        raise InvalidInput({"period": "That leave is not of this case."})
    if period.ends_on is not None:
        raise InvalidInput({"ends_on": f"This leave already ended on {period.ends_on.isoformat()}."})
    if ends_on is None or ends_on < period.starts_on or ends_on > clock.local_today():
        raise InvalidInput({"ends_on": f"The last day must be from {period.starts_on.isoformat()} to today."})
    with committing("the leave period"):
        period.ends_on = ends_on
        record_for(
            actor,
            "leave.ended",
            case_id=case.id,
            object_type="leave_period",
            object_id=period.id,
            detail={"ends_on": ends_on.isoformat()},
        )
    return period

"""Notifications: each person's inbox of what happened on the cases they work, and the e-mail that tells them.

What is notified, and to whom:
  assigned          the investigator assigned
  submitted         every supervisor who may review the case (not one who investigated it)
  returned          the assigned investigator
  approved          the assigned investigator and labor relations
  deadline_due      labor relations, when a deadline falls due soon (within its rule's ``warn_days``); for the
                    investigation's clock (``investigation_target``), the supervisors instead
  deadline_overdue  the same people, once a deadline is past
  leave_limit_near  labor relations and the case's supervisor, when a subject's paid leave nears or reaches
                    its limit (``records.leave_notices``); leave_limit_over, once it is past

``notify_move`` is called by ``workflow.move`` inside the move, so the notices commit with the move or not at all.
Every recipient is checked with ``permissions.can_view_case``: nobody is told about a case they may not see (and
nobody ever sees a case about themselves). The person who made the move is not told of it; disabled accounts get
nothing.

E-mail is on when SMTP_HOST is configured: each notice then also puts an e-mail in the outbox, in the same
transaction, for the outbox (``outbox.py``) to deliver. An e-mail holds no confidential case detail, only the
case number, what happened to it and a link (``PUBLIC_URL`` + the case's path): the content stays behind sign-in.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app, has_app_context
from sqlalchemy import func, select, update

from project import clock, permissions
from project.extensions import db
from project.models import Case, Notification, NotificationKind, OutboxMessage, Role, User, UserRole
from project.services import deadlines
from project.services.audit import Actor
from project.services.errors import StaleEdit
from project.transaction import committing

K = NotificationKind
INBOX_LIMIT = 100
# What an e-mail says happened, after "Case SM-2026-0001": nothing more of the case goes into a message.
MAIL_PHRASES = {
    K.ASSIGNED: "was assigned to you",
    K.SUBMITTED: "was submitted for review",
    K.RETURNED: "was returned to you",
    K.APPROVED: "was approved",
    K.DEADLINE_DUE: "has a deadline falling due",
    K.DEADLINE_OVERDUE: "has an overdue deadline",
    K.JOB_FAILED: "has a packet you asked for that could not be made",
    K.LEAVE_LIMIT_NEAR: "has a subject near or at the paid-leave limit",
    K.LEAVE_LIMIT_OVER: "has a subject over the paid-leave limit",
}


def case_path(case: Case, anchor: str = "") -> str:
    return f"/cases/{case.number}" + (f"#{anchor}" if anchor else "")


def notify(
    user: User, kind: NotificationKind, case: Case, message: str, link: str | None = None, dedupe_key: str | None = None
) -> Notification | None:
    """Add a notice to ``user``'s inbox (and an e-mail to the outbox when e-mail is on) in the current transaction;
    the caller commits. Nothing, and None, for a disabled user or one who may not see the case."""
    if not user.is_active or not permissions.can_view_case(user, case):
        return None
    now = clock.now()
    notice = Notification(
        user_id=user.id,
        kind=kind.value,
        case_id=case.id,
        message=message[:500],
        link=link or case_path(case),
        created_at=now,
        dedupe_key=dedupe_key,
    )
    db.session.add(notice)
    if _mail_is_on():
        db.session.add(_mail(user, kind, case, notice.link, now))
    return notice


def _mail_is_on() -> bool:
    return has_app_context() and bool(current_app.config.get("SMTP_HOST"))


def _mail(user: User, kind: NotificationKind, case: Case, link: str, now: datetime) -> OutboxMessage:
    base = current_app.config.get("PUBLIC_URL") or ""
    where = f"{base}{link}" if base else f"the case page, {link}"
    body = (
        f"Case {case.number} {MAIL_PHRASES[kind]}.\n\n"
        f"Sign in to Casefile to read it: {where}\n\n"
        "This message holds no case details on purpose: they are personnel records, kept behind sign-in.\n"
    )
    return OutboxMessage(
        to_address=user.email,
        subject=f"Casefile: case {case.number} {MAIL_PHRASES[kind]}",
        body=body,
        created_at=now,
        next_attempt_at=now,
        attempts=0,
    )


# The moves of the life cycle ------------------------------------------------------------------------


def users_with_role(role: Role) -> list[User]:
    """The active accounts holding ``role``."""
    return list(
        db.session.scalars(
            select(User).join(UserRole).where(UserRole.role == role.value, User.disabled_at.is_(None)).order_by(User.id)
        )
    )


def recipients_of_move(case: Case, action: str, assignee: User | None) -> list[User]:
    """Who hears of a move (before the checks every notice gets in ``notify``)."""
    investigator = case.assigned_investigator
    if action == "assigned":
        return [assignee] if assignee else []
    if action == "submitted":
        return [u for u in users_with_role(Role.SUPERVISOR) if permissions.can_review(u, case)]
    if action == "returned":
        return [investigator] if investigator else []
    if action == "approved":
        return ([investigator] if investigator else []) + users_with_role(Role.LABOR_RELATIONS)
    return []


MOVE_KINDS = {"assigned": K.ASSIGNED, "submitted": K.SUBMITTED, "returned": K.RETURNED, "approved": K.APPROVED}


def notify_move(case: Case, action: str, actor: Actor, assignee: User | None = None) -> list[Notification]:
    """The notices of one move, added to the move's transaction."""
    kind = MOVE_KINDS.get(action)
    if kind is None:
        return []
    with db.session.no_autoflush:  # the case row is written at the move's commit, where a concurrent save is handled
        return _notify_move(case, action, kind, actor, assignee)


def _notify_move(
    case: Case, action: str, kind: NotificationKind, actor: Actor, assignee: User | None
) -> list[Notification]:
    by = actor.user.name
    message = {
        K.ASSIGNED: f"{case.number} was assigned to you by {by}.",
        K.SUBMITTED: f"{case.number} was submitted for your review by {by}.",
        K.RETURNED: f"{case.number} was returned to you by {by}; the reasons are on the case.",
        K.APPROVED: f"{case.number} was approved by {by}.",
    }[kind]
    sent, seen = [], {actor.user.id}
    for user in recipients_of_move(case, action, assignee):
        if user.id not in seen:
            seen.add(user.id)
            notice = notify(user, kind, case, message)
            if notice is not None:
                sent.append(notice)
    return sent


# Deadlines (``flask notifications deadlines``, daily) --------------------------------------------------


def deadlines_to_notify(today: date) -> list[deadlines.Deadline]:
    """Open deadlines that are overdue, or due soon: within their rule's warning days (``warn_days``)."""
    return [
        d for d in deadlines.open_deadlines(today) if d.status == deadlines.OVERDUE or deadlines.is_due_soon(d, today)
    ]


def _deadline_notice(deadline: deadlines.Deadline) -> tuple[NotificationKind, str, str]:
    """(kind, message, dedupe key): one notice per deadline, status and due date."""
    d = deadline
    who = d.subject.employee.display_name
    if d.status == deadlines.OVERDUE:
        kind, text = K.DEADLINE_OVERDUE, f"was due {d.on.isoformat()} and is overdue"
    else:
        kind, text = K.DEADLINE_DUE, f"is due {d.on.isoformat()}"
    key = f"deadline:{d.rule.code}:{d.subject.id}:{d.status}:{d.on.isoformat()}"
    return kind, f"{d.case.number}: {d.rule.name} ({who}) {text}.", key


def deadline_notices(today: date) -> int:
    """Tell labor relations of every deadline due soon or overdue (the supervisors, of an investigation's),
    once per deadline, status and due date: a second run the same day (or the next, with nothing changed) adds
    nothing. Commits; returns the number of notices added. A concurrent run's notices make this one start
    again, and find them."""
    for attempt in range(2):
        try:
            with committing("the deadline notices", duplicate_is_conflict=True):
                added = _add_deadline_notices(today)
            return added
        except StaleEdit:
            if attempt:
                raise
    return 0  # pragma: no cover - the loop returns or raises


def _add_deadline_notices(today: date) -> int:
    found = deadlines_to_notify(today)
    if not found:
        return 0
    notices = [(d, *_deadline_notice(d)) for d in found]
    labor = users_with_role(Role.LABOR_RELATIONS)
    supervisors = users_with_role(Role.SUPERVISOR)
    keys = [key for *_, key in notices]
    existing = {
        (user_id, key)
        for user_id, key in db.session.execute(
            select(Notification.user_id, Notification.dedupe_key).where(Notification.dedupe_key.in_(keys))
        )
    }
    added = 0
    for deadline, kind, message, key in notices:
        investigation = deadline.rule.trigger == "department_knew"
        for user in supervisors if investigation else labor:
            if (user.id, key) not in existing and notify(
                user, kind, deadline.case, message, case_path(deadline.case, "" if investigation else "labor"), key
            ):
                added += 1
    return added


# The inbox ----------------------------------------------------------------------------------------------


def inbox_of(user: User, limit: int = INBOX_LIMIT) -> list[Notification]:
    """The user's newest notices first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def count_of(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == user.id)) or 0


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def open_notification(user: User, notification_id: int) -> Notification | None:
    """The user's own notice, marked read (committed); None for another person's or one that does not exist."""
    notice = db.session.scalars(
        select(Notification).where(Notification.id == notification_id, Notification.user_id == user.id)
    ).one_or_none()
    if notice is not None and notice.read_at is None:
        with committing("this notice"):
            notice.read_at = clock.now()
    return notice


def mark_all_read(user: User) -> int:
    """Mark every unread notice of the user read; commits and returns how many."""
    with committing("your notices"):
        result = db.session.execute(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .values(read_at=clock.now())
        )
    return int(getattr(result, "rowcount", 0) or 0)

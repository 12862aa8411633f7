"""Paid administrative leave near, at or over its limit (issue 18), told to the people who act on it:
labor relations and the case's supervisor (the supervisor who assigned its investigator; every supervisor
when none did, as for the investigation's clock). ``flask notifications leave``, daily.

Once per leave period and threshold: the notice's ``dedupe_key`` names the subject's newest paid period and
its state (``near``, ``reached``, ``over``), so a rerun adds nothing and a new period is told afresh. Near
and reached come as "deadline due", over as "deadline overdue". Every notice sent is audited
(``leave.limit_notified``, with who was told), like the other alerts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from project.extensions import db
from project.models import Case, CaseTransition, Notification, NotificationKind, Role, User
from project.services.audit import record
from project.services.errors import StaleEdit
from project.services.notifications import case_path, notify, users_with_role
from project.services.records.figures import leave_alerts
from project.transaction import committing


def case_supervisors(case: Case, supervisors: list[User]) -> list[User]:
    """The supervisor who made the case's newest assignment, if still a supervisor; otherwise every one."""
    assigners = select(CaseTransition.actor_id).where(
        CaseTransition.case_id == case.id, CaseTransition.action == "assigned"
    )
    for actor_id in db.session.scalars(assigners.order_by(CaseTransition.id.desc())):
        found = [user for user in supervisors if user.id == actor_id]
        if found:
            return found
    return supervisors


def leave_notices(today: date, limit: int, warn_days: int) -> int:
    """Tell of every subject's paid leave near, at or over ``limit`` (``warn_days`` before it), once per
    leave period and threshold. Commits; returns the number of notices added."""
    for attempt in range(2):
        try:
            with committing("the leave notices", duplicate_is_conflict=True):
                added = _add_leave_notices(today, limit, warn_days)
            return added
        except StaleEdit:
            if attempt:
                raise
    return 0  # pragma: no cover - the loop returns or raises


def _add_leave_notices(today: date, limit: int, warn_days: int) -> int:
    alerts = leave_alerts(today, limit, warn_days)
    if not alerts:
        return 0
    keys = {id(a): f"leave:{a.period_id}:{a.standing.state}" for a in alerts}
    existing = {
        (user_id, key)
        for user_id, key in db.session.execute(
            select(Notification.user_id, Notification.dedupe_key).where(Notification.dedupe_key.in_(keys.values()))
        )
    }
    labor, supervisors = users_with_role(Role.LABOR_RELATIONS), users_with_role(Role.SUPERVISOR)
    added = 0
    for alert in alerts:
        key, standing = keys[id(alert)], alert.standing
        kind = NotificationKind.LEAVE_LIMIT_OVER if standing.state == "over" else NotificationKind.LEAVE_LIMIT_NEAR
        message = f"{alert.case.number}: {alert.name}: {standing.warning}"
        told = []
        for user in dict.fromkeys(labor + case_supervisors(alert.case, supervisors)):
            if (user.id, key) not in existing and notify(
                user, kind, alert.case, message, case_path(alert.case, "subjects"), key
            ):
                told.append(user.id)
        if told:
            added += len(told)
            record(
                "leave.limit_notified",
                object_type="leave_period",
                object_id=alert.period_id,
                case_id=alert.case.id,
                detail={
                    "subject_id": alert.subject_id,
                    "state": standing.state,
                    "paid_days": standing.paid_days,
                    "limit": standing.limit,
                    "limit_label": standing.limit_label,
                    "warn_days": standing.warn_days,
                    "told": told,
                },
            )
    return added

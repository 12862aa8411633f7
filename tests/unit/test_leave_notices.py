"""Paid administrative leave near, at or over its limit reaches the inbox (issue 18): labor relations and the
case's supervisor (the one who assigned its investigator) are told by ``flask notifications leave``, once per
leave period and threshold, and each notice sent is audited. The limit is RCSA 5-240-5a(f)'s 15 days; the
warning days are a department setting (``PAID_LEAVE_WARN_DAYS``, 3 here). Today is 2026-03-02."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, Notification, User
from project.services import records
from tests.unit.test_leave import leave
from tests.unit.test_notifications import at


def told() -> list[tuple[str, str, str]]:
    """(email, kind, message) of every notice, in the order made."""
    rows = db.session.execute(
        select(User.email, Notification.kind, Notification.message)
        .join(User, User.id == Notification.user_id)
        .order_by(Notification.id)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def quiet() -> None:
    db.session.execute(db.delete(Notification))
    db.session.commit()


def run(runner) -> str:
    result = runner.invoke(args=["notifications", "leave"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_labor_relations_and_the_case_supervisor_hear_once_of_each_threshold(world, runner, frozen_clock):
    case = world.approved()
    other_supervisor = world.users.make("supervisor")
    subject = case.subjects[0]
    name = subject.employee.display_name
    records.record_leave(case, subject, leave("paid", "2026-02-20", None), world.actor(world.labor))
    quiet()
    assert run(runner) == "Leave notices: 0 added."  # 11 of 15 days: well within
    at(frozen_clock, date(2026, 3, 3))  # 12 days: 3 left, the warning
    assert (run(runner), run(runner)) == ("Leave notices: 2 added.", "Leave notices: 0 added.")
    used = "12 of 15 days of paid leave used (RCSA 5-240-5a(f))"
    near = f"{case.number}: {name}: Near the paid-leave limit: {used}, 3 day(s) left."
    assert told() == [("lr@example.test", "leave_limit_near", near), ("sup@example.test", "leave_limit_near", near)]
    at(frozen_clock, date(2026, 3, 4))
    assert run(runner) == "Leave notices: 0 added."  # still near: told already
    at(frozen_clock, date(2026, 3, 6))
    assert run(runner) == "Leave notices: 2 added."  # 15 days: the limit reached
    at(frozen_clock, date(2026, 3, 7))
    assert (run(runner), run(runner)) == ("Leave notices: 2 added.", "Leave notices: 0 added.")
    kinds = [(email, kind) for email, kind, _ in told()]
    assert kinds[-2:] == [("lr@example.test", "leave_limit_over"), ("sup@example.test", "leave_limit_over")]
    assert told()[-1][2].endswith(
        "Over the paid-leave limit: 16 of 15 days of paid leave used (RCSA 5-240-5a(f)), 1 day(s) over."
    )
    assert other_supervisor.email not in {email for email, *_ in told()}
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "leave.limit_notified").order_by(AuditEvent.id)
    ).all()
    assert [(e.case_id, e.detail["state"], e.detail["paid_days"]) for e in events] == [
        (case.id, "near", 12),
        (case.id, "reached", 15),
        (case.id, "over", 16),
    ]
    assert events[0].detail["limit"] == 15 and events[0].detail["limit_label"] == "RCSA 5-240-5a(f)"
    assert sorted(events[0].detail["told"]) == sorted([world.labor.id, world.supervisor.id])


def test_the_warning_days_are_the_department_setting(app, world, runner, frozen_clock, monkeypatch):
    case = world.approved()
    records.record_leave(case, case.subjects[0], leave("paid", "2026-02-20", None), world.actor(world.labor))
    quiet()
    monkeypatch.setitem(app.config, "PAID_LEAVE_WARN_DAYS", 4)  # 11 of 15 days: 4 left
    assert run(runner) == "Leave notices: 2 added."


def test_a_new_leave_period_warns_again_and_unpaid_leave_or_a_closed_case_never(world, runner, frozen_clock):
    case = world.approved()
    subject = case.subjects[0]
    labor = world.actor(world.labor)
    records.record_leave(case, subject, leave("paid", "2026-02-01", "2026-02-12"), labor)  # 12 days: near
    records.record_leave(case, subject, leave("unpaid", "2026-02-13", "2026-02-28"), labor)
    quiet()
    assert run(runner) == "Leave notices: 2 added."
    records.record_leave(case, subject, leave("paid", "2026-03-02", None), labor)  # 13 days: near again
    assert (run(runner), run(runner)) == ("Leave notices: 2 added.", "Leave notices: 0 added.")

    closed = world.closed()
    records.record_leave(closed, closed.subjects[0], leave("paid", "2026-02-01", "2026-02-20"), labor)  # 20 days
    assert run(runner) == "Leave notices: 0 added.", "a closed case's leave is history"


def test_only_the_supervisor_hears_while_labor_relations_may_not_see_the_case(world, runner, frozen_clock):
    case = world.open()  # under investigation: labor relations may not see it yet
    subject = world.with_subject(case)
    records.record_leave(case, subject, leave("paid", "2026-02-16", None), world.actor(world.supervisor))
    quiet()
    assert run(runner) == "Leave notices: 1 added."
    assert [email for email, *_ in told()] == ["sup@example.test"]

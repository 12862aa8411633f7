"""Administrative leave (issue 18, item 1): periods on a case subject, paid or unpaid, with a warning before
the paid-leave limit (``PAID_LEAVE_LIMIT_DAYS``, RCSA 5-240-5a(f)), on the dashboard and in the packet. Today
is 2026-03-02 (the ``frozen_clock``)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import AuditEvent
from project.permissions import NotPermitted
from project.services import dashboard, records
from project.services.errors import InvalidInput
from tests.unit.test_packets import pages_text, render


def leave(paid: str, starts: str, ends: str | None, reason: str = "Pending the investigation."):
    return records.LeaveInput(paid, date.fromisoformat(starts), date.fromisoformat(ends) if ends else None, reason)


def test_paid_days_warn_before_the_limit_and_say_when_it_is_passed(world, frozen_clock):
    case = world.approved()
    subject = case.subjects[0]
    labor = world.actor(world.labor)
    records.record_leave(case, subject, leave("unpaid", "2026-01-01", "2026-01-31"), labor)
    records.record_leave(case, subject, leave("paid", "2026-02-01", "2026-02-11"), labor)  # 11 days
    standing = records.standing_of(records.leave_of(subject), clock.local_today(), 15, 3)
    assert (standing.paid_days, standing.unpaid_days, standing.state) == (11, 31, "within")
    assert standing.warning == ""

    running = records.record_leave(case, subject, leave("paid", "2026-02-28", None), labor)  # to 03-02: 3 days
    standing = records.standing_of(records.leave_of(subject), clock.local_today(), 15, 3)
    assert (standing.paid_days, standing.state) == (14, "near")
    assert (
        standing.warning
        == "Near the paid-leave limit: 14 of 15 days of paid leave used (RCSA 5-240-5a(f)), 1 day(s) left."
    )
    frozen_clock.current = frozen_clock.current.replace(day=5)
    standing = records.standing_of(records.leave_of(subject), clock.local_today(), 15, 3)
    assert (standing.paid_days, standing.state) == (17, "over")
    assert (
        standing.warning.startswith("Over the paid-leave limit: 17 of 15 days") and "2 day(s) over" in standing.warning
    )
    assert records.limit_label(20) == "department setting (PAID_LEAVE_LIMIT_DAYS)"

    records.end_leave(case, running, date(2026, 3, 3), labor)
    assert running.ends_on == date(2026, 3, 3)
    audited = db.session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id)).all()
    assert audited.count("leave.recorded") == 3 and "leave.ended" in audited


def test_bad_leave_is_refused_with_a_message_and_nothing_saved(world, frozen_clock):
    case = world.approved()
    subject = case.subjects[0]
    labor = world.actor(world.labor)
    with pytest.raises(InvalidInput, match="The last day cannot be before the first"):
        records.record_leave(case, subject, leave("paid", "2026-02-10", "2026-02-01"), labor)
    with pytest.raises(InvalidInput, match="Give the reason"):
        records.record_leave(case, subject, leave("paid", "2026-02-01", None, " "), labor)
    with pytest.raises(InvalidInput, match="cannot start after today"):
        records.record_leave(case, subject, leave("paid", "2026-03-10", None), labor)
    with pytest.raises(InvalidInput, match="Choose paid or unpaid"):
        records.record_leave(case, subject, leave("sometimes", "2026-02-01", None), labor)
    records.record_leave(case, subject, leave("paid", "2026-02-01", "2026-02-10"), labor)
    with pytest.raises(InvalidInput, match="overlaps the leave from 2026-02-01"):
        records.record_leave(case, subject, leave("unpaid", "2026-02-10", None), labor)
    with pytest.raises(NotPermitted):
        records.record_leave(case, subject, leave("paid", "2026-02-20", None), world.actor(world.investigator))
    assert len(records.leave_of(subject)) == 1


def test_the_dashboard_lists_leave_near_or_over_the_limit_and_the_retention_due(world, frozen_clock):
    case = world.approved()
    records.record_leave(case, case.subjects[0], leave("paid", "2026-02-01", "2026-02-20"), world.actor(world.labor))
    quiet = world.approved()
    records.record_leave(quiet, quiet.subjects[0], leave("paid", "2026-02-01", "2026-02-02"), world.actor(world.labor))
    board = dashboard.build(world.supervisor, clock.local_today())
    [flag] = board.leave
    assert (flag.case_number, flag.standing.paid_days, flag.standing.state) == (case.number, 20, "over")
    assert board.leave_limit_label == "RCSA 5-240-5a(f)"
    assert board.retention is not None and (board.retention.due, board.retention.held) == (0, 0)
    investigator_board = dashboard.build(world.investigator2, clock.local_today())
    assert investigator_board.leave == [], "only cases the person may see"


def test_the_packet_prints_the_leave_with_the_limit_and_its_source(world, frozen_clock):
    case = world.approved()
    subject = case.subjects[0]
    labor = world.actor(world.labor)
    records.record_leave(case, subject, leave("paid", "2026-01-01", "2026-01-18", "Removed from post."), labor)
    records.record_leave(case, subject, leave("unpaid", "2026-01-19", None, "After the paid days."), labor)
    text = " ".join(" ".join(pages_text(render(case).pdf)).split())
    assert "Paid leave 2026-01-01 to 2026-01-18: Removed from post." in text
    assert "Unpaid leave 2026-01-19 to no end recorded (running): After the paid days." in text
    assert (
        "18 of a limit of 15 days of paid leave pending an investigation (RCSA 5-240-5a(f)): 3 day(s) over the limit"
        in text
    )

"""Closing a case in discipline while a subject may still grieve (issue 18): allowed, but the grievance filing
window (the unit's first step, counted from the written notice) is stated before the close and kept in its
audit event. The notice is of 2026-03-02; the unit's first step is filed within 30 days, so until 2026-04-01."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent
from project.services import grievances
from tests.web.test_grievance_pages import in_discipline_with_notice


def closed_event() -> AuditEvent:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.closed")).one()


def test_a_close_inside_the_filing_window_is_allowed_and_audited_with_it(world, frozen_clock):
    case = in_discipline_with_notice(world, frozen_clock)  # today 2026-04-01: the window's last day
    employee = case.subjects[0].employee
    [window] = grievances.filing_windows(case, date(2026, 4, 1))
    assert window.sentence == f"The grievance filing window for {employee.display_name} is open until 2026-04-01"
    assert (window.notice_on, window.step) == (date(2026, 3, 2), "Step 1 (facility)")
    assert window.source == "department setting (not yet confirmed by anyone)"
    grievances.close_case(case, world.actor(world.labor), "Discipline served.")
    assert case.state == "closed"
    assert closed_event().detail["grievance_filing_open"] == [
        {
            "subject": employee.employee_number,
            "name": employee.display_name,
            "notice_on": "2026-03-02",
            "until": "2026-04-01",
            "step": "Step 1 (facility)",
            "source": "department setting (not yet confirmed by anyone)",
        }
    ]


def test_no_window_once_it_has_passed_or_a_grievance_was_filed(world, frozen_clock):
    case = in_discipline_with_notice(world, frozen_clock)
    assert grievances.filing_windows(case, date(2026, 4, 2)) == []  # the day after the last
    grievances.file_grievance(
        case, case.subjects[0], grievances.GrievanceInput(date(2026, 3, 10)), world.actor(world.labor)
    )
    assert grievances.filing_windows(case, date(2026, 3, 20)) == []  # filed: the window is used


def test_a_close_after_the_window_records_no_window(world, frozen_clock):
    case = in_discipline_with_notice(world, frozen_clock)
    frozen_clock.advance(days=1)  # 2026-04-02
    grievances.close_case(case, world.actor(world.labor), "Discipline served.")
    assert case.state == "closed" and "grievance_filing_open" not in closed_event().detail


def test_no_window_before_the_written_notice(world, frozen_clock):
    case = world.approved_with_discipline(step="written_reprimand")
    world.labor_record(case, meeting_place="Warden's office")
    assert grievances.filing_windows(case, date(2026, 3, 2)) == []

"""Deadline rules from seed data: due, overdue, met and not-before dates per subject, business days over a
weekend, and labor relations' list across cases. The frozen clock starts on Monday 2026-03-02 (09:30 in
Connecticut), so cases approved then have their decision to discipline on 2026-03-02."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event

from project.extensions import db
from project.services import casework, deadlines

MONDAY = date(2026, 3, 2)


def at(frozen_clock, day: date) -> date:
    """Move the frozen clock to 14:30 UTC on ``day`` (the morning in Connecticut)."""
    frozen_clock.current = frozen_clock.current.replace(year=day.year, month=day.month, day=day.day)
    return day


def summary(found: list[deadlines.Deadline]) -> list[tuple[str, date, str]]:
    return [(d.rule.code, d.on, d.status) for d in found]


def test_business_days_skip_the_weekend(seeded_catalogue):
    friday, saturday = date(2026, 3, 6), date(2026, 3, 7)
    assert deadlines.add_business_days(date(2026, 3, 5), 1) == friday
    assert deadlines.add_business_days(friday, 1) == date(2026, 3, 9)
    assert deadlines.add_business_days(saturday, 1) == date(2026, 3, 9)
    assert deadlines.add_business_days(friday, 6) == date(2026, 3, 16)
    assert deadlines.add_business_days(friday, 0) == friday


def test_written_notice_is_due_7_days_after_approval_then_overdue_then_met_late(world, frozen_clock):
    case = world.approved_with_discipline(step="suspension", days=5)
    [due] = deadlines.case_deadlines(case, MONDAY)
    assert (due.rule.code, due.trigger_on, due.on, due.status) == ("written_notice", MONDAY, date(2026, 3, 9), "due")
    assert due.label == (
        "Written notice of discipline: due 2026-03-09, 7 days left (7 days after the decision to "
        "discipline of 2026-03-02)"
    )
    assert deadlines.case_deadlines(case, date(2026, 3, 9))[0].label.startswith(
        "Written notice of discipline: due 2026-03-09, due today"
    )
    [overdue] = deadlines.case_deadlines(case, date(2026, 3, 11))
    assert overdue.status == "overdue"
    assert overdue.label.startswith("Written notice of discipline: overdue by 2 days (was due 2026-03-09")
    today = at(frozen_clock, date(2026, 3, 11))
    world.labor_record(case, notice_issued_on=today)
    met, copy = deadlines.case_deadlines(case, today)
    assert (met.status, met.done_on, met.is_late) == ("met", today, True)
    assert met.label.startswith("Written notice of discipline: done 2026-03-11, 2 days late (due 2026-03-09")
    assert (copy.rule.code, copy.on, copy.status) == ("copy_to_employee", date(2026, 3, 12), "due")


def test_the_decision_date_when_recorded_starts_the_clock_instead_of_the_approval(world, frozen_clock):
    case = world.approved_with_discipline(step="suspension", days=5)
    today = at(frozen_clock, date(2026, 3, 4))
    world.labor_record(case, decision_on=today)
    [notice] = deadlines.case_deadlines(case, today)
    assert (notice.trigger_on, notice.on, notice.status) == (today, date(2026, 3, 11), "due")


def test_the_copy_to_the_employee_counts_one_business_day_over_the_weekend(world, frozen_clock):
    case = world.approved_with_discipline(step="suspension", days=5)
    friday = at(frozen_clock, date(2026, 3, 6))
    action = world.labor_record(
        case, notice_issued_on=friday, imposed_step="suspension", imposed_suspension_days=5, effective_on=friday
    )
    assert summary(deadlines.case_deadlines(case, date(2026, 3, 7))) == [
        ("written_notice", date(2026, 3, 9), "met"),
        ("copy_to_employee", date(2026, 3, 9), "due"),
    ]
    copy = deadlines.case_deadlines(case, date(2026, 3, 7))[1]
    assert copy.label == (
        "Copy to the employee: due 2026-03-09, 2 days left (1 business day after the "
        "disciplinary document of 2026-03-06)"
    )
    assert summary(deadlines.case_deadlines(case, date(2026, 3, 10)))[1] == (
        "copy_to_employee",
        date(2026, 3, 9),
        "overdue",
    )
    monday = at(frozen_clock, date(2026, 3, 9))
    world.labor_record(
        case,
        action.row_version,
        notice_issued_on=friday,
        imposed_step="suspension",
        imposed_suspension_days=5,
        effective_on=friday,
        employee_copy_on=monday,
    )
    assert [d.status for d in deadlines.case_deadlines(case, date(2026, 3, 10))] == ["met", "met"]


def test_a_dismissal_shows_its_earliest_effective_date(world, frozen_clock):
    case = world.approved_with_discipline(step="dismissal")
    world.labor_record(case, decision_on=MONDAY, notice_issued_on=MONDAY, imposed_step="dismissal")
    found = deadlines.case_deadlines(case, MONDAY)
    assert summary(found) == [
        ("copy_to_employee", date(2026, 3, 3), "due"),
        ("dismissal_reported", date(2026, 3, 3), "due"),  # RCSA 5-240-5a(e): a copy of the notice to DAS
        ("written_notice", date(2026, 3, 9), "met"),
        ("effective_after_notice", date(2026, 3, 16), "not_before"),
    ]
    assert found[2].label.startswith("Written notice of discipline: done 2026-03-02 (due 2026-03-09")
    assert found[3].label == (
        "Earliest effective date: not before 2026-03-16 (14 days after the written notice of 2026-03-02)"
    )


def test_reprimands_and_cases_without_discipline_start_no_clock_until_a_notice(world, frozen_clock):
    reprimand = world.approved_with_discipline()  # written reprimand: no written-notice rule
    assert deadlines.case_deadlines(reprimand, MONDAY) == []
    world.labor_record(reprimand, notice_issued_on=MONDAY, imposed_step="written_reprimand")
    assert summary(deadlines.case_deadlines(reprimand, MONDAY)) == [("copy_to_employee", date(2026, 3, 3), "due")]
    cleared = world.approved(finding="not_sustained")
    world.labor_record(cleared, notice_issued_on=MONDAY)
    assert deadlines.case_deadlines(cleared, MONDAY) == []


def count_queries(action) -> int:
    statements: list[str] = []

    def counted(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", counted)
    try:
        db.session.expire_all()
        action()
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return len(statements)


def test_the_labor_relations_list_shows_overdue_and_soon_due_across_cases_in_a_few_queries(world, frozen_clock):
    late = world.approved_with_discipline(step="suspension", days=5)
    one_case = count_queries(lambda: deadlines.open_deadlines(date(2026, 3, 12)))
    at(frozen_clock, date(2026, 3, 10))
    soon = world.approved_with_discipline(step="suspension", days=5)
    world.approved_with_discipline()  # a written reprimand: nothing due yet
    done = world.approved_with_discipline(step="suspension", days=2)
    world.labor_record(done, notice_issued_on=date(2026, 3, 10), employee_copy_on=date(2026, 3, 10))
    closed = world.approved_with_discipline(step="suspension", days=2)
    world.labor_record(closed, notice_issued_on=date(2026, 3, 10), employee_copy_on=date(2026, 3, 10))
    casework.close_case(closed, world.actor(world.labor), "Suspension served.")
    today = date(2026, 3, 12)
    within_3 = deadlines.open_deadlines(today, within_days=3)
    assert [(d.case.number, d.rule.code, d.status) for d in within_3] == [(late.number, "written_notice", "overdue")]
    within_7 = deadlines.open_deadlines(today)
    assert [(d.case.number, d.on, d.status) for d in within_7] == [
        (late.number, date(2026, 3, 9), "overdue"),
        (soon.number, date(2026, 3, 17), "due"),
    ]
    assert count_queries(lambda: deadlines.open_deadlines(today)) == one_case

"""Issue 14, part 7: Connecticut legal holidays as data (C.G.S. 1-4) that business days skip; every deadline
rule with its source; the investigation's clock from the day the department first knew of the post, with a
configurable warning; the reports of a demotion and a dismissal to the Commissioner of Administrative Services;
and the immediate dismissal of RCSA 5-240-8a(b). The frozen clock starts on Monday 2026-03-02."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event, select

from project.commands import SEED_DIR
from project.extensions import db
from project.models import Case, DeadlineRule, DisciplineStep, Holiday, Notification, ReportedPost, User
from project.services import casework, deadlines, notifications
from tests.factories import PASSWORD

MONDAY = date(2026, 3, 2)


def at(frozen_clock, day: date) -> date:
    """Move the frozen clock to 14:30 UTC on ``day`` (the morning in Connecticut)."""
    frozen_clock.current = frozen_clock.current.replace(year=day.year, month=day.month, day=day.day)
    return day


def rule(code: str) -> DeadlineRule:
    return db.session.scalars(select(DeadlineRule).where(DeadlineRule.code == code)).one()


def step(code: str) -> DisciplineStep:
    return db.session.scalars(select(DisciplineStep).where(DisciplineStep.code == code)).first()


# Holidays -----------------------------------------------------------------------------------------------


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def observed(day: date) -> date:
    """C.G.S. 1-4: a Sunday holiday is kept on the Monday after, a Saturday one on the Friday before."""
    return day + timedelta(days={6: 1, 5: -1}.get(day.weekday(), 0))


def cgs_1_4(year: int) -> dict[date, str]:
    """The fixed and Monday holidays of C.G.S. 1-4 for a year, as observed (Juneteenth from 2023 on)."""
    last_may = date(year, 5, 31) - timedelta(days=date(year, 5, 31).weekday())
    days = {
        observed(date(year, 1, 1)): "New Year's Day",
        nth_weekday(year, 1, 0, 3): "Martin Luther King, Jr. Day",
        observed(date(year, 2, 12)): "Lincoln Day",
        nth_weekday(year, 2, 0, 3): "Washington's Birthday",
        last_may: "Memorial Day",
        observed(date(year, 7, 4)): "Independence Day",
        nth_weekday(year, 9, 0, 1): "Labor Day",
        nth_weekday(year, 10, 0, 2): "Columbus Day",
        observed(date(year, 11, 11)): "Veterans' Day",
        observed(date(year, 12, 25)): "Christmas",
    }
    if year >= 2023:
        days[observed(date(year, 6, 19))] = "Juneteenth Independence Day"
    return days


def test_the_holiday_file_holds_the_cgs_1_4_days_as_observed_each_with_its_source():
    rows = tomllib.loads((SEED_DIR / "holidays.toml").read_text())["holidays"]
    by_day = {row["day"]: row for row in rows}
    assert len(by_day) == len(rows), "a date is listed twice"
    for year in (2018, 2021, 2022, 2026, 2027, 2030):
        for day, name in cgs_1_4(year).items():
            assert by_day[day]["name"] == name, (year, day)
            assert by_day[day]["authority"] == "C.G.S. 1-4"
        listed = {d for d, row in by_day.items() if (row.get("falls_on") or d).year == year}
        thanksgiving = nth_weekday(year, 11, 3, 4)
        assert listed - set(cgs_1_4(year)) == {thanksgiving, listed_good_friday(by_day, year)}
    assert by_day[date(2021, 12, 31)]["falls_on"] == date(2022, 1, 1)  # New Year's Day 2022, a Saturday
    assert by_day[date(2023, 1, 2)]["falls_on"] == date(2023, 1, 1)  # a Sunday
    assert date(2022, 6, 20) not in by_day and date(2022, 6, 19) not in by_day  # no Juneteenth before 2023
    for row in rows:
        assert row["authority"].startswith("C.G.S. 1-4")
        if row.get("proclaimed"):
            assert row["name"] in ("Thanksgiving Day", "Good Friday") and "proclamation" in row["authority"]
            assert row["set_by"].startswith("Governor's proclamation")


def listed_good_friday(by_day: dict, year: int) -> date:
    [good_friday] = [d for d, row in by_day.items() if row["name"] == "Good Friday" and d.year == year]
    assert good_friday.weekday() == 4 and by_day[good_friday]["proclaimed"]
    return good_friday


def test_business_days_skip_thanksgiving_but_not_the_day_after_and_christmas(seeded_catalogue):
    wednesday = date(2026, 11, 25)
    assert {date(2026, 11, 26), date(2026, 12, 25), date(2027, 12, 24)} <= deadlines.holidays()
    assert deadlines.add_business_days(wednesday, 1) == date(2026, 11, 27)  # the day after is a working day
    assert deadlines.add_business_days(wednesday, 2) == date(2026, 11, 30)
    assert deadlines.add_business_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    assert deadlines.add_business_days(date(2026, 11, 27), -1) == date(2026, 11, 25)
    assert not deadlines.is_business_day(date(2026, 1, 19))  # Martin Luther King, Jr. Day


def test_the_holidays_are_read_once_not_once_per_day_counted(seeded_catalogue):
    statements: list[str] = []

    def counted(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    deadlines.forget_holidays()
    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        for start in range(30):
            deadlines.add_business_days(date(2026, 11, 1) + timedelta(days=start), 10)
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    assert len(statements) == 1


def test_the_copy_to_the_employee_counts_past_thanksgiving(world, frozen_clock):
    case = world.approved_with_discipline(step="suspension", days=5)
    wednesday = at(frozen_clock, date(2026, 11, 25))
    world.labor_record(case, notice_issued_on=wednesday)
    copy = next(d for d in deadlines.case_deadlines(case, wednesday) if d.rule.code == "copy_to_employee")
    assert (copy.on, copy.status) == (date(2026, 11, 27), "due")


def test_the_foia_window_skips_christmas(seeded_catalogue):
    window = rule("foia_objection_window")
    # 7 business days from Monday 2026-12-21: skip Christmas (Friday) and the weekends
    assert deadlines.deadline_date(window, date(2026, 12, 21)) == date(2026, 12, 31)


# Sources ------------------------------------------------------------------------------------------------


def test_every_deadline_rule_carries_its_source(seeded_catalogue):
    labels = {r.code: r.source_label for r in deadlines.rules()}
    assert labels["written_notice"] == "RCSA 5-240-8a(a)"
    assert labels["effective_after_notice"] == "RCSA 5-240-8a(b), (c)"
    assert labels["foia_objection_window"] == "C.G.S. 1-214(c)"
    assert labels["demotion_reported"] == "RCSA 5-240-4a(d)"
    assert labels["dismissal_reported"] == "RCSA 5-240-5a(e)"
    for setting in ("copy_to_employee", "investigation_target"):
        assert labels[setting].startswith("department setting (Labor Relations"), setting
        assert rule(setting).set_on is not None
    assert all(r.source_label and r.warn_days >= 0 for r in deadlines.rules())
    holiday = db.session.scalars(select(Holiday).where(Holiday.day == date(2026, 12, 25))).one()
    assert (holiday.name, holiday.source_label) == ("Christmas", "C.G.S. 1-4")


def test_the_deadline_list_and_the_reference_page_show_each_rules_source(client, world, sign_in, frozen_clock):
    case = world.approved_with_discipline(step="suspension", days=3)
    at(frozen_clock, date(2026, 3, 10))
    sign_in(client, world.labor.email, PASSWORD)
    listing = client.get("/labor").get_data(as_text=True)
    assert case.number in listing and "RCSA 5-240-8a(a)" in listing
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "RCSA 5-240-8a(a)" in page
    reference = client.get("/catalogue/discipline").get_data(as_text=True)
    assert "RCSA 5-240-4a(d)" in reference and "department setting (Labor Relations" in reference
    assert "Thanksgiving Day" in reference and "C.G.S. 1-4 (day appointed by proclamation)" in reference


# The investigation's clock ------------------------------------------------------------------------------


def test_the_investigation_clock_runs_from_the_post_first_seen_until_approval(world, frozen_clock):
    case = world.open()
    world.with_subject(case)
    [running] = deadlines.case_deadlines(case, MONDAY)
    received = date(2026, 2, 28)  # the factory's complaint came in two days before the frozen clock
    assert (running.rule.code, running.trigger_on, running.on, running.status) == (
        "investigation_target",
        received,
        received + timedelta(days=90),
        "due",
    )
    post = db.session.scalars(select(ReportedPost).where(ReportedPost.case_id == case.id)).one()
    post.first_seen_at = frozen_clock.current - timedelta(days=40)
    db.session.flush()
    [earlier] = deadlines.case_deadlines(case, MONDAY)
    assert (earlier.trigger_on, earlier.on) == (date(2026, 1, 21), date(2026, 4, 21))
    assert earlier.label.startswith("Investigation completed: due 2026-04-21, 50 days left (90 days after the day")
    assert [c.case_id for c in deadlines.open_clocks(MONDAY)] == []  # not due soon yet
    assert [c.case_id for c in deadlines.open_clocks(date(2026, 4, 10))] == [case.id]  # within 14 days
    overdue = deadlines.open_clocks(date(2026, 4, 22))
    assert [(c.case_id, c.rule.code, c.status) for c in overdue] == [(case.id, "investigation_target", "overdue")]


def test_the_case_page_shows_the_running_investigation_clock_and_its_source(client, world, sign_in, frozen_clock):
    case = world.open()
    world.with_subject(case)
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Investigation deadline" in page and "Investigation completed: due 2026-05-29" in page
    assert "department setting (Labor Relations, seed default not yet confirmed, 2026-12-01)" in page


def test_the_first_approval_or_closing_meets_the_investigation_clock(world, frozen_clock):
    approved = world.approved()
    closed = world.closed()
    for case in (approved, closed):
        clocks = {c.rule.code: c for c in deadlines.clocks(date(2026, 9, 1), _case(case))}
        assert (clocks["investigation_target"].status, clocks["investigation_target"].done_on) == ("met", MONDAY)
        assert deadlines.case_deadlines(case, date(2026, 9, 1)) == []  # a finished investigation is off the case
    assert deadlines.open_clocks(date(2026, 9, 1)) == []


def _case(case: Case) -> Any:
    return Case.id == case.id


def test_a_rules_warning_days_decide_what_is_due_soon(world, frozen_clock):
    case = world.approved_with_discipline(step="suspension", days=5)  # written notice due 2026-03-09
    assert [c.rule.code for c in deadlines.open_clocks(MONDAY)] == ["written_notice"]
    rule("written_notice").warn_days = 2
    db.session.flush()
    assert deadlines.open_clocks(MONDAY) == []
    assert [c.case_id for c in deadlines.open_clocks(date(2026, 3, 7))] == [case.id]
    assert [c.case_id for c in deadlines.open_clocks(MONDAY, within_days=30)] == [case.id]  # a longer window asked
    [soon] = deadlines.open_deadlines(date(2026, 3, 7))
    assert deadlines.is_due_soon(soon, date(2026, 3, 7)) and not deadlines.is_due_soon(soon, MONDAY)


# Reports to the Commissioner of Administrative Services ------------------------------------------------


def test_a_demotion_is_reported_two_weeks_before_its_effective_date(world, frozen_clock):
    demotion = rule("demotion_reported")
    facts = deadlines.Facts(notice_issued_on=date(2026, 3, 2), effective_on=date(2026, 3, 20))
    trigger_on, on, status, done, label = deadlines.evaluate(demotion, facts, date(2026, 3, 5))
    assert (trigger_on, on, status, done) == (date(2026, 3, 20), date(2026, 3, 6), "due", None)
    assert label == (
        "Demotion reported to the Commissioner of Administrative Services: due 2026-03-06, 1 day left "
        "(14 days before the effective date of 2026-03-20)"
    )
    assert deadlines.evaluate(demotion, facts, date(2026, 3, 7))[2] == "overdue"
    reported = deadlines.Facts(effective_on=date(2026, 3, 20), personnel_office_notified_on=date(2026, 3, 9))
    met = deadlines.evaluate(demotion, reported, date(2026, 3, 10))
    assert met[2:4] == ("met", date(2026, 3, 9)) and "3 days late" in met[4]
    assert deadlines.applies(demotion, step("demotion")) and not deadlines.applies(demotion, step("dismissal"))


def test_a_dismissal_is_reported_with_a_copy_of_the_notice_within_a_business_day(world, frozen_clock):
    case = world.approved_with_discipline(step="dismissal")
    wednesday = at(frozen_clock, date(2026, 11, 25))
    world.labor_record(case, decision_on=wednesday, notice_issued_on=wednesday, imposed_step="dismissal")
    report = next(d for d in deadlines.case_deadlines(case, wednesday) if d.rule.code == "dismissal_reported")
    assert (report.on, report.status, report.rule.source_label) == (date(2026, 11, 27), "due", "RCSA 5-240-5a(e)")
    assert deadlines.is_due_soon(report, date(2026, 11, 26))
    done = deadlines.Facts(notice_issued_on=wednesday, personnel_office_notified_on=wednesday)
    assert deadlines.evaluate(report.rule, done, date(2026, 11, 30))[2] == "met"


# Immediate dismissal (RCSA 5-240-8a(b)) ----------------------------------------------------------------


def test_an_immediate_dismissal_may_take_effect_at_the_close_of_the_meeting(seeded_catalogue):
    dismissal, demotion = step("dismissal"), step("demotion")
    same_day = dict(notice_issued_on=MONDAY, effective_on=MONDAY)
    assert deadlines.not_before_problems(dismissal, deadlines.Facts(**same_day)) != []
    assert deadlines.not_before_problems(dismissal, deadlines.Facts(**same_day, immediate_dismissal=True)) == []
    assert deadlines.not_before_problems(demotion, deadlines.Facts(**same_day, immediate_dismissal=True)) != []
    earliest = rule("effective_after_notice")
    found = deadlines.evaluate(earliest, deadlines.Facts(**same_day, immediate_dismissal=True), MONDAY, dismissal)
    assert found[2] == "met" and "immediate dismissal (RCSA 5-240-8a(b))" in found[4]


def test_closing_a_case_takes_the_investigation_clock_off_the_lists(world, frozen_clock):
    case = world.in_review()
    overdue = deadlines.open_clocks(date(2026, 5, 30))  # received 2026-02-28: due 2026-05-29
    assert [(c.case_id, c.rule.code, c.status) for c in overdue] == [(case.id, "investigation_target", "overdue")]
    casework.close_without_discipline(case, world.actor(world.supervisor), "No violation found.")
    assert deadlines.open_clocks(date(2026, 5, 30)) == []


def test_the_supervisors_not_labor_relations_are_told_of_an_investigation_falling_due(world, frozen_clock):
    case = world.open()
    world.with_subject(case)
    db.session.execute(db.delete(Notification))
    assert notifications.deadline_notices(date(2026, 5, 14)) == 0  # due 2026-05-29: not within 14 days yet
    assert notifications.deadline_notices(date(2026, 5, 15)) == 1
    told = db.session.execute(
        select(User.id, Notification.kind, Notification.message, Notification.link).join(
            User, User.id == Notification.user_id
        )
    ).all()
    assert {user_id for user_id, *_ in told} == {world.supervisor.id}
    [(_, kind, message, link)] = told
    assert kind == "deadline_due" and link == f"/cases/{case.number}"
    assert message.startswith(f"{case.number}: Investigation completed (") and message.endswith("is due 2026-05-29.")

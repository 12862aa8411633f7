"""The dashboard's window figures are summed from days stored by the commit (issue 19, item 2): a supervisor's
clause, finding and early-warning figures equal the same figures read from the cases, whatever moved, and the
days follow the department's time zone. (After every test, tests/conftest.py checks the stored days agree with
the days counted from the cases then.)"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from project import clock
from project.extensions import db
from project.models import FindingCategory
from project.services import casework, dashboard


def window(user, today: date) -> dashboard.WindowCounts:
    since = today - timedelta(days=365)
    return dashboard.window_counts(user, since, since, 2, dashboard.Dashboard.FLAGGED_SHOWN)


def read_from_the_cases(user, today: date, monkeypatch: pytest.MonkeyPatch) -> dashboard.WindowCounts:
    """The window as read from the cases themselves: what happens when the stored days cannot be counted again."""
    with monkeypatch.context() as patched:
        patched.setattr("project.services.dashboard.received_days.ensure_stored", lambda: False)
        return window(user, today)


@pytest.fixture()
def spread(world):
    """Cases at two facilities and none, on several days, one employee named in three and two in one case."""
    repeat = world.employees.make(facility="Osborn CI", last_name="Repeat")
    made = [world.sustained("5.b.i.2", employee=repeat), world.sustained("5.b.i.4", employee=repeat)]
    made.append(world.approved_with_discipline(clause="5.b.i.4", employee=repeat))
    made[2].facility = None
    made.append(world.in_state("open"))
    world.with_subject(made[3], repeat)
    for days_ago, case in zip((3, 40, 200, 380), made, strict=True):
        case.received_at = clock.now() - timedelta(days=days_ago)
    db.session.commit()
    return made


def test_a_supervisors_window_summed_from_the_days_equals_the_window_read_from_the_cases(world, spread, monkeypatch):
    today = clock.local_today()
    stored = window(world.supervisor, today)
    assert stored == read_from_the_cases(world.supervisor, today, monkeypatch)
    assert sum(stored.by_clause.values()) == 3  # the fourth case was received 380 days ago
    assert [(e.last_name, e.cases) for e in stored.by_employee] == [("Repeat", 3)]
    assert (None, db.session.query(FindingCategory).filter_by(code="sustained").one().id) in stored.by_finding


def test_a_case_moved_to_another_day_leaves_the_day_it_was_counted_on(world, spread, monkeypatch):
    today = clock.local_today()
    moved = spread[0]
    assert window(world.supervisor, today).by_employee[0].cases == 3
    moved.received_at = clock.now() - timedelta(days=500)  # out of the window
    db.session.commit()
    assert [(e.last_name, e.cases) for e in window(world.supervisor, today).by_employee] == [("Repeat", 2)]
    assert window(world.supervisor, today) == read_from_the_cases(world.supervisor, today, monkeypatch)
    assert dashboard.stored_days_differences() == []


def test_a_subject_unlinked_is_counted_off_the_day_of_the_case(world, spread, monkeypatch):
    today = clock.local_today()
    case = spread[3]  # open: its subjects can still change
    repeat = next(s for s in case.subjects if s.employee.last_name == "Repeat")
    case.received_at = clock.now() - timedelta(days=5)
    db.session.commit()
    assert window(world.supervisor, today).by_employee[0].cases == 4
    casework.unlink_subject(case, repeat, "Named in error.", world.actor(world.investigator))
    assert window(world.supervisor, today).by_employee[0].cases == 3
    assert window(world.supervisor, today) == read_from_the_cases(world.supervisor, today, monkeypatch)


def test_the_days_follow_the_department_time_zone(world, monkeypatch):
    """06:00 UTC on 2 March is 1:00 that day in New York and 22:00 the day before in Los Angeles."""
    case = world.sustained("5.b.i.2")
    case.received_at = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    db.session.commit()
    since = date(2026, 3, 2)
    assert sum(dashboard.window_counts(world.supervisor, since, since, 2).by_clause.values()) == 1
    monkeypatch.setattr(clock, "_zone", ZoneInfo("America/Los_Angeles"))
    assert sum(dashboard.window_counts(world.supervisor, since, since, 2).by_clause.values()) == 0
    assert dashboard.stored_days_differences() == []


def test_a_commit_counting_a_day_again_holds_that_day_until_it_ends(world, database):
    """Two intakes on one day each count the day again: on PostgreSQL the second waits for the first to commit,
    so it counts the first one's case too (without, each stored a count missing the other's case)."""
    if database.url.startswith("sqlite"):
        pytest.skip("SQLite writes one transaction at a time")
    case = world.intake()
    day = clock.local_date(case.received_at).toordinal()
    other = create_engine(database.url)
    try:
        with other.connect() as connection:
            taken = connection.scalar(text("SELECT pg_try_advisory_xact_lock(2260, :day)"), {"day": day})
            free = connection.scalar(text("SELECT pg_try_advisory_xact_lock(2260, :day)"), {"day": day + 1})
    finally:
        other.dispose()
    assert (taken, free) == (False, True)


def test_the_check_names_a_stored_day_that_disagrees_and_refresh_mends_it(world, spread, runner):
    assert runner.invoke(args=["dashboard", "check"]).exit_code == 0
    db.session.execute(text("UPDATE received_day_counts SET cases = cases + 5 WHERE kind = 'employee'"))
    db.session.commit()
    checked = runner.invoke(args=["dashboard", "check"])
    assert checked.exit_code == 1 and "stored, not counted now" in checked.output and "'employee'" in checked.output
    refreshed = runner.invoke(args=["dashboard", "refresh"])
    assert refreshed.exit_code == 0 and "Stored" in refreshed.output
    assert runner.invoke(args=["dashboard", "check"]).exit_code == 0
    assert [(e.last_name, e.cases) for e in window(world.supervisor, clock.local_today()).by_employee] == [
        ("Repeat", 3)
    ]


def test_workers_finding_the_days_stale_at_once_count_them_once(world, spread):
    """Each worker's first dashboard after an upgrade finds no stored days; the second to get its turn finds
    them counted by the first (at 100,000 cases a count takes seconds) and does not count them again."""
    db.session.execute(text("DELETE FROM stored_figures"))  # as before the first read after migration 0044
    db.session.commit()
    assert dashboard.refresh_stored_days(when_stale=True) > 0  # the first
    assert dashboard.refresh_stored_days(when_stale=True) == 0  # the next, after its wait
    assert dashboard.refresh_stored_days() > 0  # asked by hand: counted again all the same

"""The running deadlines are stored (issue 19, item 2) and the figures count them: the dashboard's cases overdue
and due soon, the work queue's clocks and the case list's deadline filter give what the clocks give on each day,
a change of the rules is found whether it came through the app or not, and ``flask deadlines check`` names a
stored clock that no longer agrees. (After every test, tests/conftest.py checks the stored clocks agree.)

The case: a five-day suspension approved on 2026-03-02, its written notice due Monday 2026-03-09."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text, update
from sqlalchemy.exc import OperationalError

from project.extensions import db
from project.models import DeadlineDue, DeadlineRule
from project.services import casework, dashboard, deadlines
from project.services.casework import CaseFilters
from tests.factories import answer_just_cause


def at(frozen_clock, day: date) -> None:
    frozen_clock.current = frozen_clock.current.replace(year=day.year, month=day.month, day=day.day)


def figures(user, today: date) -> dict[str, int]:
    chart = dashboard.deadlines_chart(user, today)
    return {figure.label: figure.count for figure in chart.figures}


def queue(user) -> dict[str, int]:
    """The work queue's deadline counts, by their label in the singular ("deadline overdue")."""
    return {
        item.label.replace("deadlines", "deadline"): item.count
        for item in casework.work_queue(user)
        if "deadline" in item.label
    }


def listed(user, deadline: str) -> list[str]:
    return [case.number for case in casework.list_cases(user, CaseFilters(deadline=deadline)).cases]


def test_the_figures_follow_the_days_from_the_stored_clocks(world, frozen_clock):
    case = world.approved_with_discipline(step="suspension", days=5)
    labor = world.labor
    at(frozen_clock, date(2026, 3, 3))  # the notice's rule warns 7 days ahead: due soon already
    assert figures(labor, date(2026, 3, 3)) == {"Overdue": 0, "Due soon": 1}
    assert queue(labor)["deadline due soon"] >= 1 and queue(labor)["deadline overdue"] == 0
    assert listed(labor, "due") == [case.number] and listed(labor, "overdue") == []
    at(frozen_clock, date(2026, 3, 10))  # a day after it was due, nothing recorded: overdue
    assert figures(labor, date(2026, 3, 10))["Overdue"] == 1
    assert listed(labor, "overdue") == [case.number]
    running = [c for c in deadlines.open_clocks(date(2026, 3, 10)) if c.case_id == case.id]
    assert queue(labor)["deadline overdue"] == sum(1 for c in running if c.status == deadlines.OVERDUE)


def test_a_notice_recorded_takes_its_clock_off_the_figures_in_the_same_commit(world, frozen_clock):
    case = world.approved_with_discipline(step="suspension", days=5)
    at(frozen_clock, date(2026, 3, 10))
    assert listed(world.labor, "overdue") == [case.number]
    world.labor_record(case, notice_issued_on=date(2026, 3, 9), imposed_step="suspension", imposed_suspension_days=5)
    codes = set(db.session.scalars(select(DeadlineDue.rule_code).where(DeadlineDue.case_id == case.id)))
    assert "written_notice" not in codes and deadlines.stored_differences() == []


def test_a_rule_changed_through_the_app_or_outside_it_is_counted_anew(world, frozen_clock):
    world.approved_with_discipline(step="suspension", days=5)
    at(frozen_clock, date(2026, 3, 5))  # due in 4 days: within the rule's 7 days' warning
    assert figures(world.labor, date(2026, 3, 5))["Due soon"] == 1
    rule = db.session.scalars(select(DeadlineRule).where(DeadlineRule.code == "written_notice")).one()
    rule.warn_days = 2
    db.session.commit()
    assert figures(world.labor, date(2026, 3, 5))["Due soon"] == 0  # due soon only from 2026-03-07
    db.session.execute(update(DeadlineRule).where(DeadlineRule.code == "written_notice").values(warn_days=7))
    db.session.commit()  # as a rules file loaded by SQL would: no ORM event, the fingerprint tells
    assert figures(world.labor, date(2026, 3, 5))["Due soon"] == 1


def test_the_check_names_a_stored_clock_that_disagrees_and_refresh_mends_it(world, frozen_clock, runner):
    case = world.approved_with_discipline(step="suspension", days=5)
    assert runner.invoke(args=["deadlines", "check"]).exit_code == 0
    db.session.execute(text("UPDATE deadlines_due SET due_on = '2026-04-01' WHERE case_id = :id"), {"id": case.id})
    db.session.commit()
    checked = runner.invoke(args=["deadlines", "check"])
    assert checked.exit_code == 1 and "stored, not running" in checked.output and "2026, 4, 1" in checked.output
    refreshed = runner.invoke(args=["deadlines", "refresh"])
    assert refreshed.exit_code == 0 and "Stored" in refreshed.output
    assert runner.invoke(args=["deadlines", "check"]).exit_code == 0


def test_when_the_stored_clocks_cannot_be_worked_out_again_the_figures_count_the_clocks_themselves(
    world, frozen_clock, monkeypatch
):
    case = world.approved_with_discipline(step="suspension", days=5)
    at(frozen_clock, date(2026, 3, 10))
    rule = db.session.scalars(select(DeadlineRule).where(DeadlineRule.code == "written_notice")).one()
    rule.warn_days = 3  # the stored clocks must be worked out again at the next read
    db.session.commit()

    def refused() -> int:
        raise OperationalError("DELETE FROM deadlines_due", {}, Exception("database is locked"))

    monkeypatch.setattr("project.services.deadlines.stored.refresh_all", refused)
    assert figures(world.labor, date(2026, 3, 10))["Overdue"] == 1
    assert listed(world.labor, "overdue") == [case.number]
    assert queue(world.labor)["deadline overdue"] >= 1


def test_every_case_counted_from_the_index_alone_agrees_with_the_clocks_worked_out_now(world, frozen_clock):
    """A supervisor sees every case, so the figures count the stored clocks without reading a case: whether
    the lists count a clock is stored with it, and a case moving on (here, approved) stores it again."""
    world.approved_with_discipline(step="suspension", days=5)
    world.in_review()
    world.open()
    moving = world.proposed("suspension", 5, "5.b.i.2", None)
    casework.submit_for_review(moving, world.actor(world.investigator))

    def agree(day: date) -> None:
        at(frozen_clock, day)
        live = deadlines.open_clocks(day)
        expected = {
            "Overdue": len({c.case_id for c in live if c.status == deadlines.OVERDUE}),
            "Due soon": len({c.case_id for c in live if c.status == deadlines.DUE}),
        }
        assert figures(world.supervisor, day) == expected and sum(expected.values()) > 0

    def stored_for(case) -> set[tuple[bool, bool]]:  # (investigation, listed) of its stored clocks
        query = select(DeadlineDue.investigation, DeadlineDue.listed).where(DeadlineDue.case_id == case.id)
        return {tuple(row) for row in db.session.execute(query)}

    for day in (date(2026, 3, 3), date(2026, 3, 10), date(2026, 6, 1)):
        agree(day)
    assert stored_for(moving) <= {(True, True), (False, False)}  # in review: only its investigation is listed
    answer_just_cause(moving, world.actor(world.supervisor))
    casework.approve_outcome(moving, world.actor(world.supervisor), "Agreed.")
    assert (False, True) in stored_for(moving)  # approved: labor relations' clocks are listed now
    agree(date(2026, 6, 1))

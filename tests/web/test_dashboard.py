"""The dashboard on the home page of supervisors and labor relations: each figure is right, each opens
the list of exactly the cases it counts, and nobody sees figures about cases they may not see."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from flask import url_for
from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import Allegation, Case
from project.services import casework, dashboard
from project.web.templating import cases_link
from tests.factories import PASSWORD, element_answers, screen_speech

LISTED = re.compile(r'<td class="nowrap"><a href="/cases/(SM-\d{4}-\d{4})">')


@pytest.fixture()
def caseload(world):
    """Cases in most states; one employee is the subject of two of them."""
    repeat = world.employees.make(facility="Osborn CI", last_name="Repeat")
    built = {
        "intake": world.intake(),
        "open": world.in_state("open"),
        "review": world.in_review(),
        "approved": world.approved_with_discipline(employee=repeat),
        "closed": world.closed(),
    }
    discipline = world.approved_with_discipline(clause="5.b.i.4", employee=repeat)
    world.labor_record(
        discipline,
        imposed_step="written_reprimand",
        effective_on=clock.local_today(),
        decision_on=clock.local_today(),  # due process: not before the approval (today)
        departure_reason="A prior oral reprimand on file for the same conduct.",
    )
    built["discipline"] = discipline
    return built


def listed(client, filters: dict) -> set[str]:
    page = client.get("/cases/?" + urlencode(filters))
    assert page.status_code == 200
    return set(LISTED.findall(page.get_data(as_text=True)))


def cases_with(**where) -> set[str]:
    rows = db.session.scalars(select(Allegation)).all()
    return {
        db.session.get(Case, a.case_id).number
        for a in rows
        if all(getattr(a, key) is not None and value(getattr(a, key)) for key, value in where.items())
    }


def test_every_figure_opens_the_list_of_the_cases_it_counts(client, world, caseload, sign_in):
    sign_in(client, world.supervisor.email, PASSWORD)
    board = dashboard.build(world.supervisor, clock.local_today())
    checked = 0
    for chart in board.charts:
        for figure in chart.figures:
            numbers = listed(client, figure.filters)
            if chart.key == "clause":
                clause = figure.filters["clause"]
                assert numbers == cases_with(clause=lambda c, n=clause: c.number == n)
            elif chart.key == "findings":
                code, facility = figure.filters["finding"], figure.filters["facility"]
                expected = cases_with(finding=lambda f, c=code: f.code == c)
                assert numbers == {
                    n
                    for n in expected
                    if db.session.scalars(select(Case.facility).where(Case.number == n)).one() == facility
                }
            assert len(numbers) == figure.count, (chart.key, figure)  # the unit counted is the case listed
            checked += 1
    for flagged in board.flagged:
        assert len(listed(client, flagged.filters)) == flagged.cases
        checked += 1
    assert checked >= 15


def test_the_figures_are_right(world, caseload):
    board = {chart.key: chart for chart in dashboard.build(world.supervisor, clock.local_today()).charts}
    by_state = {figure.label: figure.count for figure in board["state"].figures}
    assert by_state == {"Intake": 1, "Open": 1, "In review": 1, "Approved": 1, "Discipline": 1}
    assert board["age"].figures[0].count == 5  # all five open cases were received two days ago
    steps = board["steps"].figures
    assert [(f.label, f.count) for f in steps] == [("Written reprimand", 1)]
    clauses = {f.filters["clause"]: f.count for f in board["clause"].figures}
    assert clauses == {"5.b.i.2": 3, "5.b.i.4": 1}  # in review, approved, closed; discipline
    flagged = dashboard.build(world.supervisor, clock.local_today()).flagged
    assert [(f.name.split(",")[0], f.cases) for f in flagged] == [("Repeat", 2)]


def test_clause_and_finding_figures_count_the_cases_received_in_the_last_twelve_months(
    client, world, caseload, sign_in
):
    older = caseload["closed"]
    older.received_at = clock.now() - timedelta(days=400)
    db.session.commit()
    board = {chart.key: chart for chart in dashboard.build(world.supervisor, clock.local_today()).charts}
    assert {f.filters["clause"]: f.count for f in board["clause"].figures} == {"5.b.i.2": 2, "5.b.i.4": 1}
    assert "received since" in board["clause"].title and "received since" in board["findings"].title
    sign_in(client, world.supervisor.email, PASSWORD)
    for figure in board["clause"].figures + board["findings"].figures:
        assert older.number not in listed(client, figure.filters)
    assert older.number in listed(client, {"mine": "0", "clause": "5.b.i.2"})  # still on the list, unfiltered


def test_early_warning_window_and_threshold_are_settings(world, caseload):
    assert dashboard.early_warning(world.supervisor, clock.local_today(), 3, 12) == []
    later = clock.local_today() + timedelta(days=400)
    assert dashboard.early_warning(world.supervisor, later, 2, 12) == []  # both cases fell out of the window


def test_labor_relations_counts_only_the_cases_in_its_hands(world, caseload):
    board = {chart.key: chart for chart in dashboard.build(world.labor, clock.local_today()).charts}
    assert {f.label: f.count for f in board["state"].figures if f.count} == {"Approved": 1, "Discipline": 1}
    assert {f.filters["clause"]: f.count for f in board["clause"].figures} == {"5.b.i.2": 2, "5.b.i.4": 1}  # + closed
    assert [(f.label, f.count) for f in board["steps"].figures] == [("Written reprimand", 1)]


def test_a_supervisor_who_is_a_subject_does_not_count_their_own_case(world, users):
    employee = world.employees.make()
    supervisor = users.make("supervisor", email="sub@example.test", employee_number=employee.employee_number)
    world.approved_with_discipline(employee=employee)
    board = {chart.key: chart for chart in dashboard.build(supervisor, clock.local_today()).charts}
    assert board["state"].total == 0 and board["clause"].total == 0


@pytest.mark.parametrize(
    "email,shown",
    [
        ("sup@example.test", True),
        ("lr@example.test", True),
        ("inv1@example.test", False),
        ("admin@example.test", False),
    ],
)
def test_the_home_page_shows_charts_and_tables_to_supervisors_and_labor_relations(
    client, world, caseload, email, shown, sign_in
):
    sign_in(client, email, PASSWORD)
    page = client.get("/").get_data(as_text=True)
    assert ("Where things stand" in page) is shown
    if shown:
        assert page.count('<svg class="chart"') >= 3 and "Early warning" in page
        assert "Open cases by state" in page and "List the cases" in page


def test_an_empty_dashboard_says_what_it_is_waiting_for(client, world, sign_in):
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get("/").get_data(as_text=True)
    assert "No open cases." in page
    assert "No allegation has been framed in a case received in the last 12 months." in page
    assert f"No discipline has taken effect in {clock.local_today().year}." in page
    assert '<svg class="chart"' not in page


def test_early_warning_lists_the_employees_with_most_cases_and_counts_the_rest(client, world, monkeypatch, sign_in):
    monkeypatch.setattr(dashboard.Dashboard, "FLAGGED_SHOWN", 1)
    twice, thrice = world.employees.make(last_name="Twice"), world.employees.make(last_name="Thrice")
    for employee, count in ((twice, 2), (thrice, 3)):
        for _ in range(count):
            world.with_subject(world.open(), employee)
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get("/").get_data(as_text=True)
    warning = page[page.index('id="early-warning"') :]
    warning = warning[: warning.index("</section>")]
    assert "Thrice" in warning and "Twice" not in warning
    assert "The 1 with the most cases are listed; 1 more employee also has 2 or more." in warning


def test_each_figure_links_to_the_address_flask_builds_for_its_filters(app, client, world, caseload, sign_in):
    """The links are built without matching the route each time: they must still be Flask's own, to the
    character, whatever a facility or a name holds."""
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get("/").get_data(as_text=True)
    board = dashboard.build(world.supervisor, clock.local_today())
    odd = {"mine": "0", "facility": "Osborn CI / Unit 5 & 6", "employee": "Ávila?#%", "from": "2026-01-01", "x": None}
    with app.test_request_context():
        drawn = [f for chart in board.charts if chart.total for f in chart.figures]  # an empty chart says so
        expected = {url_for("cases.index", **f.filters) for f in drawn}
        expected |= {url_for("cases.index", **f.filters) for f in board.flagged}
        assert cases_link(odd) == url_for("cases.index", **odd)
        assert cases_link({}) == url_for("cases.index")
    linked = {html.unescape(href) for href in re.findall(r'href="(/cases/\?[^"]*)"', page)}
    assert len(expected) >= 10 and expected <= linked


def test_early_warning_names_the_most_cases_first_then_by_name_and_counts_every_employee(world, monkeypatch):
    """The engine picks the employees the page names (a thousand were read to name 25): at the cut, equal
    counts are broken by name as Python orders it (code points: capitals first, accented letters last)."""
    monkeypatch.setattr(dashboard.Dashboard, "FLAGGED_SHOWN", 2)
    for last_name, count in (("Ávila", 2), ("de Vries", 2), ("Dawson", 2), ("Zed", 3)):
        employee = world.employees.make(last_name=last_name)
        for _ in range(count):
            world.with_subject(world.open(), employee)
    board = dashboard.build(world.supervisor, clock.local_today())
    assert [(f.name.split(",")[0], f.cases) for f in board.flagged] == [("Zed", 3), ("Dawson", 2)]
    assert board.flagged_count == 4
    everyone = dashboard.early_warning(world.supervisor, clock.local_today(), 2, 12)
    assert [f.name.split(",")[0] for f in everyone] == ["Zed", "Dawson", "de Vries", "Ávila"]


def test_a_case_with_two_allegations_under_one_clause_counts_once(client, world, sign_in):
    """Osborn's figure said 4 and opened 3 cases: it counted allegations, the list shows cases."""
    case = world.sustained("5.b.i.2")
    second = world.with_subject(case)
    cited = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
    investigator = world.actor(world.investigator)
    allegation = casework.frame_allegation(
        case, second, casework.AllegationInput(f"clause:{cited.id}", "", []), investigator
    )
    finding = casework.FindingInput(
        "sustained", "Shared the keypad post.", [], element_answers(allegation, "sustained")
    )
    screen_speech(case, allegation, investigator)
    casework.record_finding(case, allegation, finding, investigator, allegation.row_version)
    board = {chart.key: chart for chart in dashboard.build(world.supervisor, clock.local_today()).charts}
    assert [(f.filters["clause"], f.count) for f in board["clause"].figures] == [("5.b.i.2", 1)]
    assert [(f.series, f.count) for f in board["findings"].figures] == [("Sustained", 1)]
    assert board["clause"].title.startswith("Cases by AD 2.26 clause")
    sign_in(client, world.supervisor.email, PASSWORD)
    for figure in board["clause"].figures + board["findings"].figures:
        assert listed(client, figure.filters) == {case.number}


def test_an_allegation_citing_a_related_directive_whole_leaves_the_clause_figures_alone(client, world, sign_in):
    """The clause chart counts AD 2.26 clauses; an allegation under another directive has no clause, and the
    dashboard failed on it (a figure keyed by no clause)."""
    case = world.in_state("open")
    related = casework.citable_directives()[0]
    casework.frame_allegation(
        case,
        case.subjects[0],
        casework.AllegationInput(f"directive:{related.id}", "", []),
        world.actor(world.investigator),
    )
    for user in (world.supervisor, world.labor):
        board = {chart.key: chart for chart in dashboard.build(user, clock.local_today()).charts}
        assert board["clause"].figures == []
    sign_in(client, world.supervisor.email, PASSWORD)
    assert client.get("/").status_code == 200

"""The case list through the page (issue 16, item 2): search by a subject's name or number, employee and
investigator filters on the form, a bounded count, each case's age and next deadline."""

from __future__ import annotations

import re

import pytest

from project import clock
from project.services import casework, roster
from tests.factories import PASSWORD


@pytest.fixture()
def kowalski_case(world, client, sign_in):
    roster.import_roster(
        "employee_number,last_name,first_name,title,facility\n100487,Kowalski,Terrence,Correction Officer,Osborn CI\n"
    )
    case = world.open(title="Tower photo")
    casework.link_subject(case, casework.find_employee("100487"), world.actor(world.investigator))
    world.open(title="Someone else's post")
    sign_in(client, world.supervisor.email, PASSWORD)
    return case


def listed(client, **args) -> tuple[str, list[str]]:
    page = client.get("/cases/", query_string={"mine": "0", **args}).get_data(as_text=True)
    return page, re.findall(r'<a href="/cases/(SM-\d{4}-\d{4})">', page)


@pytest.mark.parametrize("words", ["Kowalski", "Terrence", "100487", "kowal"])
def test_the_search_box_finds_a_case_by_its_subject(client, kowalski_case, words):
    assert listed(client, q=words)[1] == [kowalski_case.number]


def test_the_form_has_employee_and_investigator_filters(client, world, kowalski_case):
    page, numbers = listed(client)
    assert len(numbers) == 2
    assert re.search(r'<label for="employee">[^<]+</label>\s*<input id="employee" name="employee"', page)
    assert '<select id="investigator" name="investigator">' in page
    page, numbers = listed(client, employee="Kowalski")
    assert numbers == [kowalski_case.number] and 'value="Kowalski"' in page
    assert listed(client, employee="100487")[1] == [kowalski_case.number]
    _, numbers = listed(client, investigator=str(world.investigator.id))
    assert len(numbers) == 2
    assert listed(client, investigator=str(world.investigator2.id))[1] == []


def test_the_list_counts_its_cases_up_to_a_bound(client, kowalski_case, monkeypatch):
    page, _ = listed(client)
    assert "2 cases" in page
    page, _ = listed(client, employee="Kowalski")
    assert "1 case" in page and "1 cases" not in page
    monkeypatch.setattr("project.services.casework.reading.list_summary.COUNT_BOUND", 1)
    assert "more than 1 case" in listed(client)[0]


def test_each_case_shows_its_age_and_next_deadline(client, kowalski_case):
    page, _ = listed(client, employee="Kowalski")
    row = re.search(rf"<tr>\s*<td[^>]*><a href=\"/cases/{kowalski_case.number}\">.*?</tr>", page, re.S).group(0)
    row = re.sub(r"<[^>]+>", "", row)
    received = kowalski_case.received_at.astimezone(clock.zone()).date()
    age = (clock.local_today() - received).days
    assert f"{age} days" in row
    due = received.toordinal() + 90
    assert f"Investigation completed: {received.fromordinal(due).isoformat()}" in row
    assert '<th scope="col">Age</th>' in page and '<th scope="col">Next deadline</th>' in page

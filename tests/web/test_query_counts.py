"""No hidden per-row costs: the main pages issue the same number of SQL statements whether they show a few
rows or many (N+1 queries would make them grow)."""

from __future__ import annotations

import pytest

from project.services import casework
from tests.factories import PASSWORD
from tests.statements import counted

CASE_PAGE_STATEMENTS = 35  # an open case's page, with its subject, note and exhibit


def statements_for(client, path: str) -> int:
    client.get(path)  # warm up: the session check and caches of the first request are not the page's cost
    with counted() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def some_cases(world, how_many: int) -> None:
    for _ in range(how_many):
        world.labor_record(world.approved_with_discipline(), meeting_on=None)
        world.in_review()


@pytest.mark.parametrize(
    "who,path",
    [
        ("supervisor", "/cases/?mine=0"),
        ("supervisor", "/cases/?mine=0&q=keypad"),
        ("supervisor", "/"),
        ("labor", "/"),
        ("labor", "/labor"),
        ("supervisor", "/cases/export.csv?mine=0"),
        # labor relations may not see the reporter: every title and snippet is masked, the identifiers of
        # the whole page read at once
        ("labor", "/cases/?mine=0"),
        ("labor", "/cases/?mine=0&q=keypad"),
        ("labor", "/cases/export.csv?mine=0"),
        ("labor", "/labor/packets"),
    ],
)
def test_list_pages_cost_the_same_for_2_or_8_rows(client, world, who, path, sign_in):
    some_cases(world, 1)
    sign_in(client, getattr(world, who).email, PASSWORD)
    few = statements_for(client, path)
    some_cases(world, 3)
    assert statements_for(client, path) == few, f"{path} issues more statements as it shows more rows"


def test_the_case_page_costs_the_same_for_1_or_6_notes_exhibits_and_subjects(client, world, sign_in):
    case = world.in_state("open", exhibit=True)
    actor = world.actor(world.investigator)
    casework.add_note(case, "action", "First follow-up.", actor)
    sign_in(client, world.investigator.email, PASSWORD)
    few = statements_for(client, f"/cases/{case.number}")
    # 40 before issue 19: each person shown loaded their sign-in identity, the citation its directive and post
    # one by one, and the case's moves were read twice
    assert few <= CASE_PAGE_STATEMENTS, f"the case page issues {few} statements"
    for i in range(5):
        casework.add_note(case, "action", f"Follow-up number {i}.", actor)
        world.with_subject(case)
        world.add_screenshot(case, text=f"another post {i}")
    assert statements_for(client, f"/cases/{case.number}") == few


SEARCH_PAGE_SEARCHES = 2  # statements reading the search index for a page of the list searched by a word


def test_a_searched_list_reads_the_search_index_twice(client, world, sign_in):
    """Whether the words are whole and whether more documents hold them than are ranked (one count), then
    the ranked page, whose ranks also count the cases for the page's "N cases"."""
    some_cases(world, 2)
    sign_in(client, world.supervisor.email, PASSWORD)
    client.get("/cases/?mine=0&q=keypad")
    with counted() as statements:
        page = client.get("/cases/?mine=0&q=keypad")
    assert page.status_code == 200 and "keypad" in page.get_data(as_text=True)
    searches = [s for s in statements if "search_fts MATCH" in s or "@@ to_tsquery" in s]
    # five before: the words were probed twice, the newest counted apart, and the list's count searched again
    assert len(searches) == SEARCH_PAGE_SEARCHES, searches


def test_the_home_page_checks_the_deadline_settings_once(client, world, sign_in):
    """The chart and the work queue both count the stored deadlines; whether the rules, holidays and steps
    changed since they were stored is read once a request (it was read twice: three statements each)."""
    some_cases(world, 1)
    sign_in(client, world.supervisor.email, PASSWORD)
    client.get("/")
    with counted() as statements:
        page = client.get("/")
    assert page.status_code == 200 and "Open cases by state" in page.get_data(as_text=True)
    rules = [s for s in statements if "FROM deadline_rules" in s and "ORDER BY" in s]
    assert len(rules) == 1, rules

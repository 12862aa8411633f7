"""Issue 19, item 1: a word in many documents is ranked among the newest matching documents, not all of them,
so a search costs the same at 100,000 cases as at 1,000; the list says so, and its filters narrow the search
before the newest are taken, so older cases are found by narrowing (each test runs on both engines)."""

from __future__ import annotations

import pytest

from project.services import casework
from project.services.casework import CaseFilters
from tests.factories import PASSWORD

NEWEST = 2


@pytest.fixture()
def few_searched(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("project.services.search.matching.NEWEST_MATCHES", NEWEST)
    return NEWEST


def listed(world, **filters):  # type: ignore[no-untyped-def]
    return casework.list_cases(world.supervisor, CaseFilters(mine=False, text="keypad", **filters))


def test_more_matches_than_searched_ranks_the_newest_and_says_so(world, few_searched):
    best_but_old = world.intake(title="Old report", text="Keypad code, keypad photo, keypad location")
    newer = [world.open(text=f"A keypad seen in passing, report {n}") for n in range(3)]
    ranked = listed(world, sort="relevance")
    assert [c.number for c in ranked.cases] == [newer[2].number, newer[1].number]
    assert ranked.searched_newest == few_searched  # the page says "best matches among the 2 newest"
    newest_first = listed(world)
    assert [c.number for c in newest_first.cases] == [newer[2].number, newer[1].number]
    assert newest_first.searched_newest == few_searched
    narrowed = listed(world, sort="relevance", state="intake")  # narrowing reaches the older case
    assert [c.number for c in narrowed.cases] == [best_but_old.number]
    assert narrowed.searched_newest is None  # every match of the narrowed list was ranked


def test_fewer_matches_than_searched_are_all_ranked_and_nothing_is_said(world, few_searched):
    once = world.open(text="A long post about the weekend, the weather, and a keypad seen in passing somewhere.")
    thrice = world.open(text="Keypad code, keypad photo, keypad location")
    ranked = listed(world, sort="relevance")
    assert [c.number for c in ranked.cases] == [thrice.number, once.number]
    assert ranked.searched_newest is None
    assert str(casework.count_listed(world.supervisor, CaseFilters(mine=False, text="keypad"))) == "2 cases"


def test_the_list_page_tells_how_far_a_common_word_was_ranked(client, world, few_searched, sign_in):
    for n in range(3):
        world.open(text=f"A keypad seen in passing, report {n}")
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get("/cases/?mine=0&q=keypad&sort=relevance").get_data(as_text=True)
    assert "Best matches among the 2 newest matching records" in page
    assert "narrow by date, state or facility to search older ones" in page
    alone = client.get("/cases/?mine=0&q=keypad&sort=relevance&state=intake").get_data(as_text=True)
    assert "Best matches among" not in alone


def test_a_page_cut_from_the_ranks_counts_what_the_list_count_counts(world, few_searched):
    world.intake(title="Old report", text="Keypad code, keypad photo, keypad location")
    for n in range(3):
        world.open(text=f"A keypad seen in passing, report {n}")
    for narrowing, expected in (({}, "2 cases"), ({"state": "intake"}, "1 case"), ({"state": "closed"}, "0 cases")):
        filters = CaseFilters(mine=False, text="keypad", sort="relevance", **narrowing)
        page = casework.list_cases(world.supervisor, filters)
        by_the_page = casework.count_listed(world.supervisor, filters, page=page)
        assert str(by_the_page) == expected
        assert by_the_page == casework.count_listed(world.supervisor, filters)  # counted apart, as before
    page = listed(world, sort="relevance")
    assert page.matched == 2  # the ranks counted the cases: no statement of its own
    assert str(casework.count_listed(world.supervisor, CaseFilters(mine=False, text="keypad"), 1, page)) == (
        "more than 1 case"
    )

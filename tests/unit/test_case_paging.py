"""Keyset paging of the case list: walking the pages gives every case once, in order, for every sort,
even when many cases share a timestamp; and no page view counts or skips over the whole list."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from project.extensions import db
from project.services import casework
from project.services.casework import CaseFilters
from tests.factories import PASSWORD


@pytest.fixture()
def eight_cases(world, frozen_clock, monkeypatch):
    """Eight cases, created in two bursts at the same instant (ties on every time column)."""
    made = []
    for _ in range(2):
        made += [world.open(text=f"keypad photo {'keypad ' * i}") for i in range(4)]
        frozen_clock.advance(minutes=5)
    monkeypatch.setattr("project.services.casework.reading.case_list.PAGE_SIZE", 3)
    return made


def walk(user, **filters) -> tuple[list[str], list[int]]:
    numbers, pages, after, page = [], [], "", 1
    while True:
        result = casework.list_cases(user, CaseFilters(after=after, page=page, **filters))
        numbers += [case.number for case in result.cases]
        pages.append(result.page)
        if not result.has_next:
            return numbers, pages
        after, page = result.next_after, page + 1


@pytest.mark.parametrize("sort", ["newest", "oldest", "number", "updated", "relevance"])
def test_the_pages_hold_every_case_once_in_the_sort_order(world, eight_cases, monkeypatch, sort):
    filters = {"sort": sort, "text": "keypad"} if sort == "relevance" else {"sort": sort}
    numbers, pages = walk(world.supervisor, **filters)
    monkeypatch.setattr("project.services.casework.reading.case_list.PAGE_SIZE", 100)
    whole = [case.number for case in casework.list_cases(world.supervisor, CaseFilters(**filters)).cases]
    assert len(whole) == 8 and numbers == whole and pages == [1, 2, 3]


def test_a_damaged_or_foreign_token_starts_from_the_first_page(world, eight_cases):
    first = casework.list_cases(world.supervisor, CaseFilters())
    for token in ["not-a-token", "W10", "WzEsMiwzXQ", "WyJ4IiwgMV0", "A" * 600]:
        again = casework.list_cases(world.supervisor, CaseFilters(after=token, page=7))
        assert [c.number for c in again.cases] == [c.number for c in first.cases] and again.page == 1


def test_a_page_view_neither_skips_nor_counts_rows(world, eight_cases):
    statements: list[tuple[str, object]] = []

    def remember(_conn, _cursor, statement, parameters, *_args):
        statements.append((statement.upper(), parameters))

    first = casework.list_cases(world.supervisor, CaseFilters())
    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        casework.list_cases(world.supervisor, CaseFilters(after=first.next_after, page=2))
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert statements and not any("COUNT(" in s for s, _ in statements)
    # SQLite's dialect always writes "LIMIT ? OFFSET ?"; the offset it sends must be 0
    assert all("OFFSET" not in s or (s.endswith("OFFSET ?") and list(p)[-1] == 0) for s, p in statements)


def test_the_next_page_link_walks_the_list_in_the_browser(client, world, eight_cases, sign_in):
    sign_in(client, world.supervisor.email, PASSWORD)
    seen, url = [], "/cases/?mine=0"
    while url:
        page = client.get(url).get_data(as_text=True)
        seen += re.findall(r'<td class="nowrap"><a href="/cases/(SM-\d{4}-\d{4})">', page)
        link = re.search(r'<a href="([^"]+)" rel="next">Next page</a>', page)
        url = link.group(1).replace("&amp;", "&") if link else ""
    assert sorted(seen) == sorted(case.number for case in eight_cases) and len(seen) == len(set(seen))

"""Issue 16 items 2, 3 and 9 in the browser, at 390 px and 1366 px, with a screenshot of each: the case list
filtered by a subject's name shows its count, each case's age and next deadline; an intake case says who
assigns it and what happens next; and every dashboard figure opens a list of exactly that many cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.environment import no_horizontal_scroll
from tests.browser.people import expect

pytestmark = pytest.mark.browser

WIDTHS = (1366, 390)
ROWS = "main table.data tbody tr"


def shot(page, output_dir: Path, name: str) -> None:
    page.screenshot(path=str(output_dir / f"daily-work-{name}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_list_finds_cases_by_a_subjects_name_with_count_age_and_deadline(width, page_of, output_dir):
    page = page_of("supervisor", width)
    page.goto("/cases/?mine=0")
    page.get_by_label("Subject employee (name or number)").fill("Brooks")
    page.get_by_role("button", name=re.compile("^(Filter|Show|Apply|Search)")).first.click()
    rows = page.locator(ROWS)
    expect(rows.first).to_be_visible()
    listed = rows.count()
    assert listed == 2, "Terrence Brooks is the subject of two demo cases"
    expect(page.locator(".list-count")).to_contain_text(f"{listed} cases match these filters")
    for row in rows.all():
        expect(row.locator('[data-label="Subjects"]')).to_contain_text("Brooks")
        expect(row.locator('[data-label="Age"]')).to_have_text(re.compile(r"^\d+ days?$"))
        expect(row.locator('[data-label="Next deadline"]')).not_to_be_empty()
    no_horizontal_scroll(page)
    shot(page, output_dir, f"list-by-subject-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_an_intake_case_says_who_assigns_it_and_what_happens_next(width, page_of, output_dir):
    page = page_of("supervisor", width)
    page.goto("/cases/?mine=0&state=intake")
    page.locator(f"{ROWS} a[href^='/cases/SM-']").first.click()
    expect(page.locator(".case-header .next-step")).to_contain_text("Next: a supervisor assigns an investigator")
    no_horizontal_scroll(page)
    shot(page, output_dir, f"intake-next-step-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_dashboard_figure_opens_exactly_the_cases_it_counts(width, page_of, output_dir):
    page = page_of("supervisor", width)
    page.goto("/")
    links = page.locator("table.figures td.number a")
    figures = [(link.get_attribute("href"), int(link.inner_text())) for link in links.all()]
    assert len(figures) >= 10, "the demo's dashboard shows its figures"
    no_horizontal_scroll(page)
    shot(page, output_dir, f"dashboard-{width}")
    for href, count in figures:
        page.goto(href)
        listed = page.locator(ROWS).count() if count else 0
        assert listed == count, f"{href} lists {listed} cases, the figure says {count}"
        expect(page.locator(".list-count")).to_contain_text(f"{count} ")

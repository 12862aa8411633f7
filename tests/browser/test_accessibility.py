"""axe-core on the pages people work in: no serious or critical violation on any of them.

Each page is reached the way its user reaches it (links from lists and case pages, over the demo cases of
``flask seed --demo``), screenshotted under test-output/browser/accessibility/, and its violations counted
by impact into test-output/browser/axe-results.json (and the terminal summary). "/" is whatever home page
the app has at the time: the supervisor's and labor relations' views of it are both checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.axe import check_page
from tests.browser.environment import open_context
from tests.browser.people import Cast, expect, sign_in

pytestmark = pytest.mark.browser


def go(path: str) -> Callable:
    def reach(page) -> None:
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path} answered {response and response.status}"

    return reach


def case_in_state(state: str, *then: str) -> Callable:
    """The first case in ``state`` on the case list, then the links named ``then`` from there."""

    def reach(page) -> None:
        go(f"/cases/?state={state}")(page)
        page.locator("main a[href^='/cases/SM-']").first.click()
        expect(page).to_have_url(re.compile(r"/cases/SM-\d{4}-\d{4}$"))
        for link in then:
            page.locator("main").get_by_role("link", name=link, exact=True).first.click()

    return reach


def with_suggestions(page) -> None:
    """The redaction page of an open case's first exhibit, after "Suggest rectangles"."""
    case_in_state("open", "Exhibit 1", "Redact")(page)
    page.get_by_role("button", name="Suggest rectangles").click()
    expect(page.locator("#redact-proposals")).to_be_visible()


def review_confirmation(page) -> None:
    """The confirmation step of a review decision (issue 16): shown after the server's checks; not confirmed."""
    case_in_state("in_review", "Review")(page)
    page.get_by_label("Return to the investigator (reasons required)").check()
    page.get_by_label("Reasons", exact=True).fill("Add the attribution evidence.")
    page.get_by_role("button", name="Record the decision").click()


@dataclass(frozen=True)
class PageSpec:
    name: str
    who: str | None  # a key of the cast, or None for a visitor who is not signed in
    reach: Callable
    heading: re.Pattern[str]


PAGES = [
    PageSpec("sign-in page", None, go("/auth/sign-in"), re.compile("^Sign in$")),
    PageSpec("home (supervisor)", "supervisor", go("/"), re.compile(r"\S")),
    PageSpec("home (labor relations)", "labor", go("/"), re.compile(r"\S")),
    PageSpec("case list (supervisor)", "supervisor", go("/cases/"), re.compile(r"\S")),
    PageSpec("case list (investigator)", "investigator", go("/cases/"), re.compile(r"\S")),
    PageSpec(
        "case page (investigator, open case)", "investigator", case_in_state("open"), re.compile(r"^SM-\d{4}-\d{4}: ")
    ),
    PageSpec(
        "exhibit page (investigator)",
        "investigator",
        case_in_state("open", "Exhibit 1"),
        re.compile("^Exhibit 1 of SM-"),
    ),
    PageSpec(
        "review page (supervisor, in_review case)",
        "supervisor",
        case_in_state("in_review", "Review"),
        re.compile(r"^Review SM-\d{4}-\d{4} \(version \d+\)$"),
    ),
    PageSpec(
        "review confirmation step (supervisor)",
        "supervisor",
        review_confirmation,
        re.compile(r"^Confirm: record this decision on SM-\d{4}-\d{4} \(version \d+\)$"),
    ),
    PageSpec("log a complaint (investigator)", "investigator", go("/cases/new"), re.compile("^Log a complaint$")),
    PageSpec(
        "redaction page (investigator)",
        "investigator",
        case_in_state("open", "Exhibit 1", "Redact"),
        re.compile("^Redact Exhibit 1 of SM-"),
    ),
    PageSpec(
        "redaction page with suggestions (investigator)",
        "investigator",
        with_suggestions,
        re.compile("^Redact Exhibit 1 of SM-"),
    ),
    PageSpec("labor relations deadlines", "labor", go("/labor"), re.compile(r"\S")),
    PageSpec("users (admin)", "admin", go("/admin/users"), re.compile("^Users$")),
    PageSpec("roster and imports (admin)", "admin", go("/admin/roster"), re.compile("^Employee roster$")),
    PageSpec(
        "administrative leave (supervisor, open case)",
        "supervisor",
        case_in_state("open", "Administrative leave"),
        re.compile("^Administrative leave: "),
    ),
    PageSpec("legal holds (supervisor)", "supervisor", go("/retention/holds"), re.compile("^Legal holds$")),
    PageSpec("sealed history (admin)", "admin", go("/retention/sealed-history"), re.compile("^Sealed history$")),
]


@pytest.fixture(scope="session")
def page_of(browser, live_server, cast: Cast) -> Iterator[Callable]:
    """One signed-in page per person for all the checks (axe is injected, so the CSP is bypassed here)."""
    pages: dict[str | None, object] = {}
    contexts = []

    def page_for(who: str | None):
        if who not in pages:
            context = open_context(browser, live_server.url, bypass_csp=True)
            contexts.append(context)
            pages[who] = context.new_page()
            if who is not None:
                sign_in(pages[who], live_server.url, cast[who])
        return pages[who]

    yield page_for
    for context in contexts:
        context.close()


@pytest.mark.parametrize("spec", PAGES, ids=[spec.name for spec in PAGES])
def test_page_has_no_serious_or_critical_axe_violation(spec: PageSpec, page_of, axe_report, output_dir: Path):
    page = page_of(spec.who)
    spec.reach(page)
    expect(page.locator("main h1").first).to_have_text(spec.heading)
    folder = output_dir / "accessibility"
    folder.mkdir(exist_ok=True)
    page.screenshot(
        path=str(folder / f"{re.sub(r'[^a-z0-9]+', '-', spec.name.lower()).strip('-')}.png"), full_page=True
    )
    result = check_page(page, spec.name)
    axe_report.add(result)
    print(f"axe {spec.name}: {result.counts()}")
    for violation in result.violations:
        print("  " + violation.describe())
    assert not result.blocking(), f"{spec.name} ({page.url}):\n" + "\n".join(v.describe() for v in result.blocking())


def test_axe_helper_reports_known_violations(new_context):
    """The helper really runs axe: a page with an unlabelled field and an image without text fails it."""
    page = new_context().new_page()
    page.set_content(
        '<html lang="en"><title>t</title><main><h1>Form</h1><img src="data:,">'
        '<input type="text" name="q"></main></html>'
    )
    found = {violation.rule: violation.impact for violation in check_page(page, "known-bad page").violations}
    assert found.get("image-alt") == "critical" and found.get("label") == "critical", found

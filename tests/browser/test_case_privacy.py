"""Journey (f): a second investigator cannot open the first investigator's case: the address of the case, of
its exhibit and of the exhibit file each show the "Not found" page, and none of the case's details."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.casework import open_case_titled
from tests.browser.people import expect, sign_in

pytestmark = pytest.mark.browser

DEMO_CASE = "Facility keypad shown in a Facebook post"  # open, assigned to investigator@demo.test


def test_f_second_investigator_cannot_open_the_first_ones_case(new_context, live_server, cast, shots):
    first = new_context().new_page()
    sign_in(first, live_server.url, cast["investigator"])
    number = open_case_titled(first, DEMO_CASE)
    case_path = urlsplit(first.url).path
    details = [
        DEMO_CASE,
        first.locator("#posts blockquote").inner_text().strip(),
        first.locator("#subjects h3").first.inner_text().split(" · ")[0],
    ]
    shots.take(first, "assigned-investigator-sees-the-case")
    first.locator("#exhibits").get_by_role("link", name="Exhibit 1").click()
    exhibit_path = urlsplit(first.url).path
    original_path = first.get_by_role("link", name="View the original").get_attribute("href")

    second = new_context().new_page()
    sign_in(second, live_server.url, cast["investigator2"])
    for name, path in (("case", case_path), ("exhibit", exhibit_path), ("original", original_path)):
        answer = second.goto(path)
        assert answer is not None and answer.status == 404, f"{path} answered {answer and answer.status}"
        expect(second.get_by_role("heading", name="Not found")).to_be_visible()
        body = second.locator("body")
        for detail in details:
            expect(body).not_to_contain_text(detail)
        expect(body).not_to_contain_text(number)
        shots.take(second, f"not-found-{name}")
    second.get_by_role("navigation", name="Main").get_by_role("link", name="Cases", exact=True).click()
    expect(second.locator("main")).not_to_contain_text(number)
    second.goto("/cases/?mine=0&q=keypad")  # every case they may see, searched for the post's subject
    expect(second.locator("main")).not_to_contain_text(number)
    shots.take(second, "case-list-searched")

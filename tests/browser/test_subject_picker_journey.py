"""Journey (issue 16, item 1): the investigator types "Kow" into the subject search of an open case, the
matches appear as they type (picker.js asking the roster's JSON), they choose Kowalski, see who it is
(name, title, facility) before linking, link him, then unlink him again with a reason."""

from __future__ import annotations

import pytest

from tests.browser.casework import flash, open_case_titled
from tests.browser.people import expect, sign_in

pytestmark = pytest.mark.browser

DEMO_CASE = "Facebook comment about an inmate's visiting day"  # open, assigned to the demo investigator
KOWALSKI = "Kowalski, Peter"  # seed_data/demo/roster.csv, 101308, Osborn Correctional Institution


@pytest.mark.parametrize("width", [1366, 390])
def test_the_investigator_types_kow_chooses_kowalski_and_confirms(new_context, live_server, cast, shots, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, live_server.url, cast["investigator"])
    open_case_titled(page, DEMO_CASE)
    search = page.locator("#subjects").get_by_label("Find the employee to link")
    search.press_sequentially("Kow", delay=60)
    results = page.locator("#subjects [data-picker-results]")
    expect(results.get_by_role("link", name=KOWALSKI)).to_be_visible()
    expect(results).to_contain_text("101308")
    shots.take(page, f"picker-kow-{width}")
    start = page.url
    results.get_by_role("link", name=KOWALSKI).click()

    confirm = page.locator("dl.employee-confirm")
    expect(confirm).to_contain_text(KOWALSKI)
    expect(confirm).to_contain_text("Correction Officer")
    expect(confirm).to_contain_text("Osborn Correctional Institution")
    shots.take(page, f"picker-confirm-{width}")
    page.get_by_role("button", name=f"Link {KOWALSKI} as a subject").click()
    flash(page, f"{KOWALSKI} linked as a subject.")
    assert page.url.split("#")[0] == start.split("#")[0]

    page.locator("#subjects article.subject", has_text=KOWALSKI).get_by_role("link", name="Unlink this subject").click()
    page.get_by_label("Why is this subject unlinked?").fill("Chosen to test the picker; not the author.")
    page.get_by_role("button", name=f"Unlink {KOWALSKI}").click()
    flash(page, f"{KOWALSKI} was unlinked from the case.")
    expect(page.locator("#subjects h3", has_text=KOWALSKI)).to_have_count(0)

"""Fields sized to their content (issue 16, forms): at 1366 px the discipline form's "Suspension days" is a
few characters wide (it was about 1,150 px), while its justification, a long text, keeps the page's width."""

from __future__ import annotations

import pytest

from tests.browser.casework import open_case_titled
from tests.browser.people import expect, sign_in

pytestmark = pytest.mark.browser

DEMO_CASE = "YouTube video filmed on the perimeter road"  # open, a written reprimand proposed


def test_numbers_are_short_and_long_text_is_wide_at_1366(new_context, live_server, cast, shots):
    page = new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in(page, live_server.url, cast["investigator"])
    open_case_titled(page, DEMO_CASE)
    page.get_by_role("link", name="Change the discipline step").click()
    days = page.get_by_label("Suspension days")
    expect(days).to_be_visible()
    justification = page.get_by_label("Justification (required when departing from the suggestion)")
    main = page.locator("main").bounding_box()
    days_box, text_box = days.bounding_box(), justification.bounding_box()
    shots.take(page, "discipline-form-1366")
    assert days_box["width"] < 120, days_box  # three digits and the spinner
    assert text_box["width"] > 0.8 * (main["width"] - 48), (text_box, main)  # main's padding aside
    assert text_box["width"] > 900

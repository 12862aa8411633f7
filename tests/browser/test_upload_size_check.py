"""Journey (issue 16, item 6): an investigator chooses a 30.2 MB photo for an exhibit. The page says at once, next
to the field, that the file is over the 25 MB limit (upload.js reads the size before anything is sent), and
"Add the exhibit" sends nothing; choosing a smaller file clears the message and keeps what was typed."""

from __future__ import annotations

import pytest

from tests.browser.axe import check_page
from tests.browser.casework import draw_screenshot, open_case_titled
from tests.browser.people import expect, sign_in

pytestmark = pytest.mark.browser

DEMO_CASE = "Facebook comment about an inmate's visiting day"  # open, assigned to the demo investigator
MB = 1024 * 1024
TOO_LARGE = int(30.2 * MB)
MESSAGE = (
    "This file is 30.2 MB: the limit is 25 MB for one exhibit. Choose a smaller file or export it at lower resolution."
)


@pytest.mark.parametrize("width", [1366, 390])
def test_a_file_over_the_limit_is_named_before_it_is_sent(
    new_context, live_server, cast, shots, axe_report, tmp_path, width
):
    big = tmp_path / "IMG_0420.HEIC"
    with big.open("wb") as out:  # sparse: only its size matters, the browser never sends it
        out.truncate(TOO_LARGE)
    small = tmp_path / "post.png"
    draw_screenshot(small, "@visiting_day", "Visiting day again")

    page = new_context(viewport={"width": width, "height": 900}, bypass_csp=True).new_page()  # axe is injected
    sign_in(page, live_server.url, cast["investigator"])
    open_case_titled(page, DEMO_CASE)
    page.get_by_role("link", name="Upload an exhibit").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add an exhibit")
    page.get_by_label("What the exhibit shows").fill("Photo of the comment, from the complainant's phone")

    chooser = page.get_by_label("File: a PNG, JPEG, WebP or HEIC")
    chooser.set_input_files(big)
    error = page.locator("#file-size-error")
    expect(error).to_have_text(MESSAGE)
    expect(error).to_have_attribute("role", "alert")
    expect(chooser).to_have_attribute("aria-invalid", "true")
    expect(chooser).to_have_attribute("aria-describedby", "file-size-error")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    shots.take(page, f"too-large-{width}")
    result = check_page(page, f"exhibit upload, file too large ({width} px)")
    axe_report.add(result)
    assert not result.violations, "\n".join(v.describe() for v in result.violations)

    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    form_url = page.url
    page.get_by_role("button", name="Add the exhibit").click()
    expect(error).to_have_text(MESSAGE)
    expect(chooser).to_be_focused()
    assert sent == [] and page.url == form_url

    chooser.set_input_files(small)
    expect(page.locator("#file-size-error")).to_have_count(0)
    expect(chooser).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("What the exhibit shows")).to_have_value(
        "Photo of the comment, from the complainant's phone"
    )
    shots.take(page, f"small-file-chosen-{width}")

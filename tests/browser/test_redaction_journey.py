"""Journey (d): the investigator blacks out part of an exhibit by dragging a rectangle on it with the mouse
(project/static/js/redact.js), and the redacted working copy exists: black where drawn, the same pixels
elsewhere, while the original keeps its SHA-256."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from PIL import Image, ImageChops

from tests.browser.casework import flash, open_case_titled
from tests.browser.people import expect, sign_in

pytestmark = pytest.mark.browser

DEMO_CASE = "YouTube video filmed on the perimeter road"  # an open demo case assigned to the investigator
LISTED = re.compile(r"x (\d+), y (\d+), (\d+) x (\d+) pixels")


def fetch_image(page, url: str) -> tuple[bytes, Image.Image]:
    """An image the page links to, fetched with the page's own session (the route checks access and audits)."""
    answer = page.request.get(url)
    assert answer.status == 200, answer.status
    return answer.body(), Image.open(io.BytesIO(answer.body())).convert("RGB")


def test_d_investigator_redacts_a_region_by_dragging(new_context, live_server, cast, shots):
    page = new_context().new_page()
    sign_in(page, live_server.url, cast["investigator"])
    number = open_case_titled(page, DEMO_CASE)
    page.locator("#exhibits").get_by_role("link", name="Exhibit 1").click()
    original_sha256 = page.locator("dl.facts code.hash").inner_text()
    page.locator("main").get_by_role("link", name="Redact", exact=True).click()
    expect(page.get_by_role("heading", name=f"Redact Exhibit 1 of {number}")).to_be_visible()

    canvas = page.locator("#redact-canvas")
    expect(canvas).to_be_visible()  # drawing is on: the shown image matches the stored size
    expect(page.locator("#redact-draw-help")).to_be_visible()
    box = canvas.bounding_box()
    assert box is not None
    start = (box["x"] + box["width"] * 0.15, box["y"] + box["height"] * 0.2)
    end = (box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.4)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=8)
    page.mouse.up()

    listed = page.locator("#redact-list li")
    expect(listed).to_have_count(1)
    x, y, w, h = (int(part) for part in LISTED.search(listed.inner_text()).groups())
    natural = page.locator("#redact-image").evaluate("img => [img.naturalWidth, img.naturalHeight]")
    scale = natural[0] / box["width"]
    assert abs(x - (start[0] - box["x"]) * scale) <= 2 and abs(y - (start[1] - box["y"]) * scale) <= 2
    assert abs(w - (end[0] - start[0]) * scale) <= 3 and abs(h - (end[1] - start[1]) * scale) <= 3
    expect(page.locator("#regions")).to_have_value(f'[{{"x":{x},"y":{y},"w":{w},"h":{h}}}]')
    page.get_by_label("Why these parts are blacked out").fill("The video still shows the perimeter fence line.")
    shots.take(page, "rectangle-drawn")
    page.get_by_role("button", name="Make the redacted copy").click()

    flash(
        page,
        re.compile(
            r"Redacted copy of Exhibit 1 made: 1 rectangle\(s\) blacked out \(SHA-256 [0-9a-f]{64}\)\."
            r" The original is unchanged\."
        ),
    )
    expect(page.locator("dl.facts code.hash")).to_have_text(original_sha256)
    shots.take(page, "exhibit-after-redaction")

    page.locator("main").get_by_role("link", name="Redact", exact=True).click()
    row = page.locator("table.data tbody tr").first
    expect(row).to_contain_text("The video still shows the perimeter fence line.")
    expect(row.locator("td").nth(2)).to_have_text("1")
    shots.take(page, "redacted-copies")
    copy_url = row.get_by_role("link", name="View the current copy").get_attribute("href")
    redacted_bytes, redacted = fetch_image(page, copy_url)
    assert hashlib.sha256(redacted_bytes).hexdigest().startswith(row.locator("code.hash").inner_text().rstrip("…"))
    original_bytes, original = fetch_image(page, page.locator("#redact-image").get_attribute("src"))
    assert hashlib.sha256(original_bytes).hexdigest() == original_sha256
    assert redacted.size == original.size == tuple(natural)

    blacked = redacted.crop((x, y, x + w, y + h))
    assert blacked.getextrema() == ((0, 0), (0, 0), (0, 0)), "the drawn rectangle is not solid black"
    assert original.crop((x, y, x + w, y + h)).getextrema() != ((0, 0), (0, 0), (0, 0))
    outside = redacted.copy()
    outside.paste((0, 0, 0), (x, y, x + w, y + h))
    masked_original = original.copy()
    masked_original.paste((0, 0, 0), (x, y, x + w, y + h))
    assert ImageChops.difference(outside, masked_original).getbbox() is None, "pixels outside the rectangle changed"

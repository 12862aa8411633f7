"""Journey: the investigator uploads a screenshot holding a photo of a person, asks the redaction page to
"Suggest rectangles", sees the face outlined with a checkbox, ticks it, and the redacted copy is black over
exactly that rectangle. Nothing is blacked out until the person submits."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageDraw

from tests.browser.casework import flash, open_case_titled
from tests.browser.people import expect, sign_in

pytestmark = pytest.mark.browser

DEMO_CASE = "Facebook comment about an inmate's visiting day"  # open, assigned to the demo investigator
FACE = re.compile(r"Face: x (\d+), y (\d+), (\d+) x (\d+) pixels")


def screenshot_with_a_face(path) -> None:
    data = pytest.importorskip("skimage.data", reason="scikit-image (the test extra) is not installed")
    image = Image.new("RGB", (1200, 700), "white")
    ImageDraw.Draw(image).text((40, 40), "Visiting day again, look who came", fill=(10, 10, 10))
    image.paste(Image.fromarray(data.astronaut()), (600, 100))
    image.save(path, "PNG")


def test_the_investigator_accepts_a_suggested_face_and_it_is_blacked_out(
    new_context, live_server, cast, shots, tmp_path
):
    pytest.importorskip("cv2", reason="OpenCV (opencv-python-headless) is not installed")
    png = tmp_path / "visiting-day.png"
    screenshot_with_a_face(png)
    page = new_context().new_page()
    sign_in(page, live_server.url, cast["investigator"])
    open_case_titled(page, DEMO_CASE)
    page.get_by_role("link", name="Upload an exhibit").click()
    page.get_by_label("File: a PNG, JPEG, WebP or HEIC").set_input_files(png)
    page.get_by_label("What the exhibit shows").fill("Screenshot of the comment with a visitor's photo")
    page.get_by_label("Captured at (local time)").fill("2026-03-02T08:15")
    page.get_by_label("Capture method or tool").fill("Chrome screenshot")
    page.get_by_role("button", name="Add the exhibit").click()
    flash(page, re.compile(r"Exhibit \d+ added"))
    page.locator("main").get_by_role("link", name="Redact", exact=True).click()

    expect(page.locator(".redact-detectors")).to_contain_text("Face suggestions are on")
    expect(page.locator("input[name='accepted']")).to_have_count(0)  # the plain page runs no detector
    page.get_by_role("button", name="Suggest rectangles").click()
    faces = page.locator("#redact-proposals li").filter(has_text="Face:")
    expect(faces.first).to_be_visible()
    x, y, w, h = (int(part) for part in FACE.search(faces.first.inner_text()).groups())
    assert 600 <= x + w // 2 <= 1112 and 100 <= y + h // 2 <= 612  # on the photo
    checkbox = faces.first.get_by_role("checkbox")
    expect(checkbox).not_to_be_checked()
    checkbox.check()
    shots.take(page, "face-suggestion-ticked")
    page.get_by_label("Why these parts are blacked out").fill("A visitor's face (FOIA release)")
    page.get_by_role("button", name="Make the redacted copy").click()
    flash(page, re.compile(r"made: 1 rectangle\(s\) blacked out"))

    page.locator("main").get_by_role("link", name="Redact", exact=True).click()
    copy_url = page.locator("table.data tbody tr").first.get_by_role("link", name="View the current copy")
    answer = page.request.get(copy_url.get_attribute("href"))
    redacted = Image.open(io.BytesIO(answer.body())).convert("RGB")
    assert redacted.crop((x, y, x + w, y + h)).getextrema() == ((0, 0), (0, 0), (0, 0))
    assert redacted.crop((40, 40, 300, 60)).getextrema() != ((0, 0), (0, 0), (0, 0))  # the text is kept

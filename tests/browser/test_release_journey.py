"""Journey (g), the case of issue 13: two screenshots of the same post, each showing the reporter's phone and an
inmate's face. Exhibit 1 is redacted by dragging a rectangle and reviewed as "redacted"; exhibit 2 is left as it
is, and the release packet is refused, naming exhibit 2 (and only it). Once exhibit 2 is redacted (a typed
rectangle) and reviewed too, the release packet prints, and the PDF holds none of either original's pixels
(its embedded images are compared with the originals by a fingerprint, as the app's own leak check does, and
the redacted copies are found in it, so the comparison is shown to work) and no spelling of the reporter's
phone, which a note gave in another format than the reporter field.

The case is built through the pages: the investigator logs it and builds it, the supervisor assigns and
approves it, then redacts, reviews and prints (a supervisor may do all three), in one signed-in context.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont
from pypdf import PdfReader

from project.services import masking
from tests.browser.casework import (
    answer_every_element,
    answer_just_cause,
    case_number_on,
    complete_speech_screen,
    confirming,
    flash,
    link_subject,
    open_case_from_list,
    record_interview,
    state_is,
)
from tests.browser.people import expect, sign_in

pytestmark = pytest.mark.browser

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
TITLE = "Inmate's face and a reporter's phone on Facebook"
REPORTER = "Janet O'Brien"
PHONE = "860-555-0142"
PHONE_IN_NOTE = "860.555.0142"
EMPLOYEE = ("101075", "Hernandez, Luis")
RELEASE_VARIANT = "Employee / union copy"
# The part of each screenshot holding the phone and the face (x, y, w, h), from draw_post below.
SENSITIVE = {1: (0, 150, 720, 330), 2: (0, 190, 800, 370)}
FINGERPRINT = (64, 64)  # as project/services/packets/leaks.py: grey, shrunk by averaging
TOLERANCE = 12


def draw_post(path: Path, size: tuple[int, int], top: int) -> None:
    """A screenshot of the post: the post text, a photo with an inmate's face, and the comment in which the
    reporter left her phone. The second screenshot is the same post in a larger window, lower on the page."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 18)
    draw.rectangle((0, 0, size[0], 48), fill=(59, 89, 152))
    draw.text((16, 14), "facebook", fill="white", font=font)
    draw.text((16, top - 90), "@luis.h.co  ·  Mar 3, 2026 23:40", fill=(90, 90, 90), font=font)
    draw.text((16, top - 60), "Guess who is back on my tier. Cell 9, smile for the camera", fill="black", font=font)
    draw.rectangle((16, top, 340, top + 220), fill=(70, 80, 70))
    draw.ellipse((110, top + 30, 250, top + 200), fill=(224, 172, 138))  # the inmate's face
    draw.ellipse((145, top + 85, 165, top + 100), fill="black")
    draw.ellipse((195, top + 85, 215, top + 100), fill="black")
    draw.arc((145, top + 120, 215, top + 170), 20, 160, fill="black", width=4)
    draw.text((16, top + 250), f"Janet O'Brien: reported. Call me at {PHONE}", fill="black", font=font)
    image.save(path, format="PNG")


def fingerprint(image: Image.Image) -> tuple[float, Image.Image]:
    """(aspect ratio, the image in grey shrunk to 64 x 64 by averaging): JPEG loss and re-encoding wash out."""
    return image.width / image.height, image.convert("RGB").convert("L").resize(FINGERPRINT, Image.Resampling.BOX)


def nearly_equal(a: tuple[float, Image.Image], b: tuple[float, Image.Image]) -> bool:
    if abs(a[0] - b[0]) > 0.02 * max(a[0], b[0]):
        return False
    return int(ImageChops.difference(a[1], b[1]).getextrema()[1]) <= TOLERANCE  # type: ignore[arg-type]


def fetched(page, url: str) -> tuple[float, Image.Image]:
    """The fingerprint of an image the page links to, fetched with the page's session (access checked, audited)."""
    answer = page.request.get(url)
    assert answer.status == 200, f"{url} answered {answer.status}"
    return fingerprint(Image.open(io.BytesIO(answer.body())))


def upload(page, png: Path, description: str, number: int) -> None:
    page.get_by_role("link", name="Upload an exhibit").click()
    page.get_by_label("File: a PNG, JPEG, WebP or HEIC").set_input_files(png)
    page.get_by_label("What the exhibit shows").fill(description)
    page.get_by_label("Captured at (local time)").fill("2026-03-04T07:30")
    page.get_by_label("Capture method or tool").fill("Chrome screenshot")
    page.get_by_role("button", name="Add the exhibit").click()
    flash(page, f"Exhibit {number} added")
    page.get_by_role("link", name=re.compile(r"^Back to SM-")).click()


def open_exhibit(page, number: str, n: int) -> None:
    open_case_from_list(page, number)
    page.locator("#exhibits").get_by_role("link", name=f"Exhibit {n}", exact=True).click()


def review_as_redacted(page, n: int) -> None:
    page.get_by_label("Redacted: the current redacted copy goes out").check()
    page.get_by_label("Why (kept with the review)").fill("The phone and the inmate's face are blacked out; checked.")
    page.get_by_role("button", name="Record the review").click()
    flash(page, f"Release review of Exhibit {n} recorded: Redacted.")


def print_release(page, number: str, not_reviewed: list[str]) -> None:
    """Print packet (which lists the exhibits not reviewed first) -> the release variant -> the job page, once it
    has finished (ready or refused)."""
    open_case_from_list(page, number)
    page.get_by_role("link", name="Print packet").click()
    expect(page.locator("tr.needs-review td:first-child")).to_have_text(not_reviewed)
    page.get_by_label(RELEASE_VARIANT).check()
    page.get_by_label("Recipient").fill("union, grievance step 2")
    page.get_by_role("button", name="Print the packet").click()
    expect(page.locator(".flash-success, .form-errors")).to_be_visible(timeout=120_000)


def test_g_release_packet_waits_for_every_exhibit_and_leaks_neither_pixels_nor_phone(
    new_context, live_server, cast, shots, tmp_path: Path
):
    investigator = new_context().new_page()
    sign_in(investigator, live_server.url, cast["investigator"])
    investigator.get_by_role("link", name="Log a complaint").first.click()
    form = investigator.locator("main form")
    form.get_by_label("Case title").fill(TITLE)
    form.get_by_label("How the complaint came in").select_option(label="Public complaint")
    form.get_by_label("Complaint narrative").fill("A member of the public sent two screenshots of the post.")
    form.get_by_label("Reporter (confidential)").fill(REPORTER)
    form.get_by_label("Reporter contact (confidential)").fill(PHONE)
    form.get_by_label("Platform").select_option(label="Facebook")
    form.get_by_label("Account handle").fill("@luis.h.co")
    form.get_by_label("Text of the post (transcribed)").fill("Guess who is back on my tier. Cell 9, smile")
    form.get_by_role("button", name="Log the complaint").click()
    number = case_number_on(investigator)

    supervisor = new_context().new_page()
    sign_in(supervisor, live_server.url, cast["supervisor"])
    open_case_from_list(supervisor, number)
    supervisor.get_by_role("link", name="Assign investigator").click()
    supervisor.get_by_label("Investigator").select_option(label="Dana Investigator")
    supervisor.get_by_role("button", name="Assign").click()
    state_is(supervisor, "Open")

    investigator.reload()
    link_subject(investigator, EMPLOYEE[0], EMPLOYEE[1])
    for n, (size, top) in enumerate((((720, 480), 150), ((800, 560), 190)), start=1):
        png = tmp_path / f"post-{n}.png"
        draw_post(png, size, top)
        upload(investigator, png, f"Screenshot {n} of the Facebook post", n)
    notes = investigator.locator("#notes")
    notes.get_by_label("Kind").select_option(label="Phone call")
    notes.get_by_label("Note", exact=True).fill(f"Called the complainant back at {PHONE_IN_NOTE}; she sent both.")
    notes.get_by_role("button", name="Add note").click()
    flash(investigator, "Note added.")
    investigator.get_by_role("link", name="Frame an allegation").click()
    option = investigator.locator("#citation option", has_text="AD 2.26 5.b.i.3 ")
    investigator.get_by_label("Provision").select_option(option.get_attribute("value"))
    investigator.get_by_role("button", name="Frame the allegation").click()
    investigator.locator("#allegations").get_by_role("link", name="Reasoning, exhibits and finding").click()
    complete_speech_screen(investigator)  # 5.b.i.3 is off duty: the screen comes before a finding (issue 17)
    answer_every_element(investigator)
    investigator.get_by_label("Finding").select_option(label="Sustained")
    investigator.get_by_label("Reasoning").fill("The post shows an inmate's face and his cell.")
    investigator.get_by_role("button", name="Save").click()
    flash(investigator, "Allegation saved.")
    investigator.get_by_role("link", name="Propose a discipline step").click()
    investigator.get_by_role("button", name="Propose").click()
    record_interview(investigator, EMPLOYEE[1])
    investigator.get_by_role("link", name="Submit for review").click()
    investigator.get_by_role("button", name="Yes, submit for review").click()
    state_is(investigator, "In review")

    supervisor.reload()
    supervisor.get_by_role("link", name="Review").click()
    answer_just_cause(supervisor, EMPLOYEE[1])
    supervisor.get_by_label("Approve as submitted").check()
    supervisor.get_by_label("Reasons", exact=True).fill("The post identifies an inmate.")
    confirming(supervisor, "record this decision", supervisor.get_by_role("button", name="Record the decision").click)
    state_is(supervisor, "Approved")

    # Exhibit 1: a rectangle dragged over the face and the phone, then reviewed as "redacted".
    open_exhibit(supervisor, number, 1)
    originals = {1: fetched(supervisor, supervisor.get_by_role("link", name="View the original").get_attribute("href"))}
    supervisor.locator("main").get_by_role("link", name="Redact", exact=True).click()
    canvas = supervisor.locator("#redact-canvas")
    expect(canvas).to_be_visible()
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    scale = box["width"] / 720
    x, y, w, h = SENSITIVE[1]
    supervisor.mouse.move(box["x"] + (x + 1) * scale, box["y"] + y * scale)
    supervisor.mouse.down()
    supervisor.mouse.move(box["x"] + (x + w - 1) * scale, box["y"] + (y + h - 1) * scale, steps=6)
    supervisor.mouse.up()
    expect(supervisor.locator("#redact-list li")).to_have_count(1)
    supervisor.get_by_label("Why these parts are blacked out").fill("Inmate's face; the complainant's phone.")
    supervisor.get_by_role("button", name="Make the redacted copy").click()
    flash(supervisor, "Redacted copy of Exhibit 1 made")
    review_as_redacted(supervisor, 1)

    # Exhibit 2 is not reviewed: the print page says so, and the release packet is refused, naming it alone.
    print_release(supervisor, number, ["Exhibit 2"])
    refusal = supervisor.locator(".form-errors")
    expect(refusal).to_contain_text("Exhibit 2 has not been reviewed for release")
    expect(refusal).not_to_contain_text("Exhibit 1")
    shots.take(supervisor, "release-refused-naming-exhibit-2")

    # Exhibit 2: a typed rectangle, reviewed as "redacted"; now the packet prints.
    open_exhibit(supervisor, number, 2)
    originals[2] = fetched(supervisor, supervisor.get_by_role("link", name="View the original").get_attribute("href"))
    supervisor.locator("main").get_by_role("link", name="Redact", exact=True).click()
    supervisor.get_by_label("Or type rectangles, one per line as x,y,w,h").fill(",".join(map(str, SENSITIVE[2])))
    supervisor.get_by_label("Why these parts are blacked out").fill("Inmate's face; the complainant's phone.")
    supervisor.get_by_role("button", name="Make the redacted copy").click()
    flash(supervisor, "Redacted copy of Exhibit 2 made")
    redacted = {}
    for n in (1, 2):
        supervisor.goto(f"/cases/{number}/exhibits/{n}/redact")
        copy = supervisor.locator("table.data tbody tr").first.get_by_role("link", name="View the current copy")
        redacted[n] = fetched(supervisor, copy.get_attribute("href"))
    open_exhibit(supervisor, number, 2)
    review_as_redacted(supervisor, 2)

    print_release(supervisor, number, [])
    expect(supervisor.locator(".flash-success")).to_contain_text("The packet is ready")
    shots.take(supervisor, "release-ready")
    with supervisor.expect_download() as event:
        supervisor.get_by_role("link", name="Download the PDF").click()
    path = tmp_path / "release.pdf"
    event.value.save_as(path)
    reader = PdfReader(path)

    printed = [fingerprint(image.image) for pdf_page in reader.pages for image in pdf_page.images]
    for n in (1, 2):
        assert not any(nearly_equal(p, originals[n]) for p in printed), f"exhibit {n}'s original pixels are printed"
        assert any(nearly_equal(p, redacted[n]) for p in printed), f"exhibit {n}'s redacted copy is not printed"
    text = "\n".join(pdf_page.extract_text() for pdf_page in reader.pages)
    assert "Called the complainant back at" in text  # the note is printed ...
    phones = masking.find(text, [masking.Identifier("phone", PHONE)], surname_alone=False)
    assert phones == [], [text[m.start : m.end] for m in phones]  # ... with no spelling of the phone
    assert REPORTER not in text and "[REDACTED]" in text

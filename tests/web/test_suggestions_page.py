"""The redaction page's suggestions: "Suggest rectangles" lists the proposals, each with a checkbox; only the
ticked ones join the person's own rectangles, and only their submit redacts. Without Tesseract the page says
text suggestions are off, and why."""

from __future__ import annotations

import re
import sys

from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, ExhibitRedaction
from tests.evidence_files import add
from tests.ocr_images import needs_font, needs_tesseract, screenshot

# The factories' reporter is "Officer R. Reporter", contact "555-0100"
LINES = [(40, 40, "Reported by Officer R. Reporter today"), (40, 160, "Call 555.0100 after the shift")]


def page_url(case, n: int = 1) -> str:
    return f"/cases/{case.number}/exhibits/{n}/redact"


def suggest(client, case, post_form, n: int = 1):
    """Press "Suggest rectangles" on the redaction page and follow it to the page that shows the run's result."""
    return post_form(
        client, f"/cases/{case.number}/exhibits/{n}/suggestions", {}, page=page_url(case, n), follow_redirects=True
    )


def checkboxes(page: str) -> list[tuple[str, str]]:
    """(value, label text) of each suggestion checkbox on the page."""
    found = re.findall(
        r'<input type="checkbox" name="accepted" id="(accepted-\d+)" value="([\d,]+)"[^>]*>\s*'
        r'<label for="\1">([^<]*)</label>',
        page,
    )
    return [(value, " ".join(label.split())) for _, value, label in found]


def viewed(exhibit) -> int:
    return len(
        list(
            db.session.scalars(
                select(AuditEvent.id).where(
                    AuditEvent.action == "exhibit.viewed", AuditEvent.object_id == str(exhibit.id)
                )
            )
        )
    )


@needs_tesseract
@needs_font
def test_suggest_rectangles_lists_the_reporters_name_and_phone_unticked_and_redacts_nothing(
    app, client, world, sign_in, post_form
):
    case = world.open()
    png, _ = screenshot(LINES)
    exhibit = add(app, world, case, png)
    sign_in(client, world.investigator.email)
    plain = client.get(page_url(case)).get_data(as_text=True)
    assert '<button type="submit">Suggest rectangles</button>' in plain and checkboxes(plain) == []
    assert "Text suggestions\n        are <strong>on</strong>" in plain and viewed(exhibit) == 0

    response = suggest(client, case, post_form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    found = checkboxes(page)
    labels = [label.split(":")[0] for _, label in found]
    assert labels == ["Text", "Text"]
    assert "a protected name" in found[0][1] and "a protected phone number" in found[1][1]
    assert "Reporter" not in "".join(label for _, label in found) and " checked" not in page.split("redact-list")[0]
    assert viewed(exhibit) == 1  # the read for suggestions is a view in the chain of custody
    assert db.session.scalars(select(ExhibitRedaction)).first() is None


@needs_tesseract
@needs_font
def test_only_the_ticked_suggestions_are_blacked_out_with_the_rectangles_drawn(app, client, world, sign_in, post_form):
    case = world.open()
    png, _ = screenshot(LINES)
    add(app, world, case, png)
    sign_in(client, world.investigator.email)
    name, phone = (value for value, _ in checkboxes(suggest(client, case, post_form).get_data(as_text=True)))
    response = post_form(
        client,
        page_url(case),
        {"regions": '[{"x": 0, "y": 0, "w": 10, "h": 10}]', "accepted": phone, "typed_regions": "", "reason": "FOIA"},
    )
    assert response.status_code == 302
    [made] = db.session.scalars(select(ExhibitRedaction)).all()
    x, y, w, h = (int(v) for v in phone.split(","))
    assert made.regions == [{"x": 0, "y": 0, "w": 10, "h": 10}, {"x": x, "y": y, "w": w, "h": h}]
    assert name not in {f"{r['x']},{r['y']},{r['w']},{r['h']}" for r in made.regions}


def test_a_refused_submit_shows_the_ticked_suggestions_still_ticked(app, client, world, sign_in, post_form):
    case = world.open(exhibit=True)
    sign_in(client, world.investigator.email)
    response = post_form(client, page_url(case), {"regions": "", "accepted": "10,20,30,40", "reason": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Say why these parts are blacked out" in page
    assert checkboxes(page) == [("10,20,30,40", "Accepted suggestion: x 10, y 20, 30 x 40 pixels (10,20,30,40)")]
    assert 'value="10,20,30,40"\n                     data-kind="accepted" checked>' in page
    assert db.session.scalars(select(ExhibitRedaction)).first() is None


def test_without_tesseract_the_page_says_text_suggestions_are_off_and_why(app, client, world, sign_in, post_form):
    app.config["TESSERACT_CMD"] = "/nonexistent/tesseract"
    case = world.open(exhibit=True)
    sign_in(client, world.investigator.email)
    for response in (client.get(page_url(case)), suggest(client, case, post_form)):
        page = " ".join(response.get_data(as_text=True).split())
        assert response.status_code == 200
        assert (
            "Text suggestions are <strong>off</strong>: Tesseract OCR is not installed on this server "
            "(no &#39;/nonexistent/tesseract&#39; program); install Debian&#39;s tesseract-ocr package"
        ) in page
    assert not [value for value, label in checkboxes(page) if label.startswith("Text")]


def test_when_opencv_cannot_be_loaded_the_page_says_face_suggestions_are_off(
    app, client, world, sign_in, post_form, monkeypatch
):
    monkeypatch.setitem(sys.modules, "cv2", None)  # what Python does when the import fails
    case = world.open(exhibit=True)
    sign_in(client, world.investigator.email)
    for response in (client.get(page_url(case)), suggest(client, case, post_form)):
        page = " ".join(response.get_data(as_text=True).split())
        assert response.status_code == 200
        assert (
            "Face suggestions are <strong>off</strong>: OpenCV (the opencv-python-headless package, version 4) "
            "could not be loaded."
        ) in page
    assert not [value for value, label in checkboxes(page) if label.startswith("Face")]

"""Assisted redaction: the rectangles proposed on an exhibit cover the protected text Tesseract reads and the
faces OpenCV finds, name what they cover without repeating it, read the original only through an audited
view, and say which detector is off and why."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent
from project.permissions import NotPermitted
from project.services import evidence
from project.services.errors import InvalidInput
from project.services.masking import Identifier
from tests.evidence_files import add, pdf_bytes, stored_files
from tests.ocr_images import needs_font, needs_tesseract, screenshot, text_box

PHONE = Identifier("phone", "860-555-0142")
NAME = Identifier("name", "Janet Reporter")
ASTRONAUT_FACE = (175, 60, 100, 110)  # x, y, w, h of Eileen Collins' face in skimage's astronaut photo


def covers(region: dict[str, int], box: tuple[int, int, int, int]) -> bool:
    left, top, right, bottom = box
    return (
        region["x"] <= left
        and region["y"] <= top
        and region["x"] + region["w"] >= right
        and region["y"] + region["h"] >= bottom
    )


def overlap_share(region: dict[str, int], box: tuple[int, int, int, int]) -> float:
    """How much of ``box`` (x, y, w, h) the region covers, from 0 to 1."""
    x, y, w, h = box
    width = min(region["x"] + region["w"], x + w) - max(region["x"], x)
    height = min(region["y"] + region["h"], y + h) - max(region["y"], y)
    return max(0, width) * max(0, height) / (w * h)


def suggest(app, world, case, exhibit, user=None, identifiers=(PHONE, NAME), tesseract_cmd="tesseract"):
    return evidence.suggest_regions(
        case,
        exhibit,
        world.actor(user or world.investigator),
        evidence.SuggestionInput(app.config["EVIDENCE_DIR"], tuple(identifiers), tesseract_cmd),
    )


def views_of(exhibit) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_type == "exhibit",
                AuditEvent.object_id == str(exhibit.id),
                AuditEvent.action == "exhibit.viewed",
            )
        )
    )


@needs_tesseract
@needs_font
def test_a_phone_in_another_format_and_a_name_drawn_on_a_screenshot_are_proposed_over_their_text(app, world):
    case = world.open()
    lines = [(40, 40, "Call me at 860.555.0142 tonight"), (40, 160, "Posted by Janet Reporter on Friday")]
    png, boxes = screenshot(lines)
    exhibit = add(app, world, case, png)
    found = suggest(app, world, case, exhibit)
    assert [d.kind for d in found.detectors if d.on] == ["text", "face"] and found.size == (1000, 400)
    texts = [p for p in found.proposals if p.kind == "text"]
    phone = [p for p in texts if p.matched == "phone"]
    name = [p for p in texts if p.matched == "name"]
    assert len(phone) == 1 and covers(phone[0].region, text_box(lines[0], "860.555.0142"))
    assert len(name) == 1 and covers(name[0].region, text_box(lines[1], "Janet Reporter"))
    # Tight: the rectangle is the words matched, not the whole line ("Call me at", "on Friday" stay readable)
    assert phone[0].x > boxes[0][0] + 100 and name[0].x + name[0].w < boxes[1][2] - 60
    for proposal in texts:  # the label says what kind of identifier, never the identifier itself
        assert "860" not in proposal.label and "Janet" not in proposal.label and "Reporter" not in proposal.label
    assert phone[0].label == "Text: a protected phone number"


@needs_tesseract
@needs_font
def test_text_that_names_nobody_protected_proposes_nothing_and_nothing_is_written_but_the_view(app, world):
    case = world.open()
    png, _ = screenshot([(40, 40, "Call me at 203.555.0199 tonight"), (40, 160, "Posted by Pat Smith")])
    exhibit = add(app, world, case, png)
    before = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    files = [(path, path.stat().st_mtime_ns) for path in stored_files(app)]
    found = suggest(app, world, case, exhibit)
    assert found.proposals == []
    assert [(path, path.stat().st_mtime_ns) for path in stored_files(app)] == files
    new = list(db.session.scalars(select(AuditEvent).where(AuditEvent.id > before)))
    assert [(e.action, e.actor_id) for e in new] == [("exhibit.viewed", world.investigator.id)]
    assert new[0].detail["sha256"] == exhibit.sha256


def test_the_astronauts_face_is_proposed(app, world):
    pytest.importorskip("cv2", reason="OpenCV (opencv-python-headless) is not installed")
    data = pytest.importorskip("skimage.data", reason="scikit-image (the test extra) is not installed")
    out = io.BytesIO()
    Image.fromarray(data.astronaut()).save(out, "PNG")
    case = world.open()
    exhibit = add(app, world, case, out.getvalue())
    found = suggest(app, world, case, exhibit, identifiers=())
    faces = [p for p in found.proposals if p.kind == "face"]
    assert faces and all(p.label == "Face" and p.matched is None for p in faces)
    assert max(overlap_share(p.region, ASTRONAUT_FACE) for p in faces) > 0.8
    assert all(p.x >= 0 and p.y >= 0 and p.x + p.w <= 512 and p.y + p.h <= 512 for p in faces)


def test_without_tesseract_text_suggestions_are_off_with_the_reason_and_faces_still_run(app, world):
    pytest.importorskip("cv2", reason="OpenCV (opencv-python-headless) is not installed")
    case = world.open(exhibit=True)
    exhibit = evidence.exhibit_of(case, 1)
    found = suggest(app, world, case, exhibit, tesseract_cmd="/nonexistent/tesseract")
    text, face = found.detectors
    assert text.kind == "text" and not text.on and "Tesseract OCR is not installed" in text.why
    assert "tesseract-ocr" in text.why
    assert face.kind == "face" and face.on
    assert not [p for p in found.proposals if p.kind == "text"]


def test_only_someone_who_may_redact_may_ask_and_a_refusal_reads_nothing(app, world):
    case = world.open(exhibit=True)
    exhibit = evidence.exhibit_of(case, 1)
    for outsider in (world.admin, world.investigator2):
        with pytest.raises(NotPermitted):
            suggest(app, world, case, exhibit, user=outsider)
    assert views_of(exhibit) == []


def test_a_pdf_exhibit_is_refused_as_not_an_image(app, world):
    case = world.open()
    exhibit = add(app, world, case, pdf_bytes(), filename="capture.pdf")
    with pytest.raises(InvalidInput) as refused:
        suggest(app, world, case, exhibit)
    assert "only images" in refused.value.errors["regions"]
    assert views_of(exhibit) == []

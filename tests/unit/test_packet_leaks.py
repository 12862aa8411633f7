"""The leak check: a release packet that holds a protected identifier or an unredacted original image is
refused, named by page and kind (never by the value), audited, and never handed out."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import current_app
from PIL import Image
from pypdf import PdfReader, PdfWriter
from sqlalchemy import func, select

from project.extensions import db
from project.models import AuditEvent, DerivedFile, PacketPrint
from project.services import casework, evidence, masking, packets
from project.services.evidence import exhibits_of

PHONE_AS_TYPED = "555.0100"  # the factory's reporter contact is "555-0100"
RECIPIENT = "union, grievance step 2"  # a release names its recipient, on its cover: the same one, the same packet


def settings() -> packets.PrintSettings:
    return packets.PrintSettings(current_app.config["EVIDENCE_DIR"], "DOC-")


def print_release(case, world):
    world.reviewed_for_release(case)
    order = packets.PacketOrder("redacted", recipient=RECIPIENT)
    return packets.print_packet(case, order, world.actor(world.labor), settings())


def refusals(action: str = "packet.leak_refused") -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def printings() -> int:
    return db.session.scalar(select(func.count()).select_from(PacketPrint)) or 0


def keep_recorded(kept: Path, pdf: bytes) -> None:
    """A kept packet holding ``pdf``, recorded with its hash (kept before the check): only the leak check stops it."""
    kept.chmod(0o640)
    kept.write_bytes(pdf)
    row = db.session.scalars(select(DerivedFile).where(DerivedFile.path == f"packets/{kept.name}")).one()
    row.sha256 = evidence.sha256_of(pdf)
    db.session.flush()


def kept_packets() -> list[Path]:
    folder = Path(current_app.config["EVIDENCE_DIR"], "packets")
    return sorted(folder.rglob("*.pdf")) if folder.exists() else []


def redact_first(case, world):
    exhibit = exhibits_of(case)[0]
    redaction = evidence.redact_exhibit(
        case,
        exhibit,
        evidence.RedactionInput([{"x": 0, "y": 0, "w": 720, "h": 60}], "The inmate's face"),
        world.actor(world.labor),
        current_app.config["EVIDENCE_DIR"],
    )
    return exhibit, redaction


def test_a_release_packet_that_would_print_the_reporter_is_refused_and_audited(app, world, monkeypatch):
    case = world.open(exhibit=True)
    casework.add_note(
        case, "phone_call", f"Called Officer R Reporter back on {PHONE_AS_TYPED}.", world.actor(world.investigator)
    )
    case = world.approved_not_sustained(case)
    monkeypatch.setattr(masking, "mask", lambda text, identifiers, replacement="[REDACTED]": text)  # masking fails

    with pytest.raises(packets.PacketRefused) as refused:
        print_release(case, world)

    message = str(refused.value)
    assert "not handed out" in message
    assert "a name (name) on page" in message and "a phone number (phone) on page" in message
    assert "Reporter" not in message and "0100" not in message  # named by kind, never by value
    assert printings() == 0 and kept_packets() == []  # not recorded as printed, not kept
    [event] = refusals()
    assert event.actor_id == world.labor.id and event.case_id == case.id
    leaks = event.detail["leaks"]
    assert {leak["kind"] for leak in leaks} == {"name", "phone"} and all(leak["page"] >= 1 for leak in leaks)
    assert "Reporter" not in str(event.detail) and PHONE_AS_TYPED not in str(event.detail)
    db.session.rollback()  # the refusal was committed: a later rollback does not undo it
    assert len(refusals()) == 1

    monkeypatch.undo()  # with the masking working, the same packet goes out
    printing, pdf = print_release(case, world)
    assert printing.variant == "redacted" and b"%PDF" in pdf[:8]


def test_a_release_packet_that_would_print_an_original_image_is_refused_and_in_its_custody_log(app, world):
    case = world.approved_not_sustained(world.open(exhibit=True))
    exhibit, redaction = redact_first(case, world)
    original = evidence.open_original(exhibit, current_app.config["EVIDENCE_DIR"])
    # the redacted copy's bytes forced equal to the original's: its pixels would go out unredacted
    evidence.redacted_path(current_app.config["EVIDENCE_DIR"], exhibit.sha256).parent.mkdir(parents=True, exist_ok=True)
    evidence.redacted_path(current_app.config["EVIDENCE_DIR"], exhibit.sha256).write_bytes(original)
    redaction.redacted_sha256 = exhibit.sha256
    db.session.flush()

    with pytest.raises(packets.PacketRefused) as refused:
        print_release(case, world)

    assert "the unredacted original image of exhibit 1 on page" in str(refused.value)
    assert printings() == 0 and kept_packets() == []
    [event] = refusals()
    [leak] = event.detail["leaks"]
    assert leak["kind"] == "image" and leak["exhibit"] == 1
    [custody] = [e for e in evidence.custody_log(exhibit) if e.action == "exhibit.leak_refused"]
    assert custody.actor_id == world.labor.id and custody.detail["pages"] == [leak["page"]]


def test_a_second_capture_of_a_redacted_screenshot_is_caught_as_a_near_copy_of_the_original(app, world):
    """The issue's case: two captures of the same post, exhibit 1 redacted, exhibit 2 (the same screenshot
    saved again as a JPEG) printed with the inmate's face in full. Exhibit 2 is nearly equal to exhibit 1's
    original, so the release packet is refused and names the page where exhibit 2 is."""
    case = world.open(exhibit=True)
    config = current_app.config
    shot = Image.open(io.BytesIO(evidence.open_original(exhibits_of(case)[0], config["EVIDENCE_DIR"])))
    again = io.BytesIO()
    shot.convert("RGB").save(again, "JPEG", quality=85)
    evidence.add_exhibit(
        case,
        evidence.ExhibitInput(again.getvalue(), "again.jpg", "The same post, saved again", None, None, "Ivy", "Phone"),
        world.actor(world.investigator),
        evidence.EvidenceSettings(config["EVIDENCE_DIR"], config["EVIDENCE_MAX_BYTES"], config["EVIDENCE_MAX_PIXELS"]),
    )
    case = world.approved_not_sustained(case)
    redact_first(case, world)

    with pytest.raises(packets.PacketRefused, match="the unredacted original image of exhibit 1 on page") as refused:
        print_release(case, world)
    [leak] = refusals()[0].detail["leaks"]
    assert f"on page {leak['page']}" in str(refused.value)
    full = packets.render_packet(case, packets.PacketOrder("full"), settings()).pdf  # the same pages, unmasked
    assert PdfReader(io.BytesIO(full)).pages[leak["page"] - 1].extract_text().lstrip().startswith("Exhibit 2")


def test_a_properly_redacted_exhibit_passes_the_check_and_its_packet_prints(app, world):
    case = world.approved_not_sustained(world.open(exhibit=True))
    redact_first(case, world)
    printing, _ = print_release(case, world)
    assert printing.variant == "redacted" and refusals() == []


def test_a_cached_packet_is_checked_again_before_it_is_handed_out(app, world):
    """A packet kept from before the check (or before a redacted copy went wrong) is not handed out either."""
    case = world.approved_not_sustained(world.open(exhibit=True))
    exhibit, redaction = redact_first(case, world)
    world.reviewed_for_release(case)
    packets.render_packet(case, packets.PacketOrder("redacted", recipient=RECIPIENT), settings())  # kept, clean
    original = evidence.open_original(exhibit, current_app.config["EVIDENCE_DIR"])
    rendition = evidence.image_rendition(current_app.config["EVIDENCE_DIR"], exhibit.sha256, original)
    [kept] = kept_packets()
    reader_pdf = _pdf_with_image(rendition)  # what a leaking packet kept under the same name would hold
    keep_recorded(kept, reader_pdf)

    with pytest.raises(packets.PacketRefused, match="original image of exhibit 1 on page 1"):
        print_release(case, world)
    assert printings() == 0


def test_a_release_packet_with_a_file_attached_is_refused(app, world):
    """Only the full packet attaches the original files; one attached to a release copy would go out whole."""
    case = world.approved_not_sustained(world.open(exhibit=True))
    world.reviewed_for_release(case)
    packets.render_packet(case, packets.PacketOrder("redacted", recipient=RECIPIENT), settings())
    [kept] = kept_packets()
    writer = PdfWriter(clone_from=io.BytesIO(kept.read_bytes()))
    writer.add_attachment("original.png", b"the original bytes")
    out = io.BytesIO()
    writer.write(out)
    kept.chmod(0o640)
    keep_recorded(kept, out.getvalue())

    with pytest.raises(packets.PacketRefused, match="an attached file"):
        print_release(case, world)
    assert refusals()[0].detail["leaks"] == [{"page": None, "kind": "attachment"}]


# Helpers ---------------------------------------------------------------------------------------------------


def _pdf_with_image(jpeg: bytes) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(jpeg)).save(out, "PDF")
    return out.getvalue()

"""Every derived file has a known hash (issue 15, findings 4, 6 and 7): print renditions, thumbnails, redacted
copies and cached packets are recorded with their SHA-256 when written and checked when used; one that no
longer matches is made again from the verified original (custody event) or refused with it."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from flask import current_app
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import AuditEvent, DerivedFile
from project.services import evidence, packets

pytestmark = pytest.mark.commits  # the CLI commands run in transactions of their own


def store() -> str:
    return current_app.config["EVIDENCE_DIR"]


def print_full(case, world):
    return packets.print_packet(
        case, packets.PacketOrder("full", None), world.actor(world.supervisor), packets.PrintSettings(store(), "DOC-")
    )


def tamper(path: Path, data: bytes) -> None:
    os.chmod(path, 0o640)
    path.write_bytes(data)


def custody(case, number: int) -> list[str]:
    return [event.action for event in evidence.custody_log(evidence.exhibit_of(case, number))]


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def noisy_png(side: int = 1500) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def test_an_upload_records_its_thumbnail_and_its_print_rendition_with_their_hashes(app, world):
    case = world.open()
    exhibit = world.add_screenshot(case)
    rows = {row.kind: row for row in db.session.scalars(select(DerivedFile))}
    assert set(rows) == {"thumbnail", "print"}
    for row in rows.values():
        assert row.source_sha256 == exhibit.sha256
        assert evidence.sha256_of((Path(store()) / row.path).read_bytes()) == row.sha256


def test_a_replaced_print_rendition_is_made_again_not_embedded_in_a_packet(app, world):
    case = world.approved(exhibit=True)
    exhibit = evidence.exhibit_of(case, 1)
    path = evidence.rendition_path(store(), exhibit.sha256)
    good = path.read_bytes()
    planted = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(planted, "JPEG")
    tamper(path, planted.getvalue())

    _, pdf = print_full(case, world)
    assert planted.getvalue() not in pdf and good in pdf and path.read_bytes() == good
    assert "exhibit.derived_remade" in custody(case, 1)
    [remade] = audit("exhibit.derived_remade")
    assert "the print rendition was altered" in remade.detail["problem"]


def test_a_cached_packet_with_bytes_appended_is_not_served_as_a_reprint(app, world):
    case = world.approved(exhibit=True)
    first, pdf = print_full(case, world)
    [cached] = (Path(store()) / "packets").glob("*.pdf")
    tamper(cached, pdf + b"\n% appended after printing\n")

    again, reprinted = print_full(case, world)
    assert reprinted == pdf and again.sha256 == first.sha256
    assert cached.read_bytes() == pdf
    [discarded] = audit("packet.cache_discarded")
    assert f"cached packet {cached.stem} was altered" in discarded.detail["problem"]
    assert audit("packet.printed")[-1].detail["reprint"] is False


def test_a_thumbnail_of_an_altered_original_is_not_served(app, world):
    case = world.open()
    exhibit = world.add_screenshot(case)
    actor = world.actor(world.investigator)
    assert evidence.view_thumbnail(case, exhibit, actor, store())
    original = evidence.EvidenceStore(store()).original_path(exhibit.sha256)
    tamper(original, original.read_bytes() + b"appended")
    with pytest.raises(evidence.EvidenceTampered, match="no longer matches"):
        evidence.view_thumbnail(case, exhibit, actor, store())
    assert custody(case, 1)[-1] == "exhibit.integrity_failed"


def test_an_altered_thumbnail_is_made_again_from_the_verified_original(app, world):
    case = world.open()
    exhibit = world.add_screenshot(case)
    actor = world.actor(world.investigator)
    good = evidence.view_thumbnail(case, exhibit, actor, store())
    path = evidence.EvidenceStore(store()).thumbnail_path(exhibit.sha256)
    tamper(path, b"not the thumbnail")
    assert evidence.view_thumbnail(case, exhibit, actor, store()) == good == path.read_bytes()
    assert custody(case, 1)[-2:] == ["exhibit.derived_remade", "exhibit.thumbnail_viewed"]


def test_evidence_verify_names_each_altered_derived_file(app, world, runner):
    case = world.approved(exhibit=True)
    exhibit = evidence.exhibit_of(case, 1)
    _, pdf = print_full(case, world)
    assert runner.invoke(args=["evidence", "verify"]).exit_code == 0
    thumbnail = evidence.EvidenceStore(store()).thumbnail_path(exhibit.sha256)
    tamper(thumbnail, b"x" + thumbnail.read_bytes())
    rendition = evidence.rendition_path(store(), exhibit.sha256)
    tamper(rendition, rendition.read_bytes() + b"x")
    [cached] = (Path(store()) / "packets").glob("*.pdf")
    tamper(cached, pdf + b"x")

    result = runner.invoke(args=["evidence", "verify"])
    assert result.exit_code != 0
    assert f"{case.number} Exhibit 1: the thumbnail was altered" in result.output
    assert f"{case.number} Exhibit 1: the print rendition was altered" in result.output
    assert f"cached packet {cached.stem} was altered" in result.output
    assert "3 problem(s)" in result.output


def test_evidence_verify_names_an_altered_pdf_page_and_redacted_copy(app, world, runner):
    case = world.open()
    exhibit = evidence.add_exhibit(case, pdf_upload(), world.actor(world.investigator), settings())
    page = evidence.rendition_path(store(), exhibit.sha256, 2)
    tamper(page, page.read_bytes() + b"x")
    shot = world.add_screenshot(case)
    made = evidence.redact_exhibit(
        case,
        shot,
        evidence.RedactionInput([{"x": 0, "y": 0, "w": 10, "h": 10}], "Reporter"),
        world.actor(world.investigator),
        store(),
    )
    copy = evidence.redacted_path(store(), made.redacted_sha256)
    tamper(copy, copy.read_bytes() + b"x")

    result = runner.invoke(args=["evidence", "verify"])
    assert result.exit_code != 0
    assert f"{case.number} Exhibit 1: the print rendition page 2 was altered" in result.output
    assert f"{case.number} Exhibit 2: the redacted copy {made.redacted_sha256} was altered" in result.output


def test_gc_dry_run_lists_and_removes_nothing(app, world, runner):
    world.open(exhibit=True)
    orphan = Path(store()) / "derived" / "thumbs" / f"{'ab' * 32}.png"
    orphan.write_bytes(b"left by a worker killed before its commit")
    files = sorted(p for p in Path(store()).rglob("*") if p.is_file())

    dry = runner.invoke(args=["evidence", "gc", "--dry-run"])
    assert dry.exit_code == 0 and f"would remove {orphan}" in dry.output and "nothing was removed" in dry.output
    assert sorted(p for p in Path(store()).rglob("*") if p.is_file()) == files
    assert audit("evidence.garbage_collected") == []

    done = runner.invoke(args=["evidence", "gc"])
    assert done.exit_code == 0 and f"removed {orphan}" in done.output and not orphan.exists()


def test_a_noisy_photo_gets_a_rendition_at_upload_and_prints(app, world):
    case = world.open()
    exhibit = evidence.add_exhibit(case, upload(noisy_png(), "noisy.png"), world.actor(world.investigator), settings())
    assert evidence.rendition_path(store(), exhibit.sha256).exists()
    rendition = evidence.rendition_path(store(), exhibit.sha256).read_bytes()
    assert len(rendition) > 1500 * 1500  # over 1 byte per pixel: what optimize=True could not write
    rendered = packets.render_packet(case, packets.PacketOrder("full"), packets.PrintSettings(store(), "DOC-"))
    assert rendition in rendered.pdf and "could not be rendered" not in extract_text(rendered.pdf)


def test_a_refused_packet_is_in_the_custody_log_of_each_exhibit(app, world):
    case = world.approved(exhibit=True)
    with pytest.raises(packets.PacketRefused, match="has not been reviewed for release"):
        packets.print_packet(
            case,
            packets.PacketOrder("redacted", None, "union, grievance step 2"),
            world.actor(world.labor),
            packets.PrintSettings(store(), "DOC-"),
        )
    assert custody(case, 1)[-1] == "exhibit.packet_refused"
    [refused] = audit("exhibit.packet_refused")
    assert refused.actor_id == world.labor.id and "has not been reviewed for release" in refused.detail["reason"]


# Uploads ---------------------------------------------------------------------------------------------------


def settings() -> evidence.EvidenceSettings:
    config = current_app.config
    return evidence.EvidenceSettings(store(), config["EVIDENCE_MAX_BYTES"], config["EVIDENCE_MAX_PIXELS"])


def upload(data: bytes, name: str) -> evidence.ExhibitInput:
    return evidence.ExhibitInput(
        data, name, "Capture", None, clock.now() - timedelta(days=1), "Ivy Investigator", "Browser screenshot"
    )


def extract_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_upload() -> evidence.ExhibitInput:
    from tests.evidence_files import pdf_bytes

    return upload(pdf_bytes(pages=2), "capture.pdf")

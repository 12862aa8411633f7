"""Nothing hidden rides along: print renditions and redacted copies hold pixels only, and so do the packets
made from them. The tests read the bytes themselves (JPEG markers, PNG chunks), not what a library reports."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from flask import current_app
from PIL import Image, ImageCms
from pypdf import PdfReader

from project import clock
from project.services import evidence, packets
from project.services.evidence import sha256_of
from tests.evidence_files import (
    SECRET,
    jpeg_segments,
    jpeg_with_secrets,
    metadata_segments,
    pdf_bytes,
    png_chunk_types,
    png_with_secrets,
)

HIDDEN = (SECRET, b"XMP-SECRET", b"ITXT-SECRET", b"ZTXT-SECRET", b"PhoneMaker", b"ICC-PROFILE-SECRET", b"Exif")
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def assert_pixels_only(jpeg: bytes) -> None:
    markers = [marker for marker, _ in jpeg_segments(jpeg)]
    assert markers[0] == 0xD8 and markers[-1] == 0xD9 and 0xDA in markers
    assert metadata_segments(jpeg) == []
    assert [payload[:5] for marker, payload in jpeg_segments(jpeg) if marker == 0xE0] == [b"JFIF\x00"]
    for secret in HIDDEN:
        assert secret not in jpeg


@pytest.mark.parametrize(
    "source",
    [jpeg_with_secrets(), jpeg_with_secrets(icc=SRGB), png_with_secrets()],
    ids=["jpeg-with-a-broken-icc", "jpeg-with-srgb-icc", "png-with-text-exif-iccp"],
)
def test_a_print_rendition_holds_a_jfif_header_tables_and_pixels_only(app, tmp_path: Path, source: bytes):
    rendition = evidence.image_rendition(str(tmp_path), sha256_of(source), source)

    assert_pixels_only(rendition)
    with Image.open(io.BytesIO(source)) as original, Image.open(io.BytesIO(rendition)) as printed:
        assert printed.size == original.size
        printed_pixel, original_pixel = printed.getpixel((1, 1)), original.convert("RGB").getpixel((1, 1))
        assert max(abs(a - b) for a, b in zip(printed_pixel, original_pixel, strict=True)) < 8


def test_a_pdf_capture_is_rasterised_to_pixels_only(app, tmp_path: Path):
    data = pdf_bytes(pages=2)
    pages = evidence.pdf_renditions(str(tmp_path), sha256_of(data), data)
    assert len(pages) == 2
    for page in pages:
        assert_pixels_only(page)


def test_renditions_made_before_the_metadata_was_stripped_are_not_reused(app, tmp_path: Path):
    """An old rendition (r1) may hold the JPEG comment: the version in the path moved, so it is made anew."""
    source = jpeg_with_secrets()
    old = tmp_path / "derived" / "print" / "r1" / f"{sha256_of(source)}.jpg"
    old.parent.mkdir(parents=True)
    old.write_bytes(source)
    assert evidence.RENDITION_VERSION != "r1"
    assert_pixels_only(evidence.image_rendition(str(tmp_path), sha256_of(source), source))


# With the database: the redacted copy and the release packet ------------------------------------------------


def add_file(case, world, data: bytes, name: str):
    config = current_app.config
    return evidence.add_exhibit(
        case,
        evidence.ExhibitInput(
            data, name, "Phone photo of the post", None, clock.now() - timedelta(hours=1), "Ivy", "Phone"
        ),
        world.actor(world.investigator),
        evidence.EvidenceSettings(config["EVIDENCE_DIR"], config["EVIDENCE_MAX_BYTES"], config["EVIDENCE_MAX_PIXELS"]),
    )


def test_a_redacted_copy_is_a_png_of_pixels_only(app, world):
    case = world.open()
    for number, (data, name) in enumerate([(jpeg_with_secrets(), "photo.jpg"), (png_with_secrets(), "shot.png")]):
        exhibit = add_file(case, world, data, name)
        made = evidence.redact_exhibit(
            case,
            exhibit,
            evidence.RedactionInput([{"x": number, "y": 0, "w": 10, "h": 10}], "Inmate's face"),
            world.actor(world.investigator),
            app.config["EVIDENCE_DIR"],
        )
        copy = evidence.redacted_bytes(made, app.config["EVIDENCE_DIR"])
        assert set(png_chunk_types(copy)) == {b"IHDR", b"IDAT", b"IEND"}
        for secret in HIDDEN:
            assert secret not in copy


def test_the_release_packet_carries_no_comment_of_an_exhibit_redacted_or_not(app, world):
    """The JPEG comment "secret comment" reached the redacted packet through the print rendition."""
    case = world.open()
    plain = add_file(case, world, jpeg_with_secrets(), "photo.jpg")
    redacted = add_file(case, world, jpeg_with_secrets(size=(200, 100)), "photo2.jpg")
    evidence.redact_exhibit(
        case,
        redacted,
        evidence.RedactionInput([{"x": 0, "y": 0, "w": 20, "h": 20}], "Inmate's face"),
        world.actor(world.investigator),
        app.config["EVIDENCE_DIR"],
    )
    # (failed on main since release reviews, which it predates: a release copy needs every exhibit reviewed)
    evidence.review_for_release(case, plain, "releasable", "Checked.", world.actor(world.investigator))
    evidence.review_for_release(case, redacted, "redacted", "Checked the copy.", world.actor(world.investigator))
    settings = packets.PrintSettings(app.config["EVIDENCE_DIR"], "DOC-")
    world.reviewed_for_release(case)
    pdf = packets.render_packet(case, packets.PacketOrder("redacted"), settings).pdf
    for secret in HIDDEN:
        assert secret not in pdf
    full = PdfReader(io.BytesIO(packets.render_packet(case, packets.PacketOrder("full"), settings).pdf))
    attached = full.attachments[f"{plain.sha256}.jpg"][0]
    assert SECRET in attached, "the full packet attaches the originals unchanged, as the evidence"

"""Evidence exhibits through the service: what is accepted and refused, how originals are stored and
numbered, and thumbnails (integrity on reading, custody, crashes and races: test_evidence_custody.py)."""

from __future__ import annotations

import hashlib
import io
import stat
from datetime import timedelta

import pytest
from PIL import Image, ImageFile

from project import clock
from project.extensions import db
from project.models import Case
from project.permissions import NotPermitted
from project.services import evidence
from project.services.errors import InvalidInput
from tests.evidence_files import (
    add,
    evidence_dir,
    exhibit_count,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    png_claiming,
    refusal,
    stored_files,
    tamper,
    webp_bytes,
)

# Accepted files ------------------------------------------------------------------------------------------


def test_each_accepted_type_is_stored_with_its_hash_and_the_next_number(app, world):
    case = world.open()
    files = [
        (png_bytes(), "image/png", (64, 48), None),
        (jpeg_bytes(), "image/jpeg", (800, 600), None),
        (webp_bytes(), "image/webp", (120, 90), None),
        (pdf_bytes(pages=2), "application/pdf", (None, None), 2),
    ]
    for number, (data, media_type, (width, height), pages) in enumerate(files, start=1):
        exhibit = add(app, world, case, data, filename=f"capture{number}")
        assert (exhibit.number, exhibit.media_type) == (number, media_type)
        assert exhibit.sha256 == hashlib.sha256(data).hexdigest()
        assert (exhibit.size_bytes, exhibit.width, exhibit.height, exhibit.page_count) == (
            len(data),
            width,
            height,
            pages,
        )
    assert [x.number for x in evidence.exhibits_of(case)] == [1, 2, 3, 4]


def test_the_original_is_stored_unchanged_read_only_and_outside_static(app, world):
    data = jpeg_bytes(gps=True)
    exhibit = add(app, world, world.open(), data)
    path = evidence_dir(app) / "originals" / exhibit.sha256[:2] / exhibit.sha256
    assert path.read_bytes() == data
    assert hashlib.sha256(path.read_bytes()).hexdigest() == exhibit.sha256
    assert stat.S_IMODE(path.stat().st_mode) == 0o440
    assert "static" not in path.parts
    assert evidence.open_original(exhibit, app.config["EVIDENCE_DIR"]) == data


def test_adding_an_exhibit_changes_the_case_version_and_details_are_kept(app, world):
    case = world.open()
    version = case.content_version
    captured = clock.now() - timedelta(days=1)
    exhibit = add(
        app,
        world,
        case,
        png_bytes(),
        captured_at=captured,
        source_url="  https://x.example/p/9 ",
        description="  The post  ",
    )
    assert db.session.get(Case, case.id).content_version == version + 1
    assert (exhibit.description, exhibit.source_url, exhibit.captured_at) == (
        "The post",
        "https://x.example/p/9",
        captured,
    )
    assert exhibit.uploaded_by_id == world.investigator.id


def test_a_file_is_typed_by_its_bytes_not_its_name(app, world):
    case = world.open()
    exhibit = add(app, world, case, png_bytes(), filename="capture.pdf")
    assert exhibit.media_type == "image/png"
    errors = refusal(app, world, world.open(), b"<html><script>alert(1)</script></html>", filename="shot.png")
    assert "PNG, JPEG, WebP, HEIC or PDF; MP3, M4A or WAV audio; MP4 or MOV video" in errors["file"]


def test_numbers_run_per_case(app, world):
    first, second = world.open(), world.open()
    assert [add(app, world, first, png_bytes(color=c)).number for c in ("red", "blue")] == [1, 2]
    assert add(app, world, second, png_bytes(color="green")).number == 1


# Refusals ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"GIF89a" + b"\0" * 100, "PNG, JPEG, WebP, HEIC or PDF; MP3, M4A or WAV audio; MP4 or MOV video"),
        (png_bytes()[:-30], "PNG image is damaged or incomplete"),
        (png_bytes()[:60], "PNG image is damaged or incomplete"),
        (jpeg_bytes()[:1500], "JPEG image is damaged or incomplete"),
        (webp_bytes()[:40], "WebP image is damaged or incomplete"),
        (pdf_bytes()[:-200], "PDF is incomplete"),
    ],
    ids=["zero-bytes", "gif", "png-cut-at-end", "png-cut-in-header", "jpeg-cut", "webp-cut", "pdf-cut"],
)
def test_unusable_files_are_refused_and_leave_nothing(app, world, data, message):
    errors = refusal(app, world, world.open(), data)
    assert message in errors["file"]


def test_over_the_size_limit_is_refused_with_the_limit_in_mb(app, world):
    data = png_bytes(size=(600, 600))
    errors = refusal(app, world, world.open(), data, max_bytes=len(data) - 1)
    assert "MB limit" in errors["file"]
    errors = refusal(app, world, world.open(), b"x" * (2 * 1024 * 1024 + 1), max_bytes=2 * 1024 * 1024)
    assert "larger than the 2 MB limit" in errors["file"]


def test_a_stream_is_read_only_up_to_the_limit(app, world):
    stream = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 5000)
    errors = refusal(app, world, world.open(), stream, max_bytes=1000)  # type: ignore[arg-type]
    assert "limit" in errors["file"]
    assert stream.tell() == 1001


@pytest.mark.parametrize("width", [100_000_000, 2**31 - 1], ids=["over-our-limit", "over-pillows-bomb-limit"])
def test_an_image_claiming_huge_dimensions_is_refused_before_decoding(app, world, monkeypatch, width):
    def no_decoding(self):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    errors = refusal(app, world, world.open(), png_claiming(width, 1))
    assert "too large" in errors["file"] and "60,000,000 pixels" in errors["file"]


def test_the_pixel_limit_is_configurable(app, world):
    errors = refusal(app, world, world.open(), png_bytes(size=(100, 100)), max_pixels=9_999)
    assert "100 x 100 pixels" in errors["file"]


def test_every_missing_or_bad_detail_is_reported_at_once(app, world):
    errors = refusal(
        app,
        world,
        world.open(),
        png_bytes(),
        description=" ",
        captured_by="",
        capture_method="  ",
        source_url="javascript:alert(1)",
        captured_at=clock.now() + timedelta(hours=2),
    )
    assert set(errors) == {"description", "captured_by", "capture_method", "source_url", "captured_at"}
    assert errors["captured_at"] == "The capture time is in the future."
    assert "http" in errors["source_url"]


def test_a_bad_file_and_bad_details_are_reported_together(app, world):
    errors = refusal(app, world, world.open(), b"not an image", description="")
    assert set(errors) == {"file", "description"}


def test_an_identical_file_is_reported_and_not_stored_twice(app, world, frozen_clock):
    case = world.open()
    data = png_bytes()
    add(app, world, case, png_bytes(color="red"))
    first = add(app, world, case, data)
    files = stored_files(app)
    with pytest.raises(InvalidInput) as refused:
        add(app, world, case, data, filename="renamed-copy.png", description="the same again")
    db.session.rollback()
    assert refused.value.errors["file"] == (
        "This file is identical to Exhibit 2, uploaded 2026-03-02 09:30 EST by Ivy Investigator (same SHA-256). "
        "It is not stored twice."
    )
    assert first.number == 2 and exhibit_count() == 2 and stored_files(app) == files


def test_the_same_file_in_another_case_shares_the_stored_original(app, world):
    data = png_bytes()
    one = add(app, world, world.open(), data)
    two = add(app, world, world.open(), data)
    assert one.sha256 == two.sha256 and (one.case_id != two.case_id)
    originals = [p for p in stored_files(app) if "originals" in p.parts]
    assert len(originals) == 1 and originals[0].read_bytes() == data


def test_a_stored_copy_that_no_longer_matches_is_not_reused(app, world):
    data = png_bytes()
    exhibit = add(app, world, world.open(), data)
    tamper(app, exhibit)
    other = world.open()
    with pytest.raises(evidence.EvidenceTampered, match="no longer match"):
        add(app, world, other, data)
    assert exhibit_count() == 1


def test_only_the_assigned_investigator_adds_exhibits_while_under_investigation(app, world):
    case = world.open()
    for user in (world.investigator2, world.supervisor):
        with pytest.raises(NotPermitted):
            add(app, world, case, png_bytes(), user=user)
    in_review = world.in_review()
    with pytest.raises(NotPermitted):
        add(app, world, in_review, png_bytes())
    assert exhibit_count() == 0 and stored_files(app) == []


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\co\\Desktop\\shot.png", "shot.png"),
        ("sho\x00t\x07.png", "shot.png"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),
        ("..", "unnamed"),
        ("", "unnamed"),
        ("a" * 400 + ".jpeg", "a" * 250 + ".jpeg"),
    ],
    ids=["dot-dot", "windows-path", "nul-and-bell", "rtl-override", "only-dots", "empty", "too-long"],
)
def test_the_original_filename_is_kept_only_in_a_safe_form(app, world, given, shown):
    exhibit = add(app, world, world.open(), png_bytes(), filename=given)
    assert exhibit.original_filename == shown
    assert all(p.name != given for p in stored_files(app))


# Thumbnails ----------------------------------------------------------------------------------------------


def test_jpeg_gps_stays_in_the_original_but_not_in_the_thumbnail(app, world):
    data = jpeg_bytes(gps=True)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the upload carries GPS
    case = world.open()
    exhibit = add(app, world, case, data)
    original = evidence.view_original(case, exhibit, world.actor(world.investigator), app.config["EVIDENCE_DIR"])
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)[2] == (41.0, 30.0, 0.0)
    png = evidence.view_thumbnail(case, exhibit, world.actor(world.investigator), app.config["EVIDENCE_DIR"])
    assert png is not None
    thumbnail = Image.open(io.BytesIO(png))
    assert thumbnail.format == "PNG" and max(thumbnail.size) == 320 and thumbnail.size == (320, 240)
    assert not thumbnail.getexif() and "exif" not in thumbnail.info
    assert b"PhoneMaker" not in png and b"eXIf" not in png and b"Exif" not in png


def test_a_pdf_has_no_thumbnail(app, world):
    case = world.open()
    exhibit = add(app, world, case, pdf_bytes())
    assert evidence.view_thumbnail(case, exhibit, world.actor(world.investigator), app.config["EVIDENCE_DIR"]) is None
    assert not (evidence_dir(app) / "derived" / "thumbs").exists()


def test_a_missing_thumbnail_is_made_again_from_the_verified_original(app, world):
    case = world.open()
    exhibit = add(app, world, case, png_bytes(size=(640, 480)))
    path = evidence_dir(app) / "derived" / "thumbs" / f"{exhibit.sha256}.png"
    path.unlink()
    png = evidence.view_thumbnail(case, exhibit, world.actor(world.supervisor), app.config["EVIDENCE_DIR"])
    assert png is not None and Image.open(io.BytesIO(png)).size == (320, 240) and path.read_bytes() == png

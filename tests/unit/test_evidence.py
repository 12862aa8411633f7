"""Evidence exhibits through the service: what is accepted and refused, how originals are stored, numbered
and verified, the chain of custody, and that a failed upload leaves nothing behind."""
from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import threading
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageFile
from sqlalchemy import func, select, text

from project import clock
from project.extensions import db
from project.models import AuditEvent, Case, Exhibit
from project.permissions import NotPermitted
from project.services import evidence
from project.services.errors import InvalidInput

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 60_000_000


# Files made on the spot (no binaries in the repository) ------------------------------------------------


def png_bytes(size: tuple[int, int] = (64, 48), color: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (800, 600), gps: bool = False) -> bytes:
    image = Image.new("RGB", size, "darkgreen")
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (41.0, 30.0, 0.0), 3: "W", 4: (72.0, 54.0, 0.0)}  # GPSInfo: Cheshire, CT
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def webp_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), "orange").save(out, "WEBP")
    return out.getvalue()


def pdf_bytes(pages: int = 2) -> bytes:
    images = [Image.new("RGB", (200, 260), "white") for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:])
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims the given dimensions (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


# Helpers -------------------------------------------------------------------------------------------------


def evidence_dir(app) -> Path:
    return Path(app.config["EVIDENCE_DIR"])


def stored_files(app) -> list[Path]:
    """Every file in the evidence store except the store's lock file."""
    root = evidence_dir(app)
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != ".lock") if root.exists() else []


def add(app, world, case: Case, data: bytes, user=None, **overrides):
    values = {
        "filename": "screenshot.png", "description": "Facebook post showing facility keys",
        "source_url": "https://facebook.example/posts/1", "captured_at": clock.now() - timedelta(hours=1),
        "captured_by": "Ivy Investigator", "capture_method": "Chrome full-page screenshot",
        "evidence_dir": app.config["EVIDENCE_DIR"], "max_bytes": MAX_BYTES, "max_pixels": MAX_PIXELS,
    } | overrides
    return evidence.add_exhibit(case, data, actor=world.actor(user or world.investigator), **values)


def exhibit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Exhibit)) or 0


def refusal(app, world, case: Case, data: bytes, **overrides) -> dict[str, str]:
    """Upload, expect a refusal, and check that it wrote no file, no row and no change to the case."""
    version, files, count = case.content_version, stored_files(app), exhibit_count()
    with pytest.raises(InvalidInput) as refused:
        add(app, world, case, data, **overrides)
    db.session.rollback()
    assert stored_files(app) == files
    assert exhibit_count() == count
    assert db.session.get(Case, case.id).content_version == version
    return refused.value.errors


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
            len(data), width, height, pages)
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
    exhibit = add(app, world, case, png_bytes(), captured_at=captured, source_url="  https://x.example/p/9 ",
                  description="  The post  ")
    assert db.session.get(Case, case.id).content_version == version + 1
    assert (exhibit.description, exhibit.source_url, exhibit.captured_at) == (
        "The post", "https://x.example/p/9", captured)
    assert exhibit.uploaded_by_id == world.investigator.id


def test_a_file_is_typed_by_its_bytes_not_its_name(app, world):
    case = world.open()
    exhibit = add(app, world, case, png_bytes(), filename="capture.pdf")
    assert exhibit.media_type == "image/png"
    errors = refusal(app, world, world.open(), b"<html><script>alert(1)</script></html>", filename="shot.png")
    assert "PNG, JPEG, WebP or PDF only" in errors["file"]


def test_numbers_run_per_case(app, world):
    first, second = world.open(), world.open()
    assert [add(app, world, first, png_bytes(color=c)).number for c in ("red", "blue")] == [1, 2]
    assert add(app, world, second, png_bytes(color="green")).number == 1


# Refusals ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"GIF89a" + b"\0" * 100, "PNG, JPEG, WebP or PDF only"),
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
    def no_decoding(self):  # noqa: ANN001
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    errors = refusal(app, world, world.open(), png_claiming(width, 1))
    assert "too large" in errors["file"] and "60,000,000 pixels" in errors["file"]


def test_the_pixel_limit_is_configurable(app, world):
    errors = refusal(app, world, world.open(), png_bytes(size=(100, 100)), max_pixels=9_999)
    assert "100 x 100 pixels" in errors["file"]


def test_every_missing_or_bad_detail_is_reported_at_once(app, world):
    errors = refusal(app, world, world.open(), png_bytes(), description=" ", captured_by="", capture_method="  ",
                     source_url="javascript:alert(1)", captured_at=clock.now() + timedelta(hours=2))
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


# Integrity and custody -----------------------------------------------------------------------------------


def tamper(app, exhibit: Exhibit) -> None:
    path = evidence_dir(app) / "originals" / exhibit.sha256[:2] / exhibit.sha256
    path.chmod(0o640)
    path.write_bytes(path.read_bytes()[:-1] + b"!")


def test_a_tampered_original_is_never_served(app, world):
    case = world.open()
    exhibit = add(app, world, case, png_bytes())
    tamper(app, exhibit)
    with pytest.raises(evidence.EvidenceTampered) as failure:
        evidence.view_original(case, exhibit, world.actor(world.supervisor), app.config["EVIDENCE_DIR"])
    assert "Exhibit 1 no longer matches the SHA-256 recorded when it was uploaded" in str(failure.value)
    assert exhibit.sha256 in str(failure.value)
    actions = [e.action for e in evidence.custody_log(exhibit)]
    assert actions == ["exhibit.uploaded", "exhibit.integrity_failed"]


def test_a_missing_original_is_reported_as_such(app, world):
    case = world.open()
    exhibit = add(app, world, case, pdf_bytes())
    (evidence_dir(app) / "originals" / exhibit.sha256[:2] / exhibit.sha256).unlink()
    with pytest.raises(evidence.EvidenceTampered, match="Exhibit 1 is missing"):
        evidence.download_original(case, exhibit, world.actor(world.investigator), app.config["EVIDENCE_DIR"])


def test_every_upload_view_and_download_is_in_the_chain_of_custody(app, world, frozen_clock):
    case = world.open()
    exhibit = add(app, world, case, png_bytes())
    root = app.config["EVIDENCE_DIR"]
    frozen_clock.advance(minutes=5)
    evidence.view_original(case, exhibit, world.actor(world.supervisor), root)
    frozen_clock.advance(minutes=5)
    evidence.download_original(case, exhibit, world.actor(world.investigator), root)
    frozen_clock.advance(minutes=5)
    evidence.view_thumbnail(case, exhibit, world.actor(world.supervisor), root)
    log = evidence.custody_log(exhibit)
    assert [(e.action, e.actor_id) for e in log] == [
        ("exhibit.uploaded", world.investigator.id), ("exhibit.viewed", world.supervisor.id),
        ("exhibit.downloaded", world.investigator.id), ("exhibit.thumbnail_viewed", world.supervisor.id),
    ]
    assert all(e.detail["sha256"] == exhibit.sha256 and e.detail["number"] == 1 for e in log)
    assert all(e.case_id == case.id and e.remote_addr == "192.0.2.10" for e in log)
    assert [e.occurred_at.minute for e in log] == [30, 35, 40, 45]


def test_someone_who_may_not_see_the_case_gets_no_bytes_and_leaves_no_event(app, world):
    case = world.open()
    exhibit = add(app, world, case, png_bytes())
    for user in (world.investigator2, world.labor, world.admin):
        with pytest.raises(NotPermitted):
            evidence.view_original(case, exhibit, world.actor(user), app.config["EVIDENCE_DIR"])
    assert [e.action for e in evidence.custody_log(exhibit)] == ["exhibit.uploaded"]


# Crash safety and concurrency ----------------------------------------------------------------------------


# A failure between writing the file and committing (an exception, and a killed process) is in
# tests/test_fault_injection.py, with the other injected faults.


def test_a_crash_keeps_a_stored_original_that_another_exhibit_uses(app, world, monkeypatch):
    data = png_bytes()
    kept = add(app, world, world.open(), data)
    files = stored_files(app)

    def power_cut(*args, **kwargs):  # noqa: ANN002, ANN003
        raise RuntimeError("power cut")

    monkeypatch.setattr(evidence, "record_for", power_cut)
    with pytest.raises(RuntimeError):
        add(app, world, world.open(), data)
    assert stored_files(app) == files
    assert evidence.open_original(kept, app.config["EVIDENCE_DIR"]) == data


def test_an_upload_still_saves_when_the_case_changed_since_it_was_loaded(app, world):
    case = world.open()
    assert case.row_version  # loaded now; someone else saves the case before the upload writes
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET row_version = row_version + 1 WHERE id = :id"), {"id": case.id})
    exhibit = add(app, world, case, png_bytes())
    assert exhibit.number == 1 and exhibit_count() == 1


def test_uploads_to_one_case_at_the_same_moment_get_distinct_numbers(app, world):
    case_id, user_id = world.open().id, world.investigator.id
    numbers: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def upload(color: str) -> None:
        with app.app_context():
            try:
                from project.models import User

                user = db.session.get(User, user_id)
                case = db.session.get(Case, case_id)
                barrier.wait()
                numbers.append(add(app, world, case, png_bytes(color=color), user=user).number)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=upload, args=(color,)) for color in ("red", "green", "blue")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [1, 2, 3]
    assert len(stored_files(app)) == 9  # three originals, three thumbnails, three print renditions
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "exhibit.uploaded")) == 3


def test_no_temporary_files_are_left_in_the_store(app, world):
    add(app, world, world.open(), png_bytes())
    leftovers = [name for _, _, names in os.walk(evidence_dir(app)) for name in names if name.startswith(".incoming")]
    assert leftovers == []

"""Hostile uploads, built here from nothing (no binary fixtures), each sent through the real upload form by the
assigned investigator of an open case, with the form's CSRF token.

Hostile inputs tried: 15 (8 refused, 6 accepted and stored safely, 1 JPEG with GPS EXIF followed into every
derivative). A refused input gets a clear message (400, or 413 for a request over the whole-request limit,
never a 500) and leaves no exhibit row, no audit event and no file in the evidence store. An accepted one is
stored under its SHA-256 only, its bytes unchanged, its typed name kept only in a safe form and never used
as a path, and is served back only as an image, with nosniff and a sandbox.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageFile
from pypdf import PdfReader
from sqlalchemy import func, select

from project.extensions import db
from project.models import AuditEvent, Case, Exhibit
from project.services import casework, evidence
from tests.factories import answer_just_cause

MB = 1024 * 1024
STORED_NAME = re.compile(
    r"originals/[0-9a-f]{2}/[0-9a-f]{64}|derived/thumbs/[0-9a-f]{64}\.png"
    rf"|derived/print/{evidence.RENDITION_VERSION}/[0-9a-f]{{64}}\.jpg|\.lock"
)


def rendition_of(app, sha: str) -> bytes:
    return Path(app.config["EVIDENCE_DIR"], "derived", "print", evidence.RENDITION_VERSION, f"{sha}.jpg").read_bytes()


FIELDS = {
    "description": "Capture of the post",
    "source_url": "https://facebook.example/posts/9",
    "captured_at": "2026-03-01T08:15",
    "captured_by": "Ivy Investigator",
    "capture_method": "Snipping tool",
}


# The corpus, made on the spot --------------------------------------------------------------------------


def png(size: tuple[int, int] = (64, 48), color: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb() -> bytes:
    """One real row of one pixel, under a header claiming 100,000 x 100,000 (10 billion pixels)."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
        + png_chunk(b"IEND", b"")
    )


def png_zip_polyglot() -> bytes:
    """A whole PNG with a ZIP (holding an HTML page with a script) appended: both readers accept it."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.html", "<script>alert(document.cookie)</script>")
    return png(color="teal") + archive.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (41.0, 30.0, 0.0), 3: "W", 4: (72.0, 54.0, 0.0)}  # GPSInfo: Cheshire, CT
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "darkgreen").save(out, "JPEG", exif=exif)
    return out.getvalue()


HTML = b"<html><body><script>fetch('/admin/users').then(r => r.text()).then(alert)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)
NOT_OURS = "not one Casefile takes, whatever its name says"
REFUSED = [  # (the bytes, the name given, the status, what the person is told)
    pytest.param(lambda: HTML, "screenshot.png", 400, NOT_OURS, id="html-with-script-named-png"),
    pytest.param(lambda: SVG, "screenshot.png", 400, NOT_OURS, id="svg-with-script-named-png"),
    pytest.param(
        lambda: b"\x89PNG\r\n\x1a\n" + HTML,
        "screenshot.png",
        400,
        "PNG image is damaged or incomplete",
        id="png-signature-then-html",
    ),
    pytest.param(
        lambda: png((640, 480))[:-40], "cut.png", 400, "PNG image is damaged or incomplete", id="truncated-png"
    ),
    pytest.param(
        png_bomb,
        "bomb.png",
        400,
        "refused without being opened (it could be a decompression bomb)",
        id="1px-png-claiming-100000x100000",
    ),
    pytest.param(lambda: b"", "empty.png", 400, "The file is empty (0 bytes).", id="zero-bytes"),
    pytest.param(
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(25 * MB - 7),
        "big.png",
        400,
        "The file is larger than the 25 MB limit for one image or PDF exhibit.",
        id="25-mb-plus-one-byte",
    ),
    pytest.param(
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(30 * MB),
        "huge.png",
        400,  # within the request limit, which a video's limit (200 MB) sets: refused by the image limit
        "The file is larger than the 25 MB limit for one image or PDF exhibit.",
        id="30-mb",
    ),
]
ACCEPTED = [  # (the bytes, the name given, the name kept for display)
    pytest.param(png_zip_polyglot, "holiday.png", "holiday.png", id="png-zip-polyglot"),
    pytest.param(png, "../../../../passwd.png", "passwd.png", id="name-with-dot-dot"),  # would land in tmp_path
    # An old browser's full Windows path: the form parser reads each backslash as a quoting escape.
    pytest.param(png, "C:\\Windows\\System32\\shot.png", "C:WindowsSystem32shot.png", id="name-with-windows-path"),
    pytest.param(png, "shot\x00.php.png", "shot.php.png", id="name-with-nul"),
    pytest.param(png, "a" * 296 + ".png", "a" * 251 + ".png", id="name-300-characters"),
    pytest.param(png, "exhibit\u202egnp.exe", "exhibitgnp.exe", id="name-with-right-to-left-override"),
]
HOSTILE_INPUTS = len(REFUSED) + len(ACCEPTED) + 1  # and the JPEG with GPS below
assert HOSTILE_INPUTS == 15


# Helpers ---------------------------------------------------------------------------------------------------


@pytest.fixture()
def upload(post_form):
    def upload(client, case: Case, data: bytes, filename: str):
        form = FIELDS | {"file": (io.BytesIO(data), filename)}
        return post_form(client, f"/cases/{case.number}/exhibits/new", form, content_type="multipart/form-data")

    return upload


def files_under(root: Path, skip: Path | None = None) -> dict[str, str]:
    """Every file under ``root`` (lock and hidden temporaries included) with the SHA-256 of its bytes."""
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and (skip is None or skip not in p.parents)
    }


def uploads_recorded() -> tuple[int, int]:
    exhibits = db.session.scalar(select(func.count()).select_from(Exhibit))
    events = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "exhibit.uploaded")
    )
    return exhibits or 0, events or 0


def content_version(case: Case) -> int:
    return db.session.scalar(select(Case.content_version).where(Case.id == case.id)) or 0


# Refused ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("make", "filename", "status", "message"), REFUSED)
def test_a_hostile_file_is_refused_with_a_message_and_leaves_nothing(
    app, client, world, monkeypatch, make, filename, status, message, sign_in, upload
):
    """ASVS 12.1.1 (size), 12.1.2 (decompression bomb), 12.2.1 (type by content), 7.4.1 (a message, not a 500)."""
    decoded: list[str] = []
    real_load = ImageFile.ImageFile.load

    def spy_load(image):
        decoded.append(image.format)
        return real_load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy_load)
    case = world.open()
    version, store = content_version(case), files_under(Path(app.config["EVIDENCE_DIR"]))
    sign_in(client, "inv1@example.test")
    response = upload(client, case, make(), filename)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert uploads_recorded() == (0, 0)
    assert content_version(case) == version
    assert files_under(Path(app.config["EVIDENCE_DIR"])) == store  # not even a temporary file or a lock
    if filename == "bomb.png":
        assert decoded == []  # refused from the header alone, before a pixel was decompressed


# Accepted and stored safely ----------------------------------------------------------------------------


@pytest.mark.parametrize(("make", "filename", "shown"), ACCEPTED)
def test_a_hostile_name_or_polyglot_is_stored_by_hash_and_served_only_as_an_image(
    app, client, world, tmp_path, make, filename, shown, sign_in, upload
):
    """ASVS 12.3.1 (the typed name is never a path), 12.4.1 (stored outside the web root, by hash),
    12.5.2 (served as an image with nosniff, a sandbox, and as an attachment on download)."""
    evidence_dir = Path(app.config["EVIDENCE_DIR"])
    outside = files_under(tmp_path, skip=evidence_dir)
    case, data = world.open(), make()
    sign_in(client, "inv1@example.test")
    response = upload(client, case, data, filename)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case.number}/exhibits/1")
    exhibit = db.session.scalars(select(Exhibit)).one()
    assert exhibit.sha256 == hashlib.sha256(data).hexdigest() and exhibit.original_filename == shown
    stored = files_under(evidence_dir)
    assert stored[f"originals/{exhibit.sha256[:2]}/{exhibit.sha256}"] == exhibit.sha256  # the bytes, unchanged
    assert all(STORED_NAME.fullmatch(name) for name in stored), sorted(stored)
    assert files_under(tmp_path, skip=evidence_dir) == outside  # nothing written anywhere a name pointed
    page = client.get(f"/cases/{case.number}/exhibits/1").get_data(as_text=True)
    assert f"<dd>{shown}</dd>" in page and "\u202e" not in page and "\x00" not in page
    served = client.get(f"/cases/{case.number}/exhibits/1/original")
    assert served.data == data and served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    download = client.get(f"/cases/{case.number}/exhibits/1/download")
    assert download.data == data and download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"] == f"attachment; filename={case.number}-exhibit-1.png"


def test_the_polyglots_zip_stays_only_in_the_original_never_in_what_is_derived_from_it(
    app, client, world, sign_in, upload
):
    """ASVS 12.2.1, 12.5.2: the thumbnail and print rendition are re-encoded pixels; the appended ZIP is gone."""
    data = png_zip_polyglot()
    assert zipfile.is_zipfile(io.BytesIO(data)) and Image.open(io.BytesIO(data)).format == "PNG"
    case = world.open()
    sign_in(client, "inv1@example.test")
    assert upload(client, case, data, "holiday.png").status_code == 302
    sha = hashlib.sha256(data).hexdigest()
    thumbnail = client.get(f"/cases/{case.number}/exhibits/1/thumbnail").data
    rendition = Path(
        app.config["EVIDENCE_DIR"], "derived", "print", evidence.RENDITION_VERSION, f"{sha}.jpg"
    ).read_bytes()
    for derived in (thumbnail, rendition):
        assert b"PK\x03\x04" not in derived and b"<script>" not in derived
        assert not zipfile.is_zipfile(io.BytesIO(derived))


# GPS in a JPEG: kept in the original, in nothing derived ---------------------------------------------------


def exif_of(data: bytes) -> tuple[dict, dict]:
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return dict(exif), dict(exif.get_ifd(0x8825))


def test_gps_exif_stays_in_the_original_and_leaves_no_trace_in_thumbnail_rendition_or_packet(
    app, client, world, sign_in, upload, print_packet
):
    """ASVS 8.3.4 (where the photographer stood is sensitive data): the original is evidence and keeps every
    byte; the thumbnail, the print rendition and the images printed in the packet carry no EXIF at all."""
    data = jpeg_with_gps()
    assert exif_of(data)[1][2] == (41.0, 30.0, 0.0)
    case = world.ready_for_review()
    sign_in(client, "inv1@example.test")
    assert upload(client, case, data, "IMG_0042.jpg").status_code == 302
    exhibit = db.session.scalars(select(Exhibit)).one()
    assert exhibit.sha256 == hashlib.sha256(data).hexdigest()
    original = client.get(f"/cases/{case.number}/exhibits/1/download").data
    assert hashlib.sha256(original).hexdigest() == exhibit.sha256 and exif_of(original)[1][1] == "N"
    thumbnail = client.get(f"/cases/{case.number}/exhibits/1/thumbnail").data
    rendition = Path(
        app.config["EVIDENCE_DIR"], "derived", "print", evidence.RENDITION_VERSION, f"{exhibit.sha256}.jpg"
    ).read_bytes()
    for derived in (thumbnail, rendition):
        assert exif_of(derived) == ({}, {}) and b"PhoneMaker" not in derived
    db.session.expire_all()  # the uploads were other requests' sessions
    casework.submit_for_review(case, world.actor(world.investigator))
    answer_just_cause(case, world.actor(world.supervisor))
    casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    evidence.review_for_release(case, exhibit, "releasable", "Shows only the post.", world.actor(world.labor))
    labor, supervisor = app.test_client(), app.test_client()
    sign_in(labor, "lr@example.test")
    sign_in(supervisor, "sup@example.test")  # the internal packet names the reporter: labor may not print it
    for variant in ("full", "redacted"):
        reader = PdfReader(io.BytesIO(print_packet(supervisor if variant == "full" else labor, case, variant)))
        images = [image.data for page in reader.pages for image in page.images]
        assert images, "the exhibit is printed as an image"
        for printed in images:
            assert exif_of(printed) == ({}, {}) and b"PhoneMaker" not in printed
        attached = [content for contents in reader.attachments.values() for content in contents]
        # The full packet carries the original, unchanged, as the evidence; the release copy carries nothing.
        assert attached == ([original] if variant == "full" else [])


@pytest.fixture()
def print_packet(post_form):
    def print_packet(client, case: Case, variant: str) -> bytes:
        data = {"variant": variant, "recipient": "union, grievance step 2"}  # a release names its recipient
        started = post_form(client, f"/cases/{case.number}/packet", data)
        assert started.status_code == 302, started.get_data(as_text=True)
        download = client.get(started.headers["Location"] + "/download")
        assert download.status_code == 200 and download.mimetype == "application/pdf"
        return download.data

    return print_packet

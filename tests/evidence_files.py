"""Exhibit files made on the spot (no binaries in the repository) and the helpers the evidence tests
share: upload through the service, and check that a refusal left nothing behind."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from project import clock
from project.extensions import db
from project.models import Case, Exhibit
from project.services import evidence
from project.services.errors import InvalidInput

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 60_000_000


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
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


# Helpers -------------------------------------------------------------------------------------------------


def evidence_dir(app) -> Path:
    return Path(app.config["EVIDENCE_DIR"])


def stored_files(app) -> list[Path]:
    """Every file in the evidence store except the store's lock file."""
    root = evidence_dir(app)
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != ".lock") if root.exists() else []


def add(app, world, case: Case, data: bytes, user=None, **overrides):
    settings = {"evidence_dir": app.config["EVIDENCE_DIR"], "max_bytes": MAX_BYTES, "max_pixels": MAX_PIXELS}
    settings["media_rules"] = None  # audio and video as large as max_bytes, read with ffmpeg when installed
    values = {
        "filename": "screenshot.png",
        "description": "Facebook post showing facility keys",
        "source_url": "https://facebook.example/posts/1",
        "captured_at": clock.now() - timedelta(hours=1),
        "captured_by": "Ivy Investigator",
        "capture_method": "Chrome full-page screenshot",
    }
    for key, value in overrides.items():
        (settings if key in settings else values)[key] = value
    return evidence.add_exhibit(
        case,
        evidence.ExhibitInput(file=data, **values),
        world.actor(user or world.investigator),
        evidence.EvidenceSettings(**settings),
    )


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


def tamper(app, exhibit: Exhibit) -> None:
    path = evidence_dir(app) / "originals" / exhibit.sha256[:2] / exhibit.sha256
    path.chmod(0o640)
    path.write_bytes(path.read_bytes()[:-1] + b"!")


# Hidden data: files that carry it, and readers of what a file's bytes hold ---------------------------------

SECRET = b"secret comment"


def jpeg_with_secrets(size: tuple[int, int] = (160, 120), icc: bytes | None = None) -> bytes:
    """A JPEG with every place a secret hides: a COM segment, EXIF (with GPS), XMP and an ICC profile."""
    image = Image.new("RGB", size, (200, 120, 40))
    for x in range(0, size[0], 8):
        image.paste((30, 90, 200), (x, 0, x + 4, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (41.0, 33.0, 12.5), 3: "W", 4: (72.0, 55.0, 3.25)})
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        quality=95,
        comment=SECRET,
        exif=exif,
        xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>XMP-SECRET</x:xmpmeta>",
        icc_profile=icc or b"ICC-PROFILE-SECRET" * 8,
    )
    data = out.getvalue()
    assert SECRET in data and b"XMP-SECRET" in data and b"PhoneMaker" in data
    return data


def png_with_secrets(size: tuple[int, int] = (160, 120)) -> bytes:
    """A PNG with text (tEXt, iTXt, zTXt), eXIf and iCCP chunks."""
    from PIL import ImageCms, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET.decode())
    info.add_itxt("Author", "ITXT-SECRET")
    info.add_text("Title", "ZTXT-SECRET", zip=True)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, "PNG", pnginfo=info, exif=exif, icc_profile=srgb)
    data = out.getvalue()
    assert {b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP"} <= set(png_chunk_types(data))
    return data


def png_chunk_types(data: bytes) -> list[bytes]:
    """The chunk types of a PNG, in order."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        chunks.append(kind)
        at += 12 + length
    return chunks


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """The marker segments of a JPEG, in order: (marker, the first bytes of its payload). The entropy-coded
    data after a start-of-scan is skipped (0xFF 0x00 stuffing and restart markers are part of it)."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    segments: list[tuple[int, bytes]] = [(0xD8, b"")]
    at = 2
    while at < len(data):
        assert data[at] == 0xFF, f"no marker at byte {at}"
        while data[at] == 0xFF:  # fill bytes
            at += 1
        marker = data[at]
        at += 1
        if marker == 0xD9:
            segments.append((marker, b""))
            break
        (length,) = struct.unpack(">H", data[at : at + 2])
        segments.append((marker, data[at + 2 : at + 2 + min(length - 2, 14)]))
        at += length
        if marker == 0xDA:
            while not (data[at] == 0xFF and data[at + 1] != 0x00 and not 0xD0 <= data[at + 1] <= 0xD7):
                at += 1
    return segments


def metadata_segments(data: bytes) -> list[tuple[int, bytes]]:
    """The segments of a JPEG that carry anything but pixels: every APPn except a JFIF APP0, and COM."""
    return [
        (marker, payload)
        for marker, payload in jpeg_segments(data)
        if marker == 0xFE or (0xE0 <= marker <= 0xEF and not (marker == 0xE0 and payload.startswith(b"JFIF\x00")))
    ]

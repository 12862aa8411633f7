"""What an uploaded file is, from its bytes alone: the type by magic number (never by name), whole or
damaged, its size in pixels or pages, and a thumbnail made from decoded pixels only. A file that fails any
check is refused with ``InvalidInput({"file": ...})`` before anything is stored (``evidence.add_exhibit``)."""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageFile, ImageOps

from project.services.errors import InvalidInput
from project.services.evidence import heif, media
from project.services.evidence.media_tools import OFF as FFMPEG_OFF
from project.services.evidence.media_tools import MediaToolFailed, media_file, probe
from project.services.evidence.pdf_worker import PdfLimits, PdfWorkerFailed, read_facts
from project.services.evidence.renditions import PDF_DPI
from project.services.evidence.store import sha256_of

MB = 1024 * 1024
ACCEPTED = "PNG, JPEG, WebP, HEIC or PDF; MP3, M4A or WAV audio; MP4 or MOV video"
# what the upload form's file chooser offers (the bytes decide, not this): HEIC as both names the phones use
ACCEPT_ATTRIBUTE = (
    "image/png,image/jpeg,image/webp,image/heic,image/heif,.heic,.heif,application/pdf,.pdf,"
    "audio/mpeg,.mp3,audio/mp4,audio/x-m4a,.m4a,audio/wav,audio/x-wav,.wav,video/mp4,.mp4,video/quicktime,.mov"
)
THUMBNAIL_MAX = 320
PDF_TAIL = 1024  # "%%EOF" must appear within the last KiB
PILLOW_FORMATS = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/webp": "WEBP",
    heif.HEIF_MEDIA_TYPE: heif.PILLOW_FORMAT,
}
KINDS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP", heif.PILLOW_FORMAT: "HEIC"}


@dataclass(frozen=True)
class InspectedFile:
    """What the bytes of an upload turned out to be."""

    data: bytes
    sha256: str
    media_type: str
    width: int | None = None
    height: int | None = None
    page_count: int | None = None
    thumbnail: bytes | None = None
    active_content: str | None = None  # a PDF's kinds of active content, e.g. "JavaScript, launch action"
    duration_ms: int | None = None  # audio and video, read by ffprobe (None: ffmpeg is not installed)


def _refuse(message: str) -> InvalidInput:
    return InvalidInput({"file": message})


def read_limited(data: bytes | BinaryIO, max_bytes: int) -> bytes:
    """The upload's bytes, reading at most one byte past the limit from a stream."""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    chunks, remaining = [], max_bytes + 1
    while remaining > 0:
        chunk = data.read(min(remaining, MB))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def sniff_media_type(data: bytes) -> str | None:
    """The type by magic number, never by the file's name or the browser's word for it."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if heif.is_heif(data):
        return heif.HEIF_MEDIA_TYPE
    return media.sniff_media(data)


def pillow_formats(media_type: str) -> list[str]:
    """The Pillow format to open an image of ``media_type`` with (HEIC's opener registered first, if here)."""
    if media_type == heif.HEIF_MEDIA_TYPE:
        heif.heif_support()
    return [PILLOW_FORMATS[media_type]]


def inspect_file(
    data: bytes,
    filename: str,
    max_bytes: int,
    max_pixels: int,
    pdf_limits: PdfLimits | None = None,
    media_rules: media.MediaRules | None = None,
) -> InspectedFile:
    """Decide what an upload is and check it is whole, or refuse it with ``InvalidInput({"file": ...})``.
    A PDF's pages are limited by ``pdf_limits`` (by default 200 pages of at most ``max_pixels`` each); audio
    and video by ``media_rules``' sizes per type (by default as large as ``max_bytes``)."""
    media_rules = media_rules or media.MediaRules(max_bytes, max_bytes)
    largest = max(max_bytes, media_rules.max_audio_bytes, media_rules.max_video_bytes)
    if not data:
        raise _refuse("Choose a file to upload." if not filename else "The file is empty (0 bytes).")
    if len(data) > largest:
        raise _refuse(f"The file is larger than the {largest / MB:.3g} MB limit for one exhibit.")
    media_type = sniff_media_type(data)
    if media_type is None:
        raise _refuse(f"This file is not one Casefile takes, whatever its name says: {ACCEPTED}.")
    if media_type in media.MEDIA_KINDS:
        if problem := media_rules.too_large(media_type, len(data)):
            raise _refuse(problem)
        return _inspect_media(data, media_type, media_rules)
    if len(data) > max_bytes:
        raise _refuse(f"The file is larger than the {max_bytes / MB:.3g} MB limit for one image or PDF exhibit.")
    if media_type == heif.HEIF_MEDIA_TYPE and not heif.heif_support():
        raise _refuse(heif.SUPPORT_OFF)
    if media_type == "application/pdf":
        return _inspect_pdf(data, pdf_limits or PdfLimits(max_page_pixels=max_pixels))
    return _inspect_image(data, media_type, max_pixels)


def _inspect_media(data: bytes, media_type: str, rules: media.MediaRules) -> InspectedFile:
    """Walk the container, then (when ffmpeg is installed) read the duration and picture size with ffprobe,
    refusing what it cannot read. An MP4 holding sound only is an M4A whatever its brand says."""
    media.check_structure(data, media_type)
    if not rules.tools.available():
        return InspectedFile(data=data, sha256=sha256_of(data), media_type=media_type)
    try:
        with media_file(data) as path:
            facts = probe(path, media.DEMUXERS[media_type], rules.tools)
    except MediaToolFailed as failure:
        if FFMPEG_OFF in str(failure):
            return InspectedFile(data=data, sha256=sha256_of(data), media_type=media_type)
        raise _refuse(f"{media.damaged(media_type)} ({failure})") from None
    if media_type == "video/mp4" and not facts.has_video and facts.has_audio:
        media_type = "audio/mp4"
    if not facts.has_audio and not facts.has_video:
        raise _refuse(f"{media.damaged(media_type)} (it holds no sound and no picture)")
    return InspectedFile(
        data=data,
        sha256=sha256_of(data),
        media_type=media_type,
        width=facts.width,
        height=facts.height,
        duration_ms=facts.duration_ms,
    )


def _inspect_pdf(data: bytes, limits: PdfLimits) -> InspectedFile:
    """Check the PDF is whole and within the page limits, reading it only in a worker process under memory
    and time limits (``pdf_worker``). Active content is not refused, it is evidence: it is recorded, so the
    exhibit page and the packet can warn whoever opens the original."""
    if b"%%EOF" not in data[-PDF_TAIL:]:
        raise _refuse(
            "The PDF is incomplete (it has no end-of-file marker): it may have been cut off. "
            "Capture or download it again."
        )
    try:
        facts = read_facts(data, limits)
    except PdfWorkerFailed as failure:  # names the limit: pages, memory or time
        raise _refuse(str(failure)) from None
    if facts.page_count == 0:
        raise _refuse("The PDF has no page.")
    for number, (width, height) in enumerate(facts.page_sizes, start=1):
        if width * height * (PDF_DPI / 72) ** 2 > limits.max_page_pixels:
            raise _refuse(_page_too_large(number, width, height, limits.max_page_pixels))
    return InspectedFile(
        data=data,
        sha256=sha256_of(data),
        media_type="application/pdf",
        page_count=facts.page_count,
        active_content=", ".join(facts.active_content) or None,
    )


def _page_too_large(number: int, width: float, height: float, max_pixels: int) -> str:
    side = math.sqrt(max_pixels) * 72 / PDF_DPI  # points of the largest square page
    return (
        f"Page {number} is {width:,.0f} x {height:,.0f} points ({width / 72:,.0f} x {height / 72:,.0f} inches); "
        f"the largest page accepted is {max_pixels / 1e6:,.0f} megapixels when printed at {PDF_DPI} dpi, "
        f"about {side:,.0f} x {side:,.0f} points ({side / 72:,.0f} inches square)."
    )


def _inspect_image(data: bytes, media_type: str, max_pixels: int) -> InspectedFile:
    """Read the dimensions from the header and refuse a decompression bomb before any pixel is decoded;
    then ``verify()`` the structure and decode every pixel on a second opening to catch truncation."""
    # WeasyPrint sets this process-wide flag when imported; a truncated exhibit must be refused, not padded.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    formats = pillow_formats(media_type)
    kind = KINDS[formats[0]]
    corrupt = f"The {kind} image is damaged or incomplete and cannot be read. Capture or export it again."
    try:
        with warnings.catch_warnings(action="ignore", category=Image.DecompressionBombWarning):
            with Image.open(io.BytesIO(data), formats=formats) as header:
                width, height = header.size
                if width * height > max_pixels:
                    raise _refuse(_too_many_pixels(width, height, max_pixels))
                header.verify()
            with Image.open(io.BytesIO(data), formats=formats) as image:
                image.load()
                thumbnail = make_thumbnail(image)
    except InvalidInput:
        raise
    except Image.DecompressionBombError:
        raise _refuse(_too_many_pixels(None, None, max_pixels)) from None
    except Exception:
        raise _refuse(corrupt) from None
    return InspectedFile(
        data=data, sha256=sha256_of(data), media_type=media_type, width=width, height=height, thumbnail=thumbnail
    )


def _too_many_pixels(width: int | None, height: int | None, max_pixels: int) -> str:
    size = f" ({width:,} x {height:,} pixels)" if width is not None else ""
    return (
        f"The image is too large{size}: the limit is {max_pixels:,} pixels, so it was refused without "
        "being opened (it could be a decompression bomb)."
    )


def make_thumbnail(image: Image.Image) -> bytes:
    """A PNG at most 320 pixels on a side, made from the decoded pixels only: no EXIF, GPS or other
    metadata of the original is carried over."""
    try:
        image = ImageOps.exif_transpose(image) or image  # show it the right way up
    except Exception:  # noqa: S110 - a broken orientation tag only means the thumbnail is unrotated
        pass
    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    pixels = image.convert("RGBA" if alpha else "RGB")
    pixels.thumbnail((THUMBNAIL_MAX, THUMBNAIL_MAX))
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, "PNG")
    return out.getvalue()

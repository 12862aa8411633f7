"""Print renditions of exhibits: prepared once and kept, so a packet does not re-encode pixels each time.

Screenshots are stored losslessly (the original is always kept and attached to the full packet); for
printing, each page image is encoded once as a JPEG at quality 92 with no chroma subsampling (4:4:4),
which keeps small text crisp at print size while WeasyPrint can pass JPEG data through untouched.
A PDF capture is rasterised page by page at 150 dpi.

Because WeasyPrint passes the JPEG through, whatever the rendition holds goes into the packet; so a
rendition is made from the pixels alone (converted to sRGB first when the original has an ICC profile)
and holds no metadata segment: only the JFIF APP0 header, the tables and the scan.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from project.services.evidence import heif
from project.services.evidence.derived import DerivedFiles
from project.services.evidence.media import DEMUXERS
from project.services.evidence.media_tools import MediaLimits, frame_at, frame_times, media_file, probe
from project.services.evidence.pdf_worker import PdfLimits
from project.services.evidence.store import _checked

JPEG_QUALITY = 92
PDF_DPI = 150
RENDITION_VERSION = "r3"  # change when the encoding changes, so old renditions are not reused
# r2: pixels only; r1 renditions could carry the original's JPEG comment (COM) segment
# r3: with optimize=True Pillow failed ("broken data stream") on any image above about 1 byte per pixel (a
#     noisy photo), so the rendition, and every packet of its case, could not be made: such an image is now
#     encoded again without Huffman optimisation


def rendition_path(evidence_dir: str, sha256: str, page: int | None = None) -> Path:
    suffix = f"-p{page:04d}" if page is not None else ""
    return Path(evidence_dir) / "derived" / "print" / RENDITION_VERSION / f"{_checked(sha256)}{suffix}.jpg"


def _in_srgb(image: Image.Image) -> Image.Image:
    """The pixels converted to sRGB when the image carries an ICC profile (a phone's Display P3, say), so
    the colours stay right once the profile is dropped; unchanged when there is none or it cannot be read."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted or image


def _pixels_only(image: Image.Image) -> Image.Image:
    """Upright, in sRGB, flattened on white, as a fresh RGB or L image: only pixels, no ``info`` at all,
    so nothing of the original (EXIF, XMP, ICC profile, JPEG comment, PNG text) can follow into the JPEG."""
    image = _in_srgb(ImageOps.exif_transpose(image) or image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _jpeg(image: Image.Image) -> bytes:
    """The JPEG holds its JFIF header, tables and pixels: no EXIF, XMP, ICC, COM or other APPn segment.
    Huffman tables are optimised (about 12% smaller for a screenshot) unless Pillow cannot: see r3."""
    pixels = _pixels_only(image)
    try:
        return _encoded(pixels, optimize=True)
    except OSError:  # "broken data stream": a noisy image above about 1 byte per pixel
        return _encoded(pixels, optimize=False)


def _encoded(pixels: Image.Image, optimize: bool) -> bytes:
    out = io.BytesIO()
    pixels.save(out, format="JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=optimize)
    return out.getvalue()


def image_rendition(evidence_dir: str, sha256: str, data: bytes, files: DerivedFiles | None = None) -> bytes:
    """The JPEG print rendition of an image whose verified bytes ``data`` hash to ``sha256``: made once and
    recorded with its SHA-256, then read back while it matches; made again from ``data`` when it does not."""
    files = files or DerivedFiles(evidence_dir)
    path = rendition_path(evidence_dir, sha256)
    kept = files.read(path, sha256)
    if kept is not None:
        return kept
    if heif.is_heif(data):
        heif.heif_support()  # a HEIC photo is printed from its decoded pixels
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        rendition = _jpeg(image)
    files.write("print", path, rendition, sha256)
    return rendition


def pdf_renditions(
    evidence_dir: str, sha256: str, data: bytes, files: DerivedFiles | None = None, limits: PdfLimits | None = None
) -> list[bytes]:
    """One JPEG per page of a PDF capture, rasterised at 150 dpi (made once and recorded, then read back while
    each page matches its SHA-256). The PDF is opened and drawn only in a worker process with memory and time
    limits (``pdf_worker``); a PDF beyond them raises ``PdfBeyondLimits`` with a message that names the limit."""
    from project.services.evidence.pdf_worker import open_pdf

    files = files or DerivedFiles(evidence_dir)
    with open_pdf(data, limits) as document:
        pages = []
        for index in range(document.page_count):
            path = rendition_path(evidence_dir, sha256, index + 1)
            kept = files.read(path, sha256)
            if kept is not None:
                pages.append(kept)
                continue
            drawn = document.render(index, PDF_DPI)
            size, layout = (drawn.width, drawn.height), (drawn.raw_mode, drawn.stride, 1)
            rendition = _jpeg(Image.frombuffer(drawn.mode, size, drawn.data, "raw", *layout))
            files.write("print", path, rendition, sha256)
            pages.append(rendition)
        return pages


def frame_path(evidence_dir: str, sha256: str, index: int) -> Path:
    """Where a video's key frame ``index`` (from 1) is kept, beside the print renditions."""
    return Path(evidence_dir) / "derived" / "print" / RENDITION_VERSION / f"{_checked(sha256)}-f{index:04d}.jpg"


def video_frames(
    evidence_dir: str,
    sha256: str,
    data: bytes,
    media_type: str,
    tools: MediaLimits,
    duration_ms: int | None,
    files: DerivedFiles | None = None,
) -> list[tuple[float, bytes]]:
    """A video's key frames for the packet: ``KEY_FRAMES`` evenly spaced moments (seconds) and each frame as a
    pixels-only JPEG, made once with ffmpeg from the verified bytes ``data`` and recorded with their SHA-256,
    then read back while they match. Raises ``MediaToolFailed`` when ffmpeg is off or cannot draw a frame."""
    files = files or DerivedFiles(evidence_dir)
    times = frame_times(duration_ms)
    kept = [files.read(frame_path(evidence_dir, sha256, i), sha256) for i in range(1, len(times) + 1)]
    if duration_ms is not None and all(frame is not None for frame in kept):
        return [(moment, frame) for moment, frame in zip(times, kept, strict=True) if frame is not None]
    frames = []
    with media_file(data) as path:
        if duration_ms is None:  # uploaded before ffmpeg was installed: its length is read now
            times = frame_times(probe(path, DEMUXERS[media_type], tools).duration_ms)
            kept = [None] * len(times)
        for index, (moment, frame) in enumerate(zip(times, kept, strict=True), start=1):
            if frame is None:
                with Image.open(
                    io.BytesIO(frame_at(path, DEMUXERS[media_type], moment, tools)), formats=["PNG"]
                ) as png:
                    png.load()
                    frame = _jpeg(png)
                files.write("frame", frame_path(evidence_dir, sha256, index), frame, sha256)
            frames.append((moment, frame))
    return frames

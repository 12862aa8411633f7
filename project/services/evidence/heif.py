"""HEIC/HEIF photos, the iPhone's default format, decoded by pillow-heif (libheif) through Pillow.

The package is optional at run time: without it the app runs and a HEIC upload is refused with a message
saying HEIC support is off and how to send the photo as JPEG instead. The original is kept as it came;
thumbnails and print renditions are made from its decoded pixels like those of any other image.
"""

from __future__ import annotations

import importlib

HEIF_MEDIA_TYPE = "image/heic"
PILLOW_FORMAT = "HEIF"  # the name pillow-heif's opener registers with Pillow

# ISO BMFF brands of HEIF still images and sequences (ISO/IEC 23008-12); AVIF shares "mif1" but not these
HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"})
AVIF_BRANDS = frozenset({b"avif", b"avis"})

_registered = False

SUPPORT_OFF = (
    "This is a HEIC photo (the iPhone's default format), but HEIC support is off on this server (the "
    "pillow-heif package is not installed). Ask your administrator to install it, or send the photo as "
    'JPEG: on the iPhone, Settings > Camera > Formats > Most Compatible, or share it by mail as "Actual Size".'
)


def is_heif(data: bytes) -> bool:
    """Whether the bytes start with an ISO BMFF ``ftyp`` box naming a HEIF brand (major or compatible)."""
    if len(data) < 16 or data[4:8] != b"ftyp":
        return False
    box_size = int.from_bytes(data[:4], "big")
    if box_size < 16 or box_size > 4096:
        return False
    major = data[8:12]
    if major in AVIF_BRANDS:
        return False
    compatible = {data[i : i + 4] for i in range(16, min(box_size, len(data)) - 3, 4)}
    return major in HEIF_BRANDS or bool(compatible & HEIF_BRANDS and not compatible & AVIF_BRANDS)


def heif_support() -> bool:
    """Whether HEIC photos can be decoded here: pillow-heif imports, and its opener is registered with Pillow
    (on the first call; registering again is harmless)."""
    try:
        pillow_heif = importlib.import_module("pillow_heif")
    except Exception:  # not installed, or libheif missing: HEIC is off, the app runs
        return False
    global _registered
    if not _registered:
        pillow_heif.register_heif_opener()
        _registered = True
    return True

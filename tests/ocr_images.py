"""Images with text drawn in a real font, for the OCR suggestions' tests, and the marks that skip those tests
(with the reason) on a machine without Tesseract or the font; .ci/run installs both."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="Tesseract OCR is not installed (apt-get install tesseract-ocr; .ci/run installs it)",
)
needs_font = pytest.mark.skipif(
    not FONT.exists(), reason=f"{FONT} is missing (Debian's fonts-dejavu-core; .ci/run installs it)"
)


def screenshot(lines: list[tuple[int, int, str]], size: tuple[int, int] = (1000, 400)) -> tuple[bytes, list]:
    """A white PNG with each line of text drawn at (x, y) in DejaVu Sans 28 px; returns it and each line's box."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 28)
    boxes = []
    for x, y, text in lines:
        draw.text((x, y), text, font=font, fill=(20, 20, 20))
        boxes.append(draw.textbbox((x, y), text, font=font))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue(), boxes


def text_box(line: tuple[int, int, str], part: str) -> tuple[int, int, int, int]:
    """The box (left, top, right, bottom) of ``part`` as drawn within ``line`` (x, y, text)."""
    x, y, text = line
    font = ImageFont.truetype(str(FONT), 28)
    left = x + font.getlength(text[: text.index(part)])
    return ImageDraw.Draw(Image.new("RGB", (1, 1))).textbbox((left, y), part, font=font)

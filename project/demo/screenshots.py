"""Real-looking screenshots of social-media posts, drawn at seed time (no binary files in the repository)."""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

PLATFORM_COLOURS = {
    "facebook": (24, 119, 242),
    "instagram": (193, 53, 132),
    "x": (20, 23, 26),
    "tiktok": (37, 244, 238),
    "reddit": (255, 69, 0),
    "youtube": (255, 0, 0),
    "linkedin": (10, 102, 194),
    "other": (90, 90, 90),
}


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for name in ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def post_screenshot(
    platform: str,
    handle: str,
    display_name: str,
    posted: str,
    text: str,
    image_caption: str | None = None,
    fmt: str = "PNG",
) -> bytes:
    """A 720-pixel-wide capture of a post: header with the account, the text, an optional photo block."""
    width, margin = 720, 24
    lines = textwrap.wrap(text, 58)
    photo_height = 260 if image_caption else 0
    height = 150 + 30 * len(lines) + photo_height + 70
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    colour = PLATFORM_COLOURS.get(platform, PLATFORM_COLOURS["other"])
    draw.rectangle([0, 0, width, 44], fill=colour)
    draw.text((margin, 10), platform.capitalize() if platform != "x" else "X", fill=(255, 255, 255), font=_font(20))
    draw.ellipse([margin, 60, margin + 56, 116], fill=(200, 200, 210))
    draw.text((margin + 72, 62), display_name, fill=(20, 20, 20), font=_font(20))
    draw.text((margin + 72, 90), f"{handle} · {posted}", fill=(100, 100, 100), font=_font(16))
    y = 136
    for line in lines:
        draw.text((margin, y), line, fill=(20, 20, 20), font=_font(19))
        y += 30
    if image_caption:
        draw.rectangle([margin, y + 10, width - margin, y + 10 + photo_height - 20], fill=(70, 80, 70))
        draw.text((margin + 16, y + photo_height // 2), image_caption, fill=(240, 240, 240), font=_font(18))
        y += photo_height
    draw.line([margin, y + 20, width - margin, y + 20], fill=(220, 220, 220), width=1)
    draw.text((margin, y + 32), "Like    Comment    Share", fill=(110, 110, 110), font=_font(16))
    out = io.BytesIO()
    image.save(out, format=fmt, **({"quality": 88} if fmt == "JPEG" else {}))
    return out.getvalue()

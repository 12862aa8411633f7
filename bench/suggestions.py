"""Assisted-redaction benchmark: how long OCR (Tesseract's word boxes, matched against identifiers) and face
detection (OpenCV's Haar cascades) take on one 1920x1080 screenshot, as median and p95 over the runs.

The screenshot is drawn: a feed page in DejaVu Sans with a post naming the reporter and their phone number,
comments, a sidebar, and a photo region holding scikit-image's astronaut photo (its wheel ships it; the test
extra installs scikit-image).

    python bench/suggestions.py          # 10 runs of each
    python bench/suggestions.py 20       # another number of runs
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from project.services.evidence import detectors, face_proposals, text_proposals
from project.services.masking import Identifier

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
IDENTIFIERS = (Identifier("name", "Janet O'Brien"), Identifier("phone", "860-555-0142"))
WORDS = "shift gate keys yard tier count again north post officer unit night sally port the a to was on".split()


def _font(path: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.load_default()


def screenshot(seed: int = 1) -> Image.Image:
    """A 1920x1080 social-media page: header bar, a post with the reporter's name and phone, a photo, comments."""
    from skimage import data

    rng = random.Random(seed)  # noqa: S311 - a drawn test image, not a secret
    image = Image.new("RGB", (1920, 1080), (240, 242, 245))
    draw = ImageDraw.Draw(image)
    text, bold, small = _font(FONT, 18), _font(BOLD, 18), _font(FONT, 15)
    draw.rectangle([0, 0, 1920, 56], fill=(24, 119, 242))
    draw.text((24, 16), "facebook", font=_font(BOLD, 24), fill="white")
    draw.rectangle([460, 80, 1460, 1060], fill="white")
    draw.text((484, 100), "Pat Smith", font=bold, fill=(5, 5, 5))
    draw.text((484, 124), "March 1 at 11:42 PM", font=small, fill=(101, 103, 107))
    draw.text(
        (484, 160),
        "Janet O'Brien from the 2nd shift told on me again. Call her at 860.555.0142",
        font=text,
        fill=(5, 5, 5),
    )
    draw.text((484, 186), "if you want the real story about the keys on tier 3 lol", font=text, fill=(5, 5, 5))
    photo = Image.fromarray(data.astronaut()).resize((560, 560))
    image.paste(photo, (484, 220))
    for line in range(9):
        y = 800 + line * 28
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12)))
        draw.text((484, y), f"Commenter {line + 1}: {words}", font=text, fill=(5, 5, 5))
    for line in range(24):
        draw.text((1490, 90 + line * 40), " ".join(rng.choice(WORDS) for _ in range(3)), font=small, fill=(60, 60, 60))
    return image


def timed(run: Callable[[], object], runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return times, result


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(runs: int) -> None:
    image = screenshot()
    print(f"Assisted redaction on one 1920x1080 screenshot, {runs} runs each")
    for detector in detectors():
        print(f"  {detector.kind}: {'on' if detector.on else 'OFF'} ({detector.why})")
    rows = []
    if detectors()[0].on:
        times, found = timed(lambda: text_proposals(image, IDENTIFIERS), runs)
        rows.append(("OCR (Tesseract) + matching", times, found))
    if detectors()[1].on:
        times, found = timed(lambda: face_proposals(image), runs)
        rows.append(("faces (OpenCV Haar)", times, found))
    print(f"{'step':<30} {'median s':>9} {'p95 s':>7}  proposals")
    for name, times, found in rows:
        described = ", ".join(f"{p.label} at {p.coordinates}" for p in found)  # type: ignore[attr-defined]
        print(f"{name:<30} {statistics.median(times):9.2f} {p95(times):7.2f}  {described or 'none'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)

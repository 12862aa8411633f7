"""The rectangles of a redaction: read from the lines a person types or the JSON the page draws, and
checked (how many, their shape, inside the image) with a message for each problem."""

from __future__ import annotations

import json
from typing import Any

from project.services.errors import InvalidInput

MAX_REGIONS = 200
MAX_REASON = 2_000
MAX_REGION_TEXT = 20_000  # characters of typed or JSON regions: 200 regions fit many times over
KEYS = ("x", "y", "w", "h")


# Reading regions typed or drawn ----------------------------------------------------------------------


def regions_from_lines(text: str | None, field: str = "typed_regions") -> list[dict[str, Any]]:
    """Regions typed one per line as ``x,y,w,h`` (blank lines ignored). Refuses with ``InvalidInput({field:})``
    naming each bad line; the values are checked against the image by ``redact_exhibit``."""
    text = text or ""
    if len(text) > MAX_REGION_TEXT:
        raise InvalidInput({field: f"At most {MAX_REGION_TEXT:,} characters of coordinates."})
    regions, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(",")]
        if len(parts) != 4 or not all(_is_whole_number(part) for part in parts):
            problems.append(f"line {number} ({line.strip()[:40]!r})")
            continue
        regions.append(dict(zip(KEYS, (int(part) for part in parts), strict=True)))
    if problems:
        raise InvalidInput(
            {
                field: "Write each rectangle on its own line as four whole numbers x,y,w,h "
                f"(for example 10,20,300,40); could not read {_listed(problems)}."
            }
        )
    return regions


def regions_from_json(text: str | None, field: str = "regions") -> list[dict[str, Any]]:
    """Regions drawn in the browser, as the JSON list the page's script writes (empty text: none)."""
    text = (text or "").strip()
    if not text:
        return []
    if len(text) > MAX_REGION_TEXT:
        raise InvalidInput({field: f"Too many rectangles: at most {MAX_REGIONS}."})
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidInput(
            {
                field: "The rectangles drawn on the image could not be read. Draw them again, or "
                "type their coordinates instead."
            }
        )
    return value


def _is_whole_number(text: str) -> bool:
    return text.isascii() and text.lstrip("-").isdigit()


def _listed(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# Checking regions ------------------------------------------------------------------------------------


def shape_problems(regions: object) -> str | None:
    """What is wrong with the list itself or any region's form, before the image is read."""
    if not isinstance(regions, list) or not regions:
        return "Mark at least one rectangle to black out."
    if len(regions) > MAX_REGIONS:
        return f"At most {MAX_REGIONS} rectangles in one redaction ({len(regions)} were given)."
    problems = []
    for number, region in enumerate(regions, start=1):
        if not isinstance(region, dict) or set(region) != set(KEYS):
            problems.append(f"rectangle {number} must give exactly x, y, w and h")
        elif not all(type(region[key]) is int for key in KEYS):
            problems.append(f"rectangle {number} must use whole numbers of pixels")
        elif region["x"] < 0 or region["y"] < 0:
            problems.append(
                f"rectangle {number} ({_described(region)}) starts outside the image (x and y must be 0 or more)"
            )
        elif region["w"] < 1 or region["h"] < 1:
            problems.append(f"rectangle {number} ({_described(region)}) must be at least 1 x 1 pixel")
    return _capitalised(_listed(problems)) + "." if problems else None


def reason_problem(reason: str | None) -> str | None:
    reason = (reason or "").strip()
    if not reason:
        return "Say why these parts are blacked out (for example: inmate names, FOIA release)."
    if len(reason) > MAX_REASON:
        return f"The reason must be at most {MAX_REASON:,} characters."
    return None


def bounds_problems(regions: list[dict[str, int]], width: int, height: int) -> str | None:
    outside = [
        f"rectangle {number} ({_described(region)})"
        for number, region in enumerate(regions, start=1)
        if region["x"] + region["w"] > width or region["y"] + region["h"] > height
    ]
    if not outside:
        return None
    return (
        f"The image is {width} x {height} pixels; {_listed(outside)} "
        f"{'goes' if len(outside) == 1 else 'go'} past its edge."
    )


def _described(region: dict[str, int]) -> str:
    return f"{region['x']},{region['y']},{region['w']},{region['h']}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]

"""The base direction of text a person typed, for the packet: what a browser's ``dir="auto"`` decides, resolved
here because WeasyPrint does not implement ``auto``. The first strong character decides (Unicode bidi rules
P2-P3): Hebrew or Arabic makes the line right-to-left, so its punctuation ends up at the sentence's end."""

from __future__ import annotations

import unicodedata

RIGHT_TO_LEFT = {"R", "AL"}
LEFT_TO_RIGHT = {"L"}


def base_direction(text: str | None) -> str:
    """ "rtl" when the first strong character of ``text`` is right-to-left, otherwise "ltr"."""
    for character in text or "":
        kind = unicodedata.bidirectional(character)
        if kind in RIGHT_TO_LEFT:
            return "rtl"
        if kind in LEFT_TO_RIGHT:
            return "ltr"
    return "ltr"

"""STAND-IN until branch i13-leaks lands its masking module: the same interface (``Identifier``, ``Match``,
``find``), with plain matching only (a phone by its digits in any layout, anything else in any case with any
whitespace). Replaced whole, by the real module, when i13-leaks is merged."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

KINDS = ("name", "email", "phone", "number", "text")


@dataclass(frozen=True)
class Identifier:
    """Something whose identity must not go out: ``kind`` one of name, email, phone, number, text."""

    kind: str
    value: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown identifier kind {self.kind!r}: one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class Match:
    """Where an identifier was found: ``text[start:end]`` of the original text."""

    start: int
    end: int
    identifier: Identifier


def _pattern(identifier: Identifier) -> re.Pattern[str] | None:
    if identifier.kind == "phone":
        digits = re.sub(r"\D", "", identifier.value)
        if len(digits) < 7:
            return None
        return re.compile(r"(?<!\d)" + r"[\s().\-+/]*".join(digits) + r"(?!\d)")
    words = identifier.value.split()
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE)


def find(text: str, identifiers: Iterable[Identifier]) -> list[Match]:
    """Every place an identifier appears in ``text``, by position in ``text`` itself, in order of start."""
    matches = []
    for identifier in identifiers:
        pattern = _pattern(identifier)
        if pattern is not None:
            matches += [Match(*hit.span(), identifier) for hit in pattern.finditer(text) if hit.end() > hit.start()]
    return sorted(matches, key=lambda m: (m.start, -m.end))

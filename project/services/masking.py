"""Finding and masking protected identifiers (names, e-mails, phones, numbers) in text as it is printed.

Matching is normalised, positions never are. Each identifier becomes one regular expression built from
its normalised tokens, with flexible separators between them, and runs with ``re.IGNORECASE`` on the
original text; so every position reported is a position in the text that is printed. (The old masking
took positions from a lower-cased copy: "İ" lower-cases to two code points, and every position after it
was shifted, leaving "John Q[REDACTED] 555-01[REDACTED]".)

What each kind matches:

- ``phone``: the same digits in any usual layout: 860-555-0142, 860.555.0142, (860) 555-0142,
  860 555 0142, 8605550142, +1 860 555 0142 (a North American number with or without its country code).
- ``email``: the address in any case.
- ``name``: "John Q. Reporter" also as "John  Q Reporter" (any whitespace, non-breaking too),
  "J. Q. Reporter", "J.Q. Reporter", "John Reporter", "J Reporter", "Reporter, John", with straight or
  curly apostrophes (O'Brien, O’Brien, OBrien) and possessives (the name in "Reporter's" is masked, the
  "'s" stays). The surname alone is masked too when it has at least three letters and is written with a
  capital (so the name "Reporter" does not mask "the reporter said"); a first name alone never is
  (a first name is often a common word: Hope, Will, Grace).
- ``number`` (inmate or employee number): the same letters and digits, with or without spaces, dashes,
  dots or slashes between them, not inside a longer number.
- ``text``: the words, in any case, with any whitespace between them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

KINDS = ("name", "email", "phone", "number", "text")
REDACTED = "[REDACTED]"

_APOSTROPHES = "'\u2018\u2019\u02bc\u0060\u00b4\u2032"
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACE = rf"[\s{_INVISIBLE}]"  # \s covers non-breaking and thin spaces in str patterns
_NAME_SEP = rf"(?:\.{_SPACE}*|{_SPACE}+)"  # "J. Q.", "J.Q.", "J Q", "John  Q"
_PHONE_SEP = rf"[\s{_INVISIBLE}.{_DASHES}/]*"
_NUMBER_SEP = rf"[\s{_INVISIBLE}.{_DASHES}/#]?"
_WORD_BEFORE = r"(?<![^\W_])"  # not preceded by a letter or digit
_WORD_AFTER = r"(?![^\W_])"


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


def classify_contact(value: str) -> Identifier:
    """A contact typed in one field: an e-mail, a phone number, or (anything else) plain text."""
    value = value.strip()
    if "@" in value and " " not in value:
        return Identifier("email", value)
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 7 and re.fullmatch(rf"[\d\s().+{_DASHES}/]+", value):
        return Identifier("phone", value)
    return Identifier("text", value)


def _normalised(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def _name_token(token: str) -> str:
    """One part of a name: apostrophes optional and of any shape, hyphens of any shape or a space."""
    parts = []
    for char in token:
        if char in _APOSTROPHES:
            parts.append(f"[{_APOSTROPHES}]?")
        elif char in "-\u2010\u2011":
            parts.append(rf"(?:[{_DASHES}]|{_SPACE})*")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def _name_tokens(value: str) -> list[str]:
    cleaned = re.sub(rf"[{_INVISIBLE}]", "", _normalised(value))
    return [t for t in re.split(r"[\s.,]+", cleaned) if t.strip(_APOSTROPHES + "-")]


def _name_patterns(value: str) -> list[tuple[str, bool]]:
    """(pattern, surname_only) for a name: the whole name in its usual spellings, and the surname alone."""
    tokens = _name_tokens(value)
    if not tokens:
        return []
    if len(tokens) == 1:
        return [(_WORD_BEFORE + _name_token(tokens[0]) + _WORD_AFTER, False)]
    first, *middle, last = tokens
    given = rf"(?:{_name_token(first)}|{re.escape(first[0])}\.?)"
    middles = "".join(rf"(?:(?:{_name_token(m)}|{re.escape(m[0])}\.?){_NAME_SEP})?" for m in middle)
    surname = _name_token(last)
    straight = rf"{given}{_NAME_SEP}{middles}{surname}"
    reversed_ = rf"{surname},{_SPACE}*{given}" + "".join(
        rf"(?:{_NAME_SEP}(?:{_name_token(m)}|{re.escape(m[0])}\.?))?" for m in middle
    )
    patterns = [(rf"{_WORD_BEFORE}(?:{straight}|{reversed_}){_WORD_AFTER}", False)]
    if sum(c.isalpha() for c in last) >= 3:
        patterns.append((_WORD_BEFORE + surname + _WORD_AFTER, True))
    return patterns


def _phone_pattern(value: str) -> str | None:
    digits = re.sub(r"\D", "", _normalised(value))
    if len(digits) < 7:
        return None
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == 10:  # North American: optional +1, optional parentheses round the area code
        area, exchange, line = digits[:3], digits[3:6], digits[6:]
        return (
            rf"(?<!\d)(?:(?:\+{_SPACE}*)?1{_PHONE_SEP})?(?:\({_SPACE}*{area}{_SPACE}*\)|{area}){_PHONE_SEP}"
            rf"{exchange}{_PHONE_SEP}{line}(?!\d)"
        )
    return r"(?<!\d)\+?" + _PHONE_SEP.join(r"\(?" + d + r"\)?" for d in digits) + r"(?!\d)"


def _email_pattern(value: str) -> str | None:
    address = _normalised(value)
    if not address:
        return None
    return rf"(?<![\w.+\-]){re.escape(address)}(?![\w\-]|\.\w)"


def _number_pattern(value: str) -> str | None:
    chars = [c for c in _normalised(value) if c.isalnum()]
    if not chars:
        return None
    return _WORD_BEFORE + _NUMBER_SEP.join(re.escape(c) for c in chars) + _WORD_AFTER


def _text_pattern(value: str) -> str | None:
    words = _normalised(value).split()
    if not words:
        return None
    return _WORD_BEFORE + f"{_SPACE}+".join(re.escape(w) for w in words) + _WORD_AFTER


def _patterns(identifier: Identifier) -> list[tuple[re.Pattern[str], bool]]:
    if identifier.kind == "name":
        found = _name_patterns(identifier.value)
    else:
        builder = {"phone": _phone_pattern, "email": _email_pattern, "number": _number_pattern}.get(
            identifier.kind, _text_pattern
        )
        pattern = builder(identifier.value)
        found = [(pattern, False)] if pattern else []
    return [(re.compile(p, re.IGNORECASE), surname_only) for p, surname_only in found]


def find(text: str, identifiers: Iterable[Identifier]) -> list[Match]:
    """Every place an identifier appears in ``text``, by position in ``text`` itself, in order of start
    (matches of different identifiers may overlap; ``mask`` merges them)."""
    matches: list[Match] = []
    for identifier in identifiers:
        taken: list[tuple[int, int]] = []
        for pattern, surname_only in _patterns(identifier):
            for hit in pattern.finditer(text):
                start, end = hit.span()
                if start == end or any(s < end and start < e for s, e in taken):
                    continue
                if surname_only and not text[start].isupper():
                    continue
                taken.append((start, end))
                matches.append(Match(start, end, identifier))
    return sorted(matches, key=lambda m: (m.start, -m.end))


def mask(text: str, identifiers: Iterable[Identifier], replacement: str = REDACTED) -> str:
    """``text`` with every identifier found in it replaced by ``replacement`` (overlapping finds merged)."""
    spans: list[list[int]] = []
    for match in find(text, identifiers):
        if spans and match.start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], match.end)
        else:
            spans.append([match.start, match.end])
    if not spans:
        return text
    out, position = [], 0
    for start, end in spans:
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position:])
    return "".join(out)

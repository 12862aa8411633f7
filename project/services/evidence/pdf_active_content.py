"""Active content in a PDF, found from its bytes (issue 15, F17): scripts, launch actions, embedded files,
automatic actions, form submission, rich media and XFA forms.

A PDF is kept as evidence whatever it holds, but a person about to open the original must be warned. The
scan reads every PDF name token, with ``#xx`` escapes decoded (``/J#61vaScript`` is ``/JavaScript``), in the
file and in its compressed object streams, where a dictionary can hide from a plain search. PDFium's own
view (document-level scripts, attachments, XFA) is added by the caller as a second witness.

Standard library only: it runs inside the PDF worker (``pdf_worker``), under its memory and time limits.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

# The kinds, in the order they are named to a person, and the PDF names that show each.
KINDS: tuple[tuple[str, frozenset[bytes]], ...] = (
    ("JavaScript", frozenset({b"JavaScript", b"JS"})),
    ("launch action", frozenset({b"Launch"})),
    ("embedded file", frozenset({b"EmbeddedFile", b"EmbeddedFiles"})),
    ("automatic actions", frozenset({b"AA"})),
    ("form submission", frozenset({b"SubmitForm"})),
    ("data import", frozenset({b"ImportData"})),
    ("rich media", frozenset({b"RichMedia"})),
    ("XFA form", frozenset({b"XFA"})),
)
INFLATED_LIMIT = 64 * 1024 * 1024  # bytes of object streams inflated, in all
DICTIONARY_LOOKBACK = 2048  # bytes before "stream" searched for the stream's dictionary

_NAME = re.compile(rb"/([^\s/<>\[\]()\{\}%]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")
_OBJ = re.compile(rb"\bobj\b")


def names_in(data: bytes) -> set[bytes]:
    """Every name token in ``data``, its ``#xx`` escapes decoded."""
    found = set()
    for raw in _NAME.findall(data):
        found.add(_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw) if b"#" in raw else raw)
    return found


def _split(data: bytes) -> tuple[list[bytes], list[bytes]]:
    """The file cut into the text outside streams and the bodies of the compressed object streams
    (``/Type /ObjStm``, ``/FlateDecode``), inflated, at most ``INFLATED_LIMIT`` bytes in all. Other stream
    bodies (images, fonts, page content) are left out: random binary bytes can look like a name. A stream
    with no ``endstream`` is scanned to the end as text, so a stray "stream" word hides nothing."""
    outside, inflated, position, budget = [], [], 0, INFLATED_LIMIT
    for match in _STREAM.finditer(data):
        if match.start() < position:
            continue
        end = data.find(b"endstream", match.end())
        if end == -1:
            break
        before = data[max(position, match.start() - DICTIONARY_LOOKBACK) : match.start()]
        outside.append(data[position : match.start()])
        position = end
        objects = list(_OBJ.finditer(before))
        dictionary = names_in(before[objects[-1].end() :] if objects else before)
        if budget > 0 and b"ObjStm" in dictionary and dictionary & {b"FlateDecode", b"Fl"}:
            try:
                inflated.append(zlib.decompressobj().decompress(data[match.end() : end], budget))
            except zlib.error:
                continue
            budget -= len(inflated[-1])
    outside.append(data[position:])
    return outside, inflated


def find_active_content(data: bytes, witnessed: Iterable[str] = ()) -> list[str]:
    """The kinds of active content in a PDF (names from ``KINDS``, in that order); empty when none.
    ``witnessed``: PDF names another reader found (``"JavaScript"``, ``"EmbeddedFile"``, ``"XFA"``)."""
    names = {name.encode() for name in witnessed}
    outside, inflated = _split(data)
    for part in outside + inflated:
        names |= names_in(part)
    return [label for label, shown_by in KINDS if names & shown_by]

"""The leak check of a release packet: the PDF as it would be handed out, read back and searched.

- The text layer of every page (read by PDFium) and the document information (by pypdf) are searched with
  ``masking.find`` for every protected identifier, in any of its spellings. The surname alone is not
  searched for here: it also appears in the packet's own labels ("Reporter (confidential)") when that is
  the person's name; the values printed are still masked for it.
- Every image embedded in a page is compared with the print rendition of each unredacted original that
  has a redacted copy. The comparison is of fingerprints: the image in grey, shrunk to 64 x 64 pixels by
  averaging (so JPEG's loss and a re-encoding wash out). Two images are *nearly equal* when their aspect
  ratios agree within 2% and no fingerprint pixel differs by more than ``TOLERANCE`` (12 of 255). Measured
  on a 720 x 250 screenshot: re-encoding the rendition at JPEG quality 92 moves a fingerprint pixel by at
  most 2, at quality 75 by 4; a 10 x 10 pixel black box moves one by 56, a black bar over a line of text by
  255. So a redacted copy is told from its original, and an original is caught even re-encoded. (A box over
  pixels that were nearly black already changes little and is reported as a leak: the check errs on the
  side of not handing out.) An embedded image that cannot be decoded is reported too: what cannot be
  checked does not go out.

A leak is named by where it is (the page) and what it is (an identifier's kind, or an exhibit's original
image), never by the protected value itself, so the refusal can be shown and audited.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageChops

from project.services import masking
from project.services.masking import Identifier

if TYPE_CHECKING:
    from pypdf import PdfReader

FINGERPRINT_SIZE = (64, 64)
TOLERANCE = 12
ASPECT_TOLERANCE = 0.02

KIND_NAMES = {"name": "a name", "email": "an email address", "phone": "a phone number", "number": "a number"}


@dataclass(frozen=True)
class Leak:
    """What leaked and where: ``page`` (1-based; None for the document information) and ``kind`` (an
    identifier's kind, "image" for an original image, "unreadable image", or "attachment")."""

    page: int | None
    kind: str
    exhibit_number: int | None = None

    def what(self) -> str:
        if self.kind == "image":
            return f"the unredacted original image of exhibit {self.exhibit_number}"
        if self.kind == "unreadable image":
            return "an image that could not be checked"
        if self.kind == "attachment":
            return "an attached file"
        return f"{KIND_NAMES.get(self.kind, 'a protected text')} ({self.kind})"

    def as_detail(self) -> dict[str, object]:
        detail: dict[str, object] = {"page": self.page, "kind": self.kind}
        if self.exhibit_number is not None:
            detail["exhibit"] = self.exhibit_number
        return detail


@dataclass(frozen=True)
class Fingerprint:
    width: int
    height: int
    grey: Image.Image


def fingerprint(image: Image.Image) -> Fingerprint:
    """The image in grey, shrunk to 64 x 64 by averaging, with its original size (see the module)."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        flat = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    grey = image.convert("L").resize(FINGERPRINT_SIZE, Image.Resampling.BOX)
    return Fingerprint(image.width, image.height, grey)


def nearly_equal(a: Fingerprint, b: Fingerprint) -> bool:
    aspect_a, aspect_b = a.width / max(a.height, 1), b.width / max(b.height, 1)
    if abs(aspect_a - aspect_b) > ASPECT_TOLERANCE * max(aspect_a, aspect_b):
        return False
    extrema = ImageChops.difference(a.grey, b.grey).getextrema()
    return int(extrema[1]) <= TOLERANCE  # type: ignore[arg-type]  # (min, max) for one band


def fingerprint_of(data: bytes) -> Fingerprint:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return fingerprint(image)


def _text_leaks(reader: PdfReader, pdf: bytes, identifiers: list[Identifier]) -> list[Leak]:
    leaks = []
    info = " ".join(str(value) for value in (reader.metadata or {}).values())
    leaks += [Leak(None, m.identifier.kind) for m in masking.find(info, identifiers, surname_alone=False)]
    for number, text in enumerate(page_texts(pdf), start=1):
        found = masking.find(text, identifiers, surname_alone=False)
        leaks += [Leak(number, kind) for kind in sorted({m.identifier.kind for m in found})]
    return leaks


def page_texts(pdf: bytes) -> list[str]:
    """The text layer of each page, as PDFium reads it: the packet is our own file (an exhibit's PDF, from
    outside, is read in the sandboxed worker), and PDFium reads it fifty times faster than pypdf, which took
    0.6 s of each release packet's print."""
    import pypdfium2  # imported here, like pypdf: only printing needs it

    document = pypdfium2.PdfDocument(pdf)
    try:
        texts = []
        for page in document:
            text_page = page.get_textpage()
            texts.append(text_page.get_text_range())
            text_page.close()
            page.close()
        return texts
    finally:
        document.close()


def _key(page: int, embedded: Any) -> str:
    """One key per image object (an inline image belongs to its page alone)."""
    reference = embedded.indirect_reference
    return f"object {reference.idnum}" if reference is not None else f"page {page} inline {embedded.name}"


def _embedded_images(reader: PdfReader) -> Iterator[tuple[int, str, Any]]:
    """(page, key, image) for each image each page draws. WeasyPrint lists every image in the resources of
    every page, so an image is placed on the pages whose content draws it (pypdf's ``is_displayed``); one
    that no page draws is still in the file, and is placed on the first page that lists it."""
    placed: set[str] = set()
    listed: dict[str, tuple[int, Any]] = {}
    for number, page in enumerate(reader.pages, start=1):
        for embedded in page.images:
            key = _key(number, embedded)
            listed.setdefault(key, (number, embedded))
            if getattr(embedded, "is_displayed", True):
                placed.add(key)
                yield number, key, embedded
    for key, (number, embedded) in listed.items():
        if key not in placed:
            yield number, key, embedded


def _image_leaks(reader: PdfReader, originals: list[tuple[int, Fingerprint]]) -> list[Leak]:
    leaks = []
    seen: dict[str, list[int] | None] = {}  # image key: the exhibits it equals (None: could not be decoded)
    for number, key, embedded in _embedded_images(reader):
        if key not in seen:
            try:
                printed = fingerprint(embedded.image) if embedded.image is not None else None
            except Exception:
                printed = None
            seen[key] = None if printed is None else [n for n, fp in originals if nearly_equal(printed, fp)]
        matches = seen[key]
        if matches is None:
            leaks.append(Leak(number, "unreadable image"))
        else:
            leaks += [Leak(number, "image", exhibit) for exhibit in matches]
    return leaks


def describe(leaks: list[Leak]) -> str:
    """The leaks in a sentence, each kind once with its pages: "a phone number (phone) on pages 3, 5; the
    unredacted original image of exhibit 2 on page 9"."""
    pages: dict[str, list[int | None]] = {}
    for leak in leaks:
        pages.setdefault(leak.what(), []).append(leak.page)
    parts = []
    for what, where in pages.items():
        numbers = sorted({p for p in where if p is not None})
        places = []
        if numbers:
            places.append(("on page " if len(numbers) == 1 else "on pages ") + ", ".join(map(str, numbers)))
        if None in where:
            places.append("in the document information" if what != "an attached file" else "")
        parts.append(" ".join([what, " and ".join(p for p in places if p)]).strip())
    return "; ".join(parts)


def find_leaks(pdf: bytes, identifiers: list[Identifier], originals: list[tuple[int, bytes]]) -> list[Leak]:
    """Everything in a release packet that must not go out: an attachment, protected identifiers in its
    text layer, and embedded images nearly equal to one of ``originals`` ((exhibit number, print rendition of
    the unredacted original)). An empty list: the packet may be handed out."""
    from pypdf import PdfReader  # imported here: pypdf costs every `flask` command 50 ms at start-up

    reader = PdfReader(io.BytesIO(pdf))
    leaks = [Leak(None, "attachment")] if reader.attachments else []
    if identifiers:
        leaks += _text_leaks(reader, pdf, identifiers)
    if originals:
        leaks += _image_leaks(reader, [(number, fingerprint_of(data)) for number, data in originals])
    return leaks

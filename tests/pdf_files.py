"""PDFs written by hand for the tests of PDF limits and active content: a few objects, a correct cross-
reference table, nothing else (no binaries in the repository)."""

from __future__ import annotations

import zlib

LETTER = (612, 792)


def handmade_pdf(
    pages: int | list[tuple[int, int]] = 1, catalog: bytes = b"", page_extra: bytes = b"", objects: tuple = ()
) -> bytes:
    """A PDF of blank pages (a count of letter pages, or each page's width and height in points);
    ``catalog`` and ``page_extra`` go into the catalogue and every page dictionary, ``objects`` are
    numbered from ``4 + number of pages`` on."""
    sizes = [LETTER] * pages if isinstance(pages, int) else pages
    first_page = 3
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(len(sizes)))
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(sizes),
        *(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] %s >>" % (w, h, page_extra) for w, h in sizes),
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def next_object(pages: int = 1) -> int:
    """The number the first of ``objects`` gets in ``handmade_pdf`` with that many pages."""
    return 3 + pages


def open_action_javascript(escaped: bool = False) -> bytes:
    """A one-page PDF that runs a script when opened; ``escaped`` spells the name /J#61vaScript."""
    name = b"/J#61vaScript" if escaped else b"/JavaScript"
    action = b"<< /Type /Action /S " + name + b" /JS (app.alert\\('pwned'\\)) >>"
    return handmade_pdf(1, catalog=b"/OpenAction %d 0 R" % next_object(), objects=(action,))


def launch_action() -> bytes:
    """A one-page PDF whose link starts a program when clicked."""
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 612 792] /A << /S /Launch /F (cmd.exe) >> >>"
    return handmade_pdf(1, page_extra=b"/Annots [%d 0 R]" % next_object(), objects=(link,))


def javascript_and_launch() -> bytes:
    script = b"<< /S /JavaScript /JS (this.print\\(\\)) >>"
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 612 792] /A << /S /Launch /F (cmd.exe) >> >>"
    return handmade_pdf(1, catalog=b"/OpenAction 4 0 R", page_extra=b"/Annots [5 0 R]", objects=(script, link))


def object_stream_hiding(dictionary: bytes) -> bytes:
    """The bytes of a compressed object stream holding ``dictionary``, inside an otherwise plain PDF's body
    (enough for a byte scan; a PDF reader would need a cross-reference stream as well)."""
    body = zlib.compress(b"7 0 " + dictionary)
    stream = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(body)
    return handmade_pdf(1, objects=(stream + body + b"\nendstream",))

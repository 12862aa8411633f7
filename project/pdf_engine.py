"""WeasyPrint and the URL fetchers that keep it from reaching anything outside the document.

Imported only where a PDF is made (``from project import pdf_engine`` inside the function): WeasyPrint's own
import takes about half a second and loads Pango, and every ``flask`` command, test process and worker would
pay for it at start-up otherwise (issue 19, item 3)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import weasyprint
import weasyprint.pdf
from PIL import ImageFile
from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint turns on Pillow's "load truncated images" for the whole process when imported; packets load
# only whole renditions, and an upload must never pass with missing pixels, so turn it back off.
ImageFile.LOAD_TRUNCATED_IMAGES = False


def _write_original(pdf: Any, attachment: Any, compress: bool) -> Any:
    """Writes an attached file as it is: the originals a packet attaches are screenshots, PDFs, audio and
    video, compressed already, and deflating them again cost 0.15 s of a 10-exhibit packet for no smaller
    file (issue 19, item 3). Only attachments are written here; pages, fonts and images are still compressed.
    """
    return _write_pdf_attachment(pdf, attachment, False)


# WeasyPrint has no option for this, so its one function that writes an attachment is replaced.
_write_pdf_attachment = weasyprint.pdf.write_pdf_attachment
weasyprint.pdf.write_pdf_attachment = _write_original

HTML = weasyprint.HTML
Attachment = weasyprint.Attachment
VERSION = weasyprint.__version__


class PacketFetcher(URLFetcher):
    """Gives WeasyPrint the packet's own images from memory and refuses everything else: no file://,
    no network, nothing a typed URL could point at."""

    def __init__(self, images: dict[str, tuple[bytes, str]]) -> None:
        super().__init__(allowed_protocols=())
        self.images = images

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url not in self.images:
            raise ValueError(f"refused to fetch {url!r}: packets load only their own exhibits")
        body, media_type = self.images[url]
        return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})


class RefusingFetcher(URLFetcher):
    """Fetches nothing, ever: no network, no ``file://``, no ``data:``. Remembers what was asked for (letters
    need no images or styles from outside)."""

    def __init__(self) -> None:
        super().__init__(fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        self.refused.append(url)
        raise ValueError(f"letters load nothing from outside: {url!r} refused")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's garbage collector paused while a document is laid out and written. Layout makes hundreds of
    thousands of short-lived boxes, and the collector walked them (with whatever else the process holds) over
    and over: a quarter of a 20-page packet's layout time (issue 19, item 3). They are freed as they are
    dropped all the same; the few cycles among them are collected once the collector runs again, after."""
    was_running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_running:
            gc.enable()

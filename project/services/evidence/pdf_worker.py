"""Opening a PDF in a separate process with a memory ceiling and a time limit (issue 15, F4).

A hostile PDF (a 5000 x 5000 pt page, 1,600 pages, a malformed object that sends PDFium into a loop) must
not cost the web worker its memory or its time. So no PDF is opened in the request's process: this module
starts a short-lived child (``python -I`` running this very file, which imports only the standard library
and pypdfium2), which sets ``RLIMIT_AS`` on itself before PDFium is loaded. The parent sends it the bytes,
asks for the facts (page count, page sizes, active content) or for a page's pixels, and kills it when an
answer does not come in time. A child that runs out of memory, crashes or is killed is a ``PdfWorkerFailed``
with a message a person can act on; the parent carries on.

The child never runs a script of the PDF: PDFium's form environment, which would run JavaScript, is
never set up, and no action is performed.
"""

from __future__ import annotations

import json
import os
import select
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024
_HEADER = struct.Struct(">I")


class PdfWorkerFailed(Exception):
    """The PDF could not be read (damaged, protected by a password, or beyond a limit); the message says why."""


class PdfBeyondLimits(PdfWorkerFailed):
    """The PDF goes beyond a limit: too many pages, a page too large, or more memory or time than the worker
    has; the message names the limit and, where known, the file's own figure."""


@dataclass(frozen=True)
class PdfLimits:
    """How far a PDF exhibit may go: pages in one exhibit, pixels of one page drawn at the print resolution
    (the same ceiling as an image's), memory of the worker that opens it, and seconds for each answer."""

    max_pages: int = 200
    max_page_pixels: int = 60_000_000
    worker_memory_mb: int = 1024
    worker_seconds: float = 60.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PdfLimits:
        return cls(
            config["EVIDENCE_MAX_PDF_PAGES"],
            config["EVIDENCE_MAX_PIXELS"],
            config["EVIDENCE_PDF_WORKER_MEMORY_MB"],
            config["EVIDENCE_PDF_WORKER_SECONDS"],
        )


@dataclass(frozen=True)
class PdfFacts:
    """What the worker found in a PDF without drawing it."""

    page_count: int
    page_sizes: list[tuple[float, float]]  # points, the first ``max_pages`` pages
    active_content: list[str]  # the kinds of active content found, in a fixed order; empty when none


@dataclass(frozen=True)
class PagePixels:
    """A drawn page as the worker sent it: raw pixels, for ``PIL.Image.frombuffer``."""

    mode: str
    raw_mode: str
    width: int
    height: int
    stride: int
    data: bytes


class PdfWorker:
    """One child process holding one open PDF; use through ``open_pdf``."""

    def __init__(self, process: subprocess.Popen[bytes], limits: PdfLimits) -> None:
        self._process = process
        self.limits = limits
        self.facts: PdfFacts | None = None

    @property
    def page_count(self) -> int:
        assert self.facts is not None  # set by open_pdf before the worker is handed out
        return self.facts.page_count

    def render(self, index: int, dpi: float) -> PagePixels:
        """The pixels of page ``index`` (from 0) at ``dpi``; refused, without drawing, when the page would
        exceed the pixel limit."""
        answer, data = self._ask({"op": "render", "page": index, "scale": dpi / 72})
        return PagePixels(answer["mode"], answer["raw_mode"], answer["width"], answer["height"], answer["stride"], data)

    def _ask(self, request: dict[str, Any], payload: bytes = b"") -> tuple[dict[str, Any], bytes]:
        deadline = time.monotonic() + self.limits.worker_seconds
        try:
            _send(self._process, request, payload)
            answer, data = _receive(self._process, deadline)
        except TimeoutError:
            self.close()
            raise PdfBeyondLimits(
                f"Reading the PDF took longer than the {self.limits.worker_seconds:g}-second limit, so it was "
                "stopped. The file may be damaged or built to exhaust the server."
            ) from None
        except (OSError, EOFError, ValueError):
            self.close()
            code = self._process.returncode
            if code is not None and code < 0 and -code in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT):
                raise PdfBeyondLimits(self._memory_message()) from None
            raise PdfWorkerFailed(
                "The PDF could not be read: the program that reads it stopped (the file may be damaged)."
            ) from None
        if answer.get("kind") == "memory":
            raise PdfBeyondLimits(self._memory_message())
        if answer.get("kind") == "limit":
            raise PdfBeyondLimits(str(answer["error"]))
        if "error" in answer:
            raise PdfWorkerFailed(str(answer["error"]))
        return answer, data

    def _memory_message(self) -> str:
        return (
            f"Reading the PDF needed more than the {self.limits.worker_memory_mb:,} MB memory limit, so it was "
            "stopped. The file may be damaged or built to exhaust the server."
        )

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()


@contextmanager
def open_pdf(data: bytes, limits: PdfLimits | None = None, scan: bool = False) -> Iterator[PdfWorker]:
    """A worker holding the PDF open, its facts read (``scan``: and its active content looked for)."""
    limits = limits or PdfLimits()
    process = subprocess.Popen(  # noqa: S603 - our interpreter and our file, no shell, no user input in argv
        [sys.executable, "-I", os.path.abspath(__file__), str(limits.worker_memory_mb * MB)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        close_fds=True,
    )
    worker = PdfWorker(process, limits)
    try:
        answer, _ = worker._ask(
            {"op": "open", "scan": scan, "max_pages": limits.max_pages, "max_pixels": limits.max_page_pixels},
            data,
        )
        worker.facts = PdfFacts(
            answer["page_count"], [tuple(size) for size in answer["page_sizes"]], answer["active_content"]
        )
        if worker.facts.page_count > limits.max_pages:
            raise PdfBeyondLimits(
                f"The PDF has {worker.facts.page_count:,} pages: the limit is {limits.max_pages:,} pages for one "
                "exhibit."
            )
        yield worker
    finally:
        worker.close()


def read_facts(data: bytes, limits: PdfLimits | None = None) -> PdfFacts:
    """Page count, page sizes and active content of a PDF, read in a worker."""
    with open_pdf(data, limits, scan=True) as worker:
        assert worker.facts is not None
        return worker.facts


# The pipe between the two processes: a 4-byte length, a JSON header, then ``header["bytes"]`` bytes. ----


def _send(process: subprocess.Popen[bytes], header: dict[str, Any], payload: bytes) -> None:
    assert process.stdin is not None
    encoded = json.dumps(header | {"bytes": len(payload)}).encode()
    process.stdin.write(_HEADER.pack(len(encoded)) + encoded)
    process.stdin.write(payload)
    process.stdin.flush()


def _receive(process: subprocess.Popen[bytes], deadline: float) -> tuple[dict[str, Any], bytes]:
    assert process.stdout is not None
    fd = process.stdout.fileno()
    (length,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
    if length > MB:
        raise ValueError("answer header too long")
    header = json.loads(_read_exactly(fd, length, deadline))
    return header, _read_exactly(fd, int(header.get("bytes", 0)), deadline)


def _read_exactly(fd: int, size: int, deadline: float) -> bytes:
    chunks, remaining = [], size
    while remaining:
        wait = deadline - time.monotonic()
        if wait <= 0 or not select.select([fd], [], [], wait)[0]:
            raise TimeoutError
        chunk = os.read(fd, min(remaining, 4 * MB))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


# The child ----------------------------------------------------------------------------------------------


def _child_main(memory_bytes: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    import importlib.util

    import pypdfium2

    # beside this file, standard library only; loaded by path so that no package __init__ runs here
    spec = importlib.util.spec_from_file_location(
        "pdf_active_content", os.path.join(os.path.dirname(os.path.abspath(__file__)), "pdf_active_content.py")
    )
    assert spec is not None and spec.loader is not None
    scanner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scanner)
    find_active_content = scanner.find_active_content

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer

    def read(size: int) -> bytes:
        data = stdin.read(size)
        if len(data) != size:
            raise SystemExit(0)  # the parent has gone
        return data

    def answer(header: dict[str, Any], payload: bytes | memoryview = b"") -> None:
        encoded = json.dumps(header | {"bytes": len(payload)}).encode()
        stdout.write(_HEADER.pack(len(encoded)) + encoded)
        stdout.write(payload)
        stdout.flush()

    document, max_pixels = None, 0
    while True:
        (length,) = _HEADER.unpack(read(_HEADER.size))
        request = json.loads(read(length))
        payload = read(request["bytes"])
        try:
            if request["op"] == "open":
                document, max_pixels = pypdfium2.PdfDocument(payload), request["max_pixels"]
                count = len(document)
                sizes = [document.get_page_size(i) for i in range(min(count, request["max_pages"]))]
                kinds = find_active_content(payload, _pdfium_witness(document)) if request["scan"] else []
                answer({"page_count": count, "page_sizes": sizes, "active_content": kinds})
            elif request["op"] == "render" and document is not None:
                width, height = document.get_page_size(request["page"])
                pixels = (width * request["scale"]) * (height * request["scale"])
                if pixels > max_pixels:
                    answer({"error": _too_large(request["page"], width, height, max_pixels), "kind": "limit"})
                    continue
                bitmap = document[request["page"]].render(scale=request["scale"], may_draw_forms=False)
                mode = "RGB" if bitmap.mode in ("BGR", "RGB") else bitmap.mode
                header = {"mode": mode, "raw_mode": bitmap.mode, "width": bitmap.width, "height": bitmap.height}
                answer(header | {"stride": bitmap.stride}, memoryview(bitmap.buffer).cast("B"))
                bitmap.close()
        except MemoryError:
            answer({"error": "memory", "kind": "memory"})
        except pypdfium2.PdfiumError as failure:
            answer({"error": _unreadable(str(failure))})


def _pdfium_witness(document: Any) -> list[str]:
    """What PDFium itself sees of active content (covers whatever compression hides from a byte scan)."""
    import pypdfium2.raw as pdfium

    kinds = []
    if pdfium.FPDFDoc_GetJavaScriptActionCount(document) > 0:
        kinds.append("JavaScript")
    if document.count_attachments() > 0:
        kinds.append("EmbeddedFile")
    if document.get_formtype() in (pdfium.FORMTYPE_XFA_FULL, pdfium.FORMTYPE_XFA_FOREGROUND):
        kinds.append("XFA")
    return kinds


def _too_large(index: int, width: float, height: float, max_pixels: int) -> str:
    return (
        f"Page {index + 1} is {width:,.0f} x {height:,.0f} points, too large to print: the limit is "
        f"{max_pixels:,} pixels a page at print resolution."
    )


def _unreadable(reason: str) -> str:
    if "password" in reason.lower():
        return "The PDF is protected by a password, so it cannot be read. Upload an unprotected copy."
    return "The PDF is damaged and cannot be read. Capture or download it again."


if __name__ == "__main__":
    _child_main(int(sys.argv[1]))

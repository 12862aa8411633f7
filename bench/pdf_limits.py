"""PDF bombs (issue 15, F4): what a hostile PDF costs the process that takes the upload.

Each case runs in a fresh process and prints its wall time and that process's peak memory (max RSS):
- "in-process": PDFium opened in the process itself, as uploads did before (page count, then each page
  drawn at 150 dpi for the print rendition);
- "worker": ``inspect_file`` as uploads do now (the PDF read only in a limited worker process).

    python bench/pdf_limits.py
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.pdf_files import handmade_pdf

CASES = {
    "one 5000 x 5000 pt page": lambda: handmade_pdf([(5000, 5000)]),
    "1,600 letter pages": lambda: handmade_pdf(1600),  # in-process: about 90 s
    "2 letter pages (normal)": lambda: handmade_pdf(2),
}


def in_process(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    for index in range(len(document)):
        document[index].render(scale=150 / 72).to_pil().tobytes()
    return f"drew {len(document)} page(s)"


def worker(data: bytes) -> str:
    from project.services.errors import InvalidInput
    from project.services.evidence import inspect_file

    try:
        inspected = inspect_file(data, "x.pdf", 25 * 1024 * 1024, 60_000_000)
    except InvalidInput as refused:
        return "refused: " + refused.errors["file"][:70]
    return f"accepted, {inspected.page_count} page(s)"


def measure(how: str, name: str, queue: multiprocessing.Queue) -> None:
    data = CASES[name]()
    import pypdfium2  # noqa: F401 - imports are not what is measured

    from project.services import evidence  # noqa: F401 - the package, imported before the clock starts

    started = time.monotonic()
    outcome = (in_process if how == "in-process" else worker)(data)
    took = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(f"{how:10} {name:26} {len(data):>8,} bytes {took:7.2f} s {peak:8,.0f} MB  {outcome}")


if __name__ == "__main__":
    context = multiprocessing.get_context("spawn")
    for name in CASES:
        for how in ("in-process", "worker"):
            queue = context.Queue()
            process = context.Process(target=measure, args=(how, name, queue))
            process.start()
            process.join()
            print(queue.get() if process.exitcode == 0 else f"{how:10} {name:26} died ({process.exitcode})")

"""The packet as whole processes, the way a person waits for it (issue 19, item 3).

Interleaved rounds on one instance, each command a fresh process timed from its start to its exit:

- ``flask packet`` printing the case for the first time (the kept copy removed; renditions already made);
- ``flask packet`` again, a reprint of the unchanged case;
- bare WeasyPrint (``python -c``) rendering a minimal page holding the same PNG screenshots;
- Chromium's headless print-to-PDF of that same page.

Medians of the rounds, and each target with its verdict. ``bench/packet.py`` calls ``report``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = (  # (what, numerator, denominator, at most)
    ("first print / bare WeasyPrint", "first print", "bare WeasyPrint", 0.5),
    ("first print / Chromium", "first print", "Chromium", 0.5),
    ("reprint / bare WeasyPrint", "reprint", "bare WeasyPrint", 0.2),
)
BARE = "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"


def _page_of_screenshots(instance: Path) -> Path:
    originals = sorted(p for p in (instance / "evidence" / "originals").rglob("*") if p.is_file())
    body = "".join(
        f'<div style="break-before: page"><img src="{p.as_uri()}" style="max-width:100%"></div>' for p in originals
    )
    page = instance / "screenshots.html"
    page.write_text(f"<html><body>{body}</body></html>")
    return page


def _seconds(args: list[str], environ: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, env=environ, capture_output=True, text=True, check=False)  # noqa: S603 - our own commands
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{args[:3]} failed:\n{done.stderr[-2000:]}")
    return elapsed


def measure(instance: Path, number: str, rounds: int) -> dict[str, float]:
    """Median seconds of each command over ``rounds`` interleaved rounds."""
    environ = os.environ | {
        "APP_ENV": "development",
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": "",
        "FLASK_APP": "app",
    }
    flask = [sys.executable, "-m", "flask", "packet", number, "-o", str(instance / "packet.pdf")]
    page = _page_of_screenshots(instance)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    commands = {
        "bare WeasyPrint": [sys.executable, "-c", BARE, str(page), str(instance / "bare.pdf")],
        "first print": flask,
        "reprint": flask,
    }
    if chromium:
        commands["Chromium"] = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={instance / 'chromium.pdf'}",
            page.as_uri(),
        ]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, args in commands.items():
            if name == "first print":
                for kept in (instance / "evidence" / "packets").glob("*.pdf"):
                    kept.unlink()
            times[name].append(_seconds(args, environ))
    return {name: statistics.median(seconds) for name, seconds in times.items()}


def report(instance: Path, number: str, rounds: int) -> None:
    medians = measure(instance, number, rounds)
    print(f"\nWhole processes, medians of {rounds} interleaved rounds:")
    print(" | ".join(medians))
    print(" | ".join(f"{seconds:.2f} s" for seconds in medians.values()))
    for what, numerator, denominator, limit in TARGETS:
        if denominator not in medians:
            print(f"{what}: no {denominator} on this machine")
            continue
        ratio = medians[numerator] / medians[denominator]
        verdict = "met" if ratio <= limit else "NOT met"
        print(f"{what}: {ratio:.2f} (target at most {limit}) {verdict}")

"""Packet benchmark: a case with 10, then 50 realistic 1920x1080 PNG screenshots.

For each size, in fresh processes on the same machine: the first print of the packet (print renditions
made then), a reprint of the unchanged case, and bare WeasyPrint rendering a minimal HTML page that holds
the same PNG images; each with its wall time and the process's peak memory (max RSS).

    python bench/packet.py            # 10 and 50 exhibits
    python bench/packet.py 10 50 100  # other sizes

Then, for the first size, the same as whole processes beside Chromium's print-to-PDF (bench/packet_processes.py).
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import packet_processes  # found through the path set just above

ROUNDS = 5


def screenshot(seed: int) -> bytes:
    """A 1920x1080 capture: a feed with text and a photo region (noise, as photos are), ~400-500 KB as PNG."""
    rng = random.Random(seed)  # noqa: S311 - test images, not secrets
    image = Image.new("RGB", (1920, 1080), (245, 246, 248))
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 22)
    except OSError:
        font = ImageFont.load_default()
    draw.rectangle([0, 0, 1920, 64], fill=(24, 119, 242))
    for line in range(18):
        words = " ".join(
            rng.choice(
                [
                    "shift",
                    "gate",
                    "keys",
                    "yard",
                    "tier",
                    "count",
                    "lol",
                    "again",
                    "north",
                    "post",
                    "officer",
                    "unit",
                    "night",
                    "sally",
                    "port",
                ]
            )
            for _ in range(9)
        )
        draw.text((80, 100 + line * 34), f"{seed}-{line} {words}", fill=(20, 20, 20), font=font)
    photo = Image.frombytes("RGB", (450, 250), rng.randbytes(450 * 250 * 3)).resize((900, 500))
    photo = Image.blend(photo.filter(ImageFilter.GaussianBlur(1.5)), Image.new("RGB", photo.size, (90, 110, 90)), 0.88)
    image.paste(photo, (960, 120))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_case(instance: str, count: int) -> str:
    """A migrated SQLite instance with an approved case holding ``count`` screenshot exhibits."""
    os.environ.update({"APP_ENV": "development", "INSTANCE_PATH": instance, "DATABASE_URL": ""})
    from flask_migrate import upgrade

    from project import ROOT, create_app
    from project.services import accounts, casework, catalogue, evidence
    from project.services.audit import Actor

    app = create_app({"APP_ENV": "development", "INSTANCE_PATH": instance})
    with app.app_context():
        upgrade()
        catalogue.load_catalogue(ROOT / "seed_data")
        password = "benchmark passphrase"  # noqa: S105 - a throwaway benchmark instance
        inv = Actor(accounts.create_user("inv@bench.test", "Investigator", ["investigator"], password))
        sup = Actor(accounts.create_user("sup@bench.test", "Supervisor", ["supervisor"], password))
        from project import clock

        case = casework.log_complaint(
            casework.ComplaintInput(title="Benchmark", complaint_source="audit", received_at=clock.now()),
            [casework.PostInput(platform="facebook", text="A post")],
            inv,
        )
        casework.assign_investigator(case, inv.user, sup)
        config = app.config
        for n in range(count):
            evidence.add_exhibit(
                case,
                evidence.ExhibitInput(
                    screenshot(n),
                    f"shot-{n}.png",
                    f"Screenshot {n + 1}",
                    None,
                    None,
                    "Investigator",
                    "Browser screenshot",
                ),
                inv,
                evidence.EvidenceSettings(
                    config["EVIDENCE_DIR"], config["EVIDENCE_MAX_BYTES"], config["EVIDENCE_MAX_PIXELS"]
                ),
            )
        from project.services import roster

        roster.import_roster("employee_number,last_name,first_name,title,facility\nB1,Bench,Pat,Officer,York CI\n")
        subject = casework.link_subject(case, casework.find_employee("B1"), inv)
        clause = next(c for c in casework.citable_clauses() if c.number == "5.c")
        allegation = casework.frame_allegation(
            case, subject, casework.AllegationInput(f"clause:{clause.id}", "", []), inv
        )
        not_met = tuple(casework.ElementAnswer(e.id, False, "Checked against the post.") for e in clause.elements)
        casework.record_finding(
            case,
            allegation,
            casework.FindingInput("not_sustained", "Reasoning.", [], not_met),
            inv,
            allegation.row_version,
        )
        casework.submit_for_review(case, inv)
        casework.approve_outcome(case, sup)
        return case.number


def _build(instance: str, count: int, queue: multiprocessing.Queue) -> None:
    queue.put(build_case(instance, count))


def _packet(instance: str, number: str, queue: multiprocessing.Queue) -> None:
    from project import create_app
    from project.services import packets
    from project.services.casework import find_case

    app = create_app({"APP_ENV": "development", "INSTANCE_PATH": instance})
    with app.app_context():
        case = find_case(number)
        start = time.perf_counter()
        rendered = packets.render_packet(
            case, packets.PacketOrder("full", None), packets.PrintSettings(app.config["EVIDENCE_DIR"], "DOC-")
        )
        queue.put(
            {
                "seconds": time.perf_counter() - start,
                "peak_mb": peak_mb(),
                "pages": rendered.page_count,
                "bytes": len(rendered.pdf),
                "cached": rendered.from_cache,
            }
        )


def _bare(instance: str, queue: multiprocessing.Queue) -> None:
    import weasyprint

    originals = sorted((Path(instance) / "evidence" / "originals").rglob("*"))
    files = [p for p in originals if p.is_file()]
    html = "".join(
        f'<div style="break-before: page"><img src="{p.as_uri()}" style="max-width:100%"></div>' for p in files
    )
    start = time.perf_counter()
    pdf = weasyprint.HTML(string=f"<html><body>{html}</body></html>", base_url="/").write_pdf()
    queue.put({"seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "bytes": len(pdf)})


def measure(target, *args) -> dict:  # type: ignore[no-untyped-def]
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main(sizes: list[int]) -> None:
    rows = []
    for count in sizes:
        with tempfile.TemporaryDirectory(prefix="casefile-bench-") as instance:
            number = measure(_build, instance, count)
            png_kb = (
                sum(p.stat().st_size for p in (Path(instance) / "evidence" / "originals").rglob("*") if p.is_file())
                / count
                / 1024
            )
            if not rows:
                packet_processes.report(Path(instance), number, ROUNDS)
            bare = measure(_bare, instance)
            for kept in (Path(instance) / "evidence" / "packets").glob("*.pdf"):
                kept.unlink()  # the whole-process rounds above left it: this print must be a first one
            first = measure(_packet, instance, number)
            reprint = measure(_packet, instance, number)
            rows.append(
                {
                    "exhibits": count,
                    "png_kb_each": round(png_kb),
                    "bare_s": round(bare["seconds"], 2),
                    "packet_first_s": round(first["seconds"], 2),
                    "ratio": round(first["seconds"] / bare["seconds"], 2),
                    "per_exhibit_s": round(first["seconds"] / count, 3),
                    "peak_mb": round(first["peak_mb"]),
                    "bare_peak_mb": round(bare["peak_mb"]),
                    "reprint_s": round(reprint["seconds"], 3),
                    "pages": first["pages"],
                    "pdf_mb": round(first["bytes"] / 1e6, 1),
                }
            )
    header = list(rows[0])
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(str(row[k]) for k in header))
    if len(rows) >= 2:
        print(
            f"per-exhibit time at {rows[-1]['exhibits']} / at {rows[0]['exhibits']}: "
            f"{rows[-1]['per_exhibit_s'] / rows[0]['per_exhibit_s']:.2f}x"
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 50])

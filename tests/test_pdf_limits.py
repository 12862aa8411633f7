"""Limits on PDF exhibits (issue 15, F4 and Deliver 6). The penetration test uploaded a 331-byte PDF with a
5000 x 5000 pt page, which became a 108-megapixel rendition inside the request (worker memory 178 MB to
1.9 GB), and a 1,600-page PDF that took 74 s in the request. Now a PDF is read only in a worker process with
memory and time limits, its pages are counted and measured at upload, and one beyond the limits is refused
with a message that names the limit and the file's own figure."""

from __future__ import annotations

import hashlib
import io
import time

import pytest
from flask import current_app
from PIL import Image
from pypdf import PdfReader

from project.extensions import db
from project.services import evidence
from project.services.errors import InvalidInput
from project.services.evidence import EvidenceStore, PdfBeyondLimits, PdfLimits, open_pdf, read_facts
from tests.evidence_files import add, refusal
from tests.pdf_files import handmade_pdf


def test_a_pdf_with_a_5000_point_page_is_refused_naming_its_size_and_the_largest_page(app, world):
    bomb = handmade_pdf([(5000, 5000)])
    assert len(bomb) < 400  # the penetration test's file was 331 bytes
    case = world.open()
    errors = refusal(app, world, case, bomb, filename="bomb.pdf")
    assert errors["file"].startswith("Page 1 is 5,000 x 5,000 points (69 x 69 inches); the largest page accepted")
    assert "60 megapixels when printed at 150 dpi, about 3,718 x 3,718 points (52 inches square)" in errors["file"]


def test_only_the_oversized_page_is_named_and_a_normal_page_is_accepted(app, world):
    case = world.open()
    errors = refusal(app, world, case, handmade_pdf([(612, 792), (612, 792), (4000, 4000)]), filename="c.pdf")
    assert errors["file"].startswith("Page 3 is 4,000 x 4,000 points")
    exhibit = add(app, world, case, handmade_pdf([(612, 792), (1224, 792)]), filename="ok.pdf")
    assert exhibit.page_count == 2 and exhibit.media_type == "application/pdf"


def test_a_1600_page_pdf_is_refused_quickly_naming_its_page_count_and_the_limit(app, world):
    case = world.open()
    pages = handmade_pdf(1600)
    started = time.monotonic()
    errors = refusal(app, world, case, pages, filename="dump.pdf")
    took = time.monotonic() - started
    assert errors["file"] == "The PDF has 1,600 pages: the limit is 200 pages for one exhibit."
    assert took < 10, f"refusing took {took:.1f} s"  # was 74 s inside the request


def test_the_page_limit_is_the_apps_configured_one(app, world):
    app.config["EVIDENCE_MAX_PDF_PAGES"] = 3
    settings = evidence.EvidenceSettings.from_config(app.config)
    assert settings.pdf_limits == PdfLimits(3, app.config["EVIDENCE_MAX_PIXELS"], 1024, 60)
    case = world.open()
    with pytest.raises(InvalidInput) as refused:
        evidence.add_exhibit(
            case,
            evidence.ExhibitInput(handmade_pdf(4), "four.pdf", "Four pages", None, None, "Ivy", "Print to PDF"),
            world.actor(world.investigator),
            settings,
        )
    assert refused.value.errors["file"] == "The PDF has 4 pages: the limit is 3 pages for one exhibit."


def test_a_damaged_pdf_is_refused_as_damaged(app, world):
    case = world.open()
    fake = b"%PDF-1.7\n<html><body>Not a PDF</body></html>\n%%EOF\n"
    errors = refusal(app, world, case, fake, filename="fake.pdf")
    assert errors["file"] == "The PDF is damaged and cannot be read. Capture or download it again."


def test_a_rendering_beyond_the_worker_memory_limit_is_stopped_and_this_process_carries_on():
    """A page allowed by a generous pixel limit but needing more memory than the worker has: the worker
    stops with a clear error, and this process goes on to draw the next PDF."""
    limits = PdfLimits(max_page_pixels=10**9, worker_memory_mb=200)
    with pytest.raises(PdfBeyondLimits, match="needed more than the 200 MB memory limit, so it was stopped"):
        with open_pdf(handmade_pdf([(5000, 5000)]), limits) as worker:
            worker.render(0, 150)  # 10,417 x 10,417 pixels: 325 MB of RGB
    with open_pdf(handmade_pdf(1), limits) as worker:
        page = worker.render(0, 150)
    assert (page.width, page.height) == (1275, 1651)


def test_a_worker_that_does_not_answer_in_time_is_stopped():
    with pytest.raises(PdfBeyondLimits, match="took longer than the 0.001-second limit, so it was stopped"):
        read_facts(handmade_pdf(1), PdfLimits(worker_seconds=0.001))


def test_the_worker_reads_pages_and_sizes_without_drawing():
    facts = read_facts(handmade_pdf([(612, 792), (5000, 5000)]))
    assert facts.page_count == 2 and facts.page_sizes == [(612, 792), (5000, 5000)]
    assert facts.active_content == []


def test_a_stored_pdf_beyond_the_limits_prints_as_a_page_that_says_why(app, world):
    """An exhibit stored before the limits (written to the store directly, as an older upload left it):
    the packet prints, and the exhibit's page names the page that was too large to draw."""
    from tests.unit.test_packets import approved_case, render

    case = approved_case(world)
    bomb = handmade_pdf([(5000, 5000)])
    sha = hashlib.sha256(bomb).hexdigest()
    EvidenceStore(current_app.config["EVIDENCE_DIR"]).put_original(sha, bomb)
    exhibit = evidence.exhibits_of(case)[0]
    exhibit.sha256, exhibit.media_type, exhibit.size_bytes = sha, "application/pdf", len(bomb)
    db.session.flush()
    packet = render(case, "full")
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(packet.pdf)).pages]
    page = next(t for t in texts if "Exhibit 1: could not be rendered" in t).replace("\n", " ")
    assert "Page 1 is 5,000 x 5,000 points, too large to print: the limit is 60,000,000 pixels" in page


def test_a_pdf_within_the_limits_is_printed_from_the_worker_at_150_dpi(app, world):
    case = world.open()
    exhibit = add(app, world, case, handmade_pdf([(612, 792), (792, 612)]), filename="two.pdf")
    data = EvidenceStore(current_app.config["EVIDENCE_DIR"]).read_original(exhibit.sha256)
    assert data is not None
    pages = evidence.pdf_renditions(current_app.config["EVIDENCE_DIR"], exhibit.sha256, data)
    sizes = [Image.open(io.BytesIO(page)).size for page in pages]
    assert sizes == [(1275, 1651), (1651, 1275)]

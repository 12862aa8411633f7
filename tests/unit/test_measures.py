"""The durations /metrics reports (issue 20, item 4): a packet's rendering and an OCR reading are each
counted once when they happen, and a packet read back from the cache is not a rendering."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from project import clock, metrics
from project.services import evidence, packets
from tests.ocr_images import needs_font, needs_tesseract, screenshot


def count(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_packet_rendering_is_timed_once_and_a_read_back_is_not(world):
    case = world.approved_not_sustained(world.open(exhibit=True))
    order = packets.PacketOrder("full", None)
    settings = packets.PrintSettings(current_app.config["EVIDENCE_DIR"], "DOC-")
    before = count("casefile_packet_render_seconds_count", variant="full")
    assert not packets.render_packet(case, order, settings).from_cache
    assert count("casefile_packet_render_seconds_count", variant="full") == before + 1
    assert count("casefile_packet_render_seconds_sum", variant="full") > 0
    assert packets.render_packet(case, order, settings).from_cache
    assert count("casefile_packet_render_seconds_count", variant="full") == before + 1


@needs_tesseract
@needs_font
def test_an_ocr_reading_is_timed(app, world):
    png, _ = screenshot([(30, 40, "Visiting day in the laundry room")])
    case = world.open()
    exhibit = evidence.add_exhibit(
        case,
        evidence.ExhibitInput(
            png, "post.png", "Screenshot of the post", None, clock.now() - timedelta(hours=1), "Ivy", "Snipping"
        ),
        world.actor(world.investigator),
        evidence.EvidenceSettings.from_config(app.config),
    )
    before = count("casefile_ocr_seconds_count")
    evidence.index_exhibit_text(exhibit, evidence.OcrSettings(app.config["EVIDENCE_DIR"]))
    assert "laundry" in exhibit.ocr_text
    assert count("casefile_ocr_seconds_count") == before + 1

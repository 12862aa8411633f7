"""The text inside screenshots is searchable: Tesseract reads an image exhibit at upload (OCR_ON_UPLOAD) or from
``flask evidence ocr``, and its words find the case. The text is indexed masked, so labor relations (who may not
see the reporter) cannot find a case by a protected person's name read in a screenshot, nor see it in a
passage, even when the person is listed after the text was read. Images are drawn in DejaVu Sans."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from project import clock
from project.extensions import db
from project.models import Case, Exhibit
from project.services import casework, evidence, search
from tests.factories import PASSWORD, World, answer_just_cause, element_answers, screen_speech
from tests.ocr_images import needs_font, needs_tesseract, screenshot

pytestmark = [needs_tesseract, needs_font]

LINES = [
    (30, 40, "Visiting day in the laundry room again"),
    (30, 110, "Marcus Whitfield cell 14 smiling"),
    (30, 180, "Posted by a correction officer"),
]


def upload(app: Flask, world: World, case: Case, lines: list[tuple[int, int, str]] = LINES) -> Exhibit:
    png, _ = screenshot(lines)
    return evidence.add_exhibit(
        case,
        evidence.ExhibitInput(
            png, "visiting.png", "Screenshot of the post", None, clock.now() - timedelta(hours=1), "Ivy", "Snipping"
        ),
        world.actor(world.investigator),
        evidence.EvidenceSettings.from_config(app.config),
    )


def approve(world: World, case: Case) -> None:
    """Subject, allegation, finding, submission and approval of an open case, so labor relations sees it."""
    subject = world.with_subject(case)
    clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.3")
    investigator = world.actor(world.investigator)
    allegation = casework.frame_allegation(
        case, subject, casework.AllegationInput(f"clause:{clause.id}", "", []), investigator
    )
    finding = casework.FindingInput(
        "not_sustained", "The inmate cannot be identified.", [], element_answers(allegation, "not_sustained")
    )
    screen_speech(case, allegation, world.actor(world.investigator))
    casework.record_finding(case, allegation, finding, investigator, allegation.row_version)
    casework.submit_for_review(case, investigator)
    answer_just_cause(case, world.actor(world.supervisor))
    casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")


def hits(user, words: str, case: Case) -> list:  # type: ignore[no-untyped-def]
    return [hit for hit in search.search(user, words) if hit.case_id == case.id]


def test_a_word_inside_a_screenshot_finds_its_case_when_ocr_runs_at_upload(app, world):
    app.config["OCR_ON_UPLOAD"] = True
    case = world.open()
    exhibit = upload(app, world, case)
    [hit] = hits(world.investigator, "laundry", case)
    assert hit.kind == "exhibit" and "<mark>laundry</mark>" in hit.snippet
    db.session.refresh(exhibit)  # the job read it in a session of its own, after the upload's commit
    assert "Visiting day in the laundry room" in (exhibit.ocr_text or "")
    assert [e.action for e in evidence.custody_log(exhibit)][-1] == "exhibit.text_read"
    assert hits(world.investigator, "smiling", case)  # a word of another line


def test_without_ocr_at_upload_the_command_reads_the_exhibits_not_read_yet(app, world, runner):
    case = world.open()
    upload(app, world, case)  # OCR_ON_UPLOAD is off in testing
    assert hits(world.investigator, "laundry", case) == []
    first = runner.invoke(args=["evidence", "ocr"])
    assert first.exit_code == 0, first.output
    assert "Text read and indexed for 1 exhibit(s)." in first.output
    assert [hit.kind for hit in hits(world.investigator, "laundry", case)] == ["exhibit"]
    again = runner.invoke(args=["evidence", "ocr"])
    assert "Text read and indexed for 0 exhibit(s)." in again.output


def test_labor_relations_cannot_find_a_case_by_a_protected_name_read_in_a_screenshot(app, world):
    app.config["OCR_ON_UPLOAD"] = True
    case = world.open()
    upload(app, world, case)
    assert hits(world.investigator, "Whitfield", case)  # nobody listed him yet: his name is just text
    casework.add_protected_person(
        case, casework.ProtectedPersonInput("inmate", "Marcus Whitfield"), world.actor(world.investigator)
    )  # exhibit 1's indexed text is masked again in this flush
    upload(app, world, case, [(30, 40, "Whitfield waved at the tier camera")])  # masked as it is indexed
    approve(world, case)

    assert hits(world.labor, "tier camera", case)  # exhibit 2 is indexed
    for words in ("Whitfield", "Marcus Whitfield", "whitf"):
        assert hits(world.labor, words, case) == [], words
    [hit] = hits(world.labor, "laundry", case)  # the case is visible to them and its exhibit text indexed
    assert hit.kind == "exhibit" and "Whitfield" not in hit.snippet and "[REDACTED]" in hit.snippet
    assert hits(world.labor, "smiling", case)  # the rest of the line stays searchable


def test_the_case_list_shows_labor_relations_the_exhibit_passage_masked(app, world, client, sign_in):
    app.config["OCR_ON_UPLOAD"] = True
    case = world.open()
    casework.add_protected_person(
        case, casework.ProtectedPersonInput("inmate", "Marcus Whitfield"), world.actor(world.investigator)
    )
    upload(app, world, case)
    approve(world, case)
    sign_in(client, world.labor.email, PASSWORD)
    page = client.get("/cases/?mine=0&q=laundry cell").get_data(as_text=True)
    assert case.number in page and "Text in an exhibit:" in page
    assert "Whitfield" not in page and "Marcus" not in page

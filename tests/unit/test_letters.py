"""Letters to a subject: the wording kept as versioned data (unknown placeholders refused), the pre-disciplinary
notice (charges with the quoted clause, evidence, meeting date, union representation) and the notice of
discipline (step, days, dates, written rebuttal), stored content-addressed with their SHA-256 and audited; the
notice's date is the written notice that the deadline clocks run from; nothing typed becomes HTML and nothing
is fetched. Today is 2026-03-02."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from project import pdf_engine
from project.extensions import db
from project.models import AuditEvent, Letter
from project.permissions import NotPermitted
from project.services import casework, catalogue, deadlines, labor
from project.services.discipline import ProposalInput, propose_discipline
from project.services.errors import CaseworkError, InvalidInput
from tests.factories import answer_just_cause, element_answers, screen_speech

TODAY = date(2026, 3, 2)
CLAUSE_TEXT = (
    "Confidential information related to DOC internal reports, security procedures, facility procedures, "
    "internal policies, attorney client privileged information, security equipment, or any other "
    "proprietary information."
)


def pdf_text(pdf: bytes) -> str:
    """Every page's text with its whitespace (line wrapping) folded to single spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def evidence_dir(app) -> str:
    return app.config["EVIDENCE_DIR"]


def case_for_letters(
    world, reasoning: str = "The post shows the sally port keypad.", step: str = "suspension", days: int | None = 3
):
    """An approved case: Exhibit 1 supports the sustained 5.b.i.2 allegation, ``step`` proposed and approved."""
    case = world.open()
    exhibit = world.add_screenshot(case)
    subject = world.with_subject(case)
    investigator = world.actor(world.investigator)
    clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
    allegation = casework.frame_allegation(
        case, subject, casework.AllegationInput(f"clause:{clause.id}", "", [exhibit.id]), investigator
    )
    screen_speech(case, allegation, world.actor(world.investigator))
    casework.record_finding(
        case,
        allegation,
        casework.FindingInput("sustained", reasoning, [exhibit.id], element_answers(allegation, "sustained")),
        investigator,
        allegation.row_version,
    )
    world.interviewed(case, subject)
    propose_discipline(case, subject, ProposalInput(step, days, "Agreed with labor relations."), investigator, None)
    casework.submit_for_review(case, investigator)
    answer_just_cause(case, world.actor(world.supervisor))
    casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    return case


def print_as_labor(app, world, case, kind: str, on: date = TODAY):
    return labor.print_letter(
        case, case.subjects[0], labor.LetterOrder(kind, on), world.actor(world.labor), evidence_dir(app)
    )


# The wording ---------------------------------------------------------------------------------------------


# The pre-disciplinary notice -----------------------------------------------------------------------------


def test_the_pre_disciplinary_notice_states_charges_evidence_meeting_and_union_representation(app, world, frozen_clock):
    case = case_for_letters(world)
    world.labor_record(case, meeting_on=date(2026, 3, 9))
    letter, pdf = print_as_labor(app, world, case, "pre_disciplinary_notice")
    text = pdf_text(pdf)
    employee = case.subjects[0].employee
    for expected in (
        "Department of Correction",
        "CONFIDENTIAL - PERSONNEL",
        f"Case {case.number}",
        "March 2, 2026",
        "Notice of Pre-Disciplinary Meeting",
        f"{employee.first_name} {employee.last_name}",
        "pre-disciplinary meeting on March 9, 2026",
        "Charge 1: AD 2.26 section 5.b.i.2",
        'Section 5.b.i provides: "The following subjects shall NOT be discussed, posted or written about in any '
        'manner on social media:"',
        f'Section 5.b.i.2: "{CLAUSE_TEXT}"',
        "Finding: Sustained. The post shows the sally port keypad.",
        "Exhibit 1: Screenshot of the post",
        "You have the right to union representation at this meeting.",
        "Lou Labor",
        "Page 1 of",
    ):
        assert expected in text, expected
    assert (letter.kind, letter.letter_date, letter.template.version, letter.printed_by_id) == (
        "pre_disciplinary_notice",
        TODAY,
        1,
        world.labor.id,
    )
    printed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "letter.printed")).one()
    assert printed.detail["notice_issued_on_set"] is None  # the meeting notice sets no labor date
    assert labor.labor_action_of(case.subjects[0]).notice_issued_on is None


def test_a_meeting_notice_needs_the_meeting_date_and_a_sustained_allegation(app, world, frozen_clock):
    case = case_for_letters(world)
    with pytest.raises(InvalidInput) as refused:
        print_as_labor(app, world, case, "pre_disciplinary_notice")
    assert "Record the date of the pre-disciplinary meeting" in refused.value.errors["meeting_on"]
    cleared = world.approved()  # its one allegation is not sustained
    with pytest.raises(InvalidInput) as refused:
        print_as_labor(app, world, cleared, "pre_disciplinary_notice")
    assert "is sustained, so there is no letter to print" in refused.value.errors["subject"]
    frozen_clock.advance(days=2)  # today is 2026-03-04
    world.labor_record(case, meeting_on=date(2026, 3, 3))
    with pytest.raises(InvalidInput) as refused:
        print_as_labor(app, world, case, "pre_disciplinary_notice", on=date(2026, 3, 4))
    assert refused.value.errors["letter_date"] == "The notice must be dated on or before the meeting of 2026-03-03."
    with pytest.raises(InvalidInput) as refused:
        print_as_labor(app, world, case, "pre_disciplinary_notice", on=date(2026, 3, 5))
    assert "cannot be dated in the future" in refused.value.errors["letter_date"]
    assert db.session.scalars(select(Letter)).all() == []


# The notice of discipline and the clocks -----------------------------------------------------------------


def test_the_notice_of_discipline_states_the_step_dates_and_rebuttal_and_is_the_written_notice(
    app, world, frozen_clock
):
    case = case_for_letters(world, step="suspension", days=3)
    world.labor_record(
        case,
        meeting_on=TODAY,
        decision_on=TODAY,
        imposed_step="suspension",
        imposed_suspension_days=3,
        effective_on=date(2026, 3, 2),
    )
    before = {d.rule.code: d.status for d in deadlines.case_deadlines(case, TODAY)}
    assert before == {"written_notice": "due"}
    letter, pdf = print_as_labor(app, world, case, "notice_of_discipline")
    text = pdf_text(pdf)
    for expected in (
        "Notice of Discipline",
        "On March 2, 2026 the Department decided to impose the following discipline: Suspension of 3 days.",
        "The discipline takes effect on March 2, 2026: the suspension of 3 days begins then.",
        labor.REBUTTAL_STATEMENT,
        "Ari Appointing Appointing Authority",
        f'Section 5.b.i.2: "{CLAUSE_TEXT}"',
        "CONFIDENTIAL - PERSONNEL",
        f"Case {case.number}",
    ):
        assert expected in text, expected
    action = labor.labor_action_of(case.subjects[0])
    assert (action.notice_issued_on, action.updated_by_id) == (TODAY, world.labor.id)
    clocks = {d.rule.code: (d.status, d.trigger_on, d.done_on) for d in deadlines.case_deadlines(case, TODAY)}
    assert clocks["written_notice"] == ("met", TODAY, TODAY)
    assert clocks["copy_to_employee"] == ("due", TODAY, None)  # the disciplinary document's clock starts
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "letter.printed")).one()
    assert event.detail | {"size_bytes": 0} == {
        "kind": "notice_of_discipline",
        "sha256": letter.sha256,
        "letter_date": "2026-03-02",
        "issued_on": "2026-03-02",
        "backdated_reason": None,
        "template_version": 1,
        "subject": case.subjects[0].employee.employee_number,
        "size_bytes": 0,
        "notice_issued_on_set": "2026-03-02",
    }
    assert (event.actor_id, event.case_id, event.object_id) == (world.labor.id, case.id, str(letter.id))


def test_a_dismissal_notice_needs_its_effective_date_and_starts_the_earliest_effective_date_clock(
    app, world, frozen_clock
):
    case = case_for_letters(world, step="dismissal", days=None)
    world.labor_record(case, meeting_on=TODAY, decision_on=TODAY, imposed_step="dismissal")
    with pytest.raises(InvalidInput) as refused:  # never "a date to be confirmed"
        print_as_labor(app, world, case, "notice_of_discipline")
    assert "Record the effective date first" in refused.value.errors["effective_on"]
    action = labor.labor_action_of(case.subjects[0])
    with pytest.raises(InvalidInput) as early:  # no notice yet: it can be issued today at the earliest
        world.labor_record(
            case,
            action.row_version,
            meeting_on=TODAY,
            decision_on=TODAY,
            imposed_step="dismissal",
            effective_on=date(2026, 3, 15),
        )
    assert "the earliest effective date is 2026-03-16" in early.value.errors["effective_on"]
    world.labor_record(
        case,
        action.row_version,
        meeting_on=TODAY,
        decision_on=TODAY,
        imposed_step="dismissal",
        effective_on=date(2026, 3, 16),
    )
    _, pdf = print_as_labor(app, world, case, "notice_of_discipline")
    assert "The discipline takes effect on March 16, 2026." in pdf_text(pdf)
    assert "to be confirmed" not in pdf_text(pdf)
    clocks = {d.rule.code: (d.status, d.on) for d in deadlines.case_deadlines(case, TODAY)}
    assert clocks["effective_after_notice"] == ("met", date(2026, 3, 16))  # the recorded date keeps the rule


def test_a_recorded_notice_date_is_kept_and_a_notice_needs_an_imposed_step(app, world, frozen_clock):
    case = case_for_letters(world)
    frozen_clock.advance(days=10)  # today is 2026-03-12
    world.labor_record(case, meeting_on=date(2026, 3, 5), decision_on=date(2026, 3, 6))
    with pytest.raises(InvalidInput) as refused:
        print_as_labor(app, world, case, "notice_of_discipline", on=date(2026, 3, 12))
    assert "Record the discipline imposed" in refused.value.errors["kind"]
    action = labor.labor_action_of(case.subjects[0])
    world.labor_record(
        case,
        action.row_version,
        meeting_on=date(2026, 3, 5),
        decision_on=date(2026, 3, 6),
        notice_issued_on=date(2026, 3, 9),
        imposed_step="suspension",
        imposed_suspension_days=3,
        effective_on=date(2026, 3, 16),
    )
    print_as_labor(app, world, case, "notice_of_discipline", on=date(2026, 3, 12))
    db.session.refresh(action)
    assert action.notice_issued_on == date(2026, 3, 9)
    with pytest.raises(InvalidInput) as refused:
        print_as_labor(app, world, case, "notice_of_discipline", on=date(2026, 3, 5))
    assert "cannot come before the decision to discipline of 2026-03-06" in refused.value.errors["letter_date"]


# Storage, versions, safety, permission ---------------------------------------------------------------------


def test_the_stored_letter_matches_its_hash_and_a_download_is_verified_and_audited(app, world, frozen_clock):
    case = case_for_letters(world)
    world.labor_record(case, meeting_on=date(2026, 3, 9))
    letter, pdf = print_as_labor(app, world, case, "pre_disciplinary_notice")
    path = labor.letter_path(evidence_dir(app), letter.sha256)
    assert path.read_bytes() == pdf and letter.size_bytes == len(pdf)
    import hashlib

    assert hashlib.sha256(pdf).hexdigest() == letter.sha256
    assert labor.letters_of(case) == [letter]
    assert labor.download_letter(case, letter, world.actor(world.labor), evidence_dir(app)) == pdf
    downloaded = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "letter.downloaded")).one()
    assert downloaded.detail["sha256"] == letter.sha256
    os.chmod(path, 0o640)
    path.write_bytes(pdf + b"%tampered")
    with pytest.raises(labor.LetterTampered):
        labor.download_letter(case, letter, world.actor(world.labor), evidence_dir(app))
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "letter.integrity_failed")).one()


def test_markup_typed_in_a_reasoning_or_the_wording_stays_text_and_nothing_is_fetched(
    app, world, frozen_clock, monkeypatch
):
    typed = '<script>alert(1)</script> <img src="file:///etc/passwd">'
    case = case_for_letters(world, reasoning=f"Posted {typed}")
    world.labor_record(case, meeting_on=date(2026, 3, 9))
    current = catalogue.latest_template("pre_disciplinary_notice")
    catalogue.save_template(
        "pre_disciplinary_notice", "<b>Notice</b>", current.body + f"\n\n{typed}", world.actor(world.labor), 1
    )
    fetchers: list[pdf_engine.RefusingFetcher] = []
    original = pdf_engine.RefusingFetcher.__init__

    def remember(self):  # type: ignore[no-untyped-def]
        original(self)
        fetchers.append(self)

    monkeypatch.setattr(pdf_engine.RefusingFetcher, "__init__", remember)
    _, pdf = print_as_labor(app, world, case, "pre_disciplinary_notice")
    text = pdf_text(pdf)
    squeezed = "".join(text.split())  # a line may wrap inside the typed URL
    assert "".join(f"Finding: Sustained. Posted {typed}".split()) in squeezed and "<b>Notice</b>" in text
    assert squeezed.count("".join(typed.split())) == 2
    assert b"root:x:0:0" not in pdf and len(fetchers) == 1 and fetchers[0].refused == []
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 0


def test_the_renderer_refuses_any_outside_resource():
    with pytest.raises(CaseworkError, match="outside resource"):
        labor.render_pdf('<p>x</p><img src="file:///etc/passwd"><img src="https://example.com/a.png">')


def test_only_labor_relations_prints_and_a_failed_render_writes_nothing(app, world, frozen_clock, monkeypatch):
    case = case_for_letters(world)
    world.labor_record(case, meeting_on=date(2026, 3, 9))
    for user in (world.investigator, world.supervisor, world.admin):
        with pytest.raises(NotPermitted):
            labor.print_letter(
                case,
                case.subjects[0],
                labor.LetterOrder("pre_disciplinary_notice", TODAY),
                world.actor(user),
                evidence_dir(app),
            )

    def broken(html: str) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("project.services.labor.rendering.render_pdf", broken)
    with pytest.raises(RuntimeError):
        print_as_labor(app, world, case, "pre_disciplinary_notice")
    assert db.session.scalars(select(Letter)).all() == []
    assert not (Path(evidence_dir(app)) / "letters").exists()
    assert (
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "letter.printed").order_by(AuditEvent.id)
        ).all()
        == []
    )


def test_a_save_that_fails_after_the_file_was_written_removes_the_file(app, world, frozen_clock, monkeypatch):
    case = case_for_letters(world)
    world.labor_record(
        case, decision_on=TODAY, imposed_step="suspension", imposed_suspension_days=3, effective_on=TODAY
    )

    def failing_audit(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr("project.services.labor.letters.record_for", failing_audit)
    with pytest.raises(RuntimeError):
        print_as_labor(app, world, case, "notice_of_discipline")
    assert db.session.scalars(select(Letter)).all() == []
    assert labor.labor_action_of(case.subjects[0]).notice_issued_on is None
    assert list((Path(evidence_dir(app)) / "letters").rglob("*.pdf")) == []

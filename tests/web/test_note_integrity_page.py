"""A note altered or deleted in the database, around the application, is not shown as genuine: the case
page and the printed packet say so next to it (issue 15, finding 5)."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import text

from project.extensions import db
from project.services import casework, packets
from tests.factories import PASSWORD, answer_just_cause, element_answers, screen_speech


def _approved_with_notes(world):
    """An approved case whose investigator wrote two notes while it was open."""
    case = world.open()
    investigator = world.actor(world.investigator)
    first = casework.add_note(case, "action", "Requested the platform's records.", investigator)
    second = casework.add_note(case, "interview", "Interviewed the officer.", investigator)
    subject = world.with_subject(case)
    clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
    allegation = casework.frame_allegation(
        case, subject, casework.AllegationInput(f"clause:{clause.id}", "", []), investigator
    )
    finding = casework.FindingInput(
        "not_sustained", "No facility shown.", [], element_answers(allegation, "not_sustained")
    )
    screen_speech(case, allegation, world.actor(world.investigator))
    casework.record_finding(case, allegation, finding, investigator, allegation.row_version)
    casework.submit_for_review(case, investigator)
    answer_just_cause(case, world.actor(world.supervisor))
    casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    return case, first, second


def _case_page(client, sign_in, world, case) -> str:
    sign_in(client, world.supervisor.email, PASSWORD)
    response = client.get(f"/cases/{case.number}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_intact_case_page_shows_no_warning(client, world, sign_in):
    case, _first, _second = _approved_with_notes(world)
    page = _case_page(client, sign_in, world, case)
    assert "Requested the platform" in page and "Not genuine" not in page and "Notes missing" not in page


def test_a_note_edited_in_the_database_is_shown_as_not_genuine(client, world, sign_in):
    case, first, second = _approved_with_notes(world)
    db.session.execute(text("UPDATE notes SET body = 'Requested nothing.' WHERE id = :id"), {"id": first.id})
    db.session.commit()
    page = _case_page(client, sign_in, world, case)
    edited = page.split(f'id="note-{first.id}"')[1].split("</li>")[0]
    assert "Not genuine:" in edited and "body changed since it was written" in edited
    untouched = page.split(f'id="note-{second.id}"')[1].split("</li>")[0]
    assert "Not genuine" not in untouched


def test_a_deleted_note_is_reported_missing_on_the_case_page(client, world, sign_in):
    case, first, _second = _approved_with_notes(world)
    note_id = first.id
    db.session.execute(text("DELETE FROM notes WHERE id = :id"), {"id": note_id})
    db.session.commit()
    page = _case_page(client, sign_in, world, case)
    assert "Notes missing:" in page and f"note record {note_id})" in page


def test_the_packet_prints_an_edited_note_as_not_genuine(app, world):
    case, first, _second = _approved_with_notes(world)
    db.session.execute(text("UPDATE notes SET body = 'Requested nothing.' WHERE id = :id"), {"id": first.id})
    db.session.commit()
    db.session.expire_all()
    settings = packets.PrintSettings(app.config["EVIDENCE_DIR"], "DOC-")
    pdf = packets.render_packet(case, packets.PacketOrder("full"), settings).pdf
    printed = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "NOT GENUINE: this note's body changed since it was written" in printed
    assert printed.count("NOT GENUINE") == 1

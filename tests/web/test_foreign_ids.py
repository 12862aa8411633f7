"""Object ids of another case, in URLs and form fields, never reach that other case's records
(ASVS 4.0.3 V4.2.1, insecure direct object references). Both cases are ones the user may work on, so
only the pairing of a record with the wrong case is being refused."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import Allegation, Exhibit, Note
from project.services import casework, labor
from tests.factories import PASSWORD


def test_record_ids_of_another_open_case_are_404(app, client, world, sign_in, csrf_token_from):
    mine, other = world.open(exhibit=True), world.open(exhibit=True, text="A second case")
    for case in (mine, other):
        world.with_subject(case)
    clause = next(c for c in casework.citable_clauses() if c.number == "5.c")
    foreign_allegation = casework.frame_allegation(
        other,
        other.subjects[0],
        casework.AllegationInput(f"clause:{clause.id}", "", []),
        world.actor(world.investigator),
    )
    sign_in(client, world.investigator.email, PASSWORD)
    with app.test_request_context():
        urls = [
            url_for("records.post", number=mine.number, post_id=other.posts[0].id),
            url_for("records.finding", number=mine.number, allegation_id=foreign_allegation.id),
            url_for("discipline.propose", number=mine.number, subject_id=other.subjects[0].id),
        ]
    token = csrf_token_from(client.get(f"/cases/{mine.number}").get_data(as_text=True))
    tried = 0
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert (
            client.post(
                url,
                data={
                    "csrf_token": token,
                    "text": "x",
                    "reasoning": "x",
                    "step": "counseling",
                    "platform": "x",
                    "finding": "sustained",
                },
            ).status_code
            == 404
        ), url
        tried += 2
    assert tried == 6
    # form fields naming another case's records are refused too
    page = client.get(f"/cases/{mine.number}/allegations/new").get_data(as_text=True)
    foreign_exhibit = db.session.scalars(select(Exhibit).where(Exhibit.case_id == other.id)).first()
    response = client.post(
        f"/cases/{mine.number}/allegations/new",
        data={
            "csrf_token": csrf_token_from(page),
            "subject": str(other.subjects[0].id),
            "citation": f"clause:{clause.id}",
            "reasoning": "x",
            "exhibits": [str(foreign_exhibit.id)],
        },
    )
    assert response.status_code == 400
    assert db.session.scalars(select(Allegation).where(Allegation.case_id == mine.id)).all() == []
    first_note_of_other = casework.add_note(other, "action", "Other case note.", world.actor(world.investigator))
    response = client.post(
        f"/cases/{mine.number}/notes",
        data={"csrf_token": token, "kind": "action", "body": "A correction", "corrects": str(first_note_of_other.id)},
    )
    assert response.status_code == 400
    assert db.session.scalars(select(Note).where(Note.case_id == mine.id)).all() == []


def test_labor_records_and_letters_of_another_case_are_404(app, client, world, sign_in):
    mine = world.approved_with_discipline(step="suspension", days=3)
    other = world.approved_with_discipline(step="suspension", days=3)
    world.labor_record(
        other,
        decision_on=clock.local_today(),
        imposed_step="suspension",
        imposed_suspension_days=3,
        effective_on=clock.local_today(),
    )
    letter, _ = labor.print_letter(
        other,
        other.subjects[0],
        labor.LetterOrder("notice_of_discipline", clock.local_today()),
        world.actor(world.labor),
        app.config["EVIDENCE_DIR"],
    )
    sign_in(client, world.labor.email, PASSWORD)
    with app.test_request_context():
        urls = [
            url_for("labor.record", number=mine.number, subject_id=other.subjects[0].id),
            url_for("letters.index", number=mine.number, subject_id=other.subjects[0].id),
            url_for("letters.download", number=mine.number, letter_id=letter.id),
        ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    with app.test_request_context():
        own = url_for("letters.download", number=other.number, letter_id=letter.id)
    assert client.get(own).status_code == 200, "the same letter through its own case is served"

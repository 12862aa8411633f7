"""Letters through the pages: print (the PDF comes back as a safely named download), the list of printed letters,
verified re-download, the wording page (a new version per save, unknown placeholders refused), and who may."""

from __future__ import annotations

import hashlib
import io
import os
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, Letter
from project.services import catalogue, labor
from tests.factories import PASSWORD
from tests.unit.test_letters import case_for_letters, pdf_text

TODAY = date(2026, 3, 2)


def letters_url(case) -> str:
    return f"/cases/{case.number}/subjects/{case.subjects[0].id}/letters"


@pytest.fixture()
def print_through_the_page(post_form):
    def print_through_the_page(client, case, kind: str, letter_date: str = "2026-03-02"):
        return post_form(client, letters_url(case), {"kind": kind, "letter_date": letter_date})

    return print_through_the_page


def test_labor_relations_prints_a_notice_and_downloads_it_again(
    client, world, frozen_clock, sign_in, print_through_the_page
):
    case = case_for_letters(world)
    world.labor_record(
        case, decision_on=TODAY, imposed_step="suspension", imposed_suspension_days=3, effective_on=TODAY
    )
    sign_in(client, world.labor.email, PASSWORD)
    assert "Letters: pre-disciplinary notice, notice of discipline" in client.get(f"/cases/{case.number}").get_data(
        as_text=True
    )
    response = print_through_the_page(client, case, "notice_of_discipline")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename={case.number}-notice_of_discipline-2026-03-02.pdf"
    )
    assert response.headers["Cache-Control"] == "no-store"
    pdf = response.get_data()
    assert labor.REBUTTAL_STATEMENT in pdf_text(pdf)
    letter = db.session.scalars(select(Letter)).one()
    assert letter.sha256 == hashlib.sha256(pdf).hexdigest()
    listing = client.get(letters_url(case)).get_data(as_text=True)
    assert letter.sha256 in listing and "Notice of discipline" in listing and "Lou Labor" in listing
    assert "2026-03-02" in listing and "version 1" in listing
    again = client.get(f"/cases/{case.number}/letters/{letter.id}")
    assert again.status_code == 200 and again.get_data() == pdf
    assert again.headers["Cache-Control"] == "no-store" and "attachment" in again.headers["Content-Disposition"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "letter.downloaded")).one()
    assert (event.actor_id, event.object_id, event.remote_addr) == (world.labor.id, str(letter.id), "127.0.0.1")
    assert labor.labor_action_of(case.subjects[0]).notice_issued_on == TODAY


def test_a_letter_the_case_cannot_support_yet_is_refused_on_the_page(
    client, world, frozen_clock, sign_in, print_through_the_page
):
    case = case_for_letters(world)
    world.labor_record(case, decision_on=TODAY)
    sign_in(client, world.labor.email, PASSWORD)
    response = print_through_the_page(client, case, "pre_disciplinary_notice")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Record the date of the pre-disciplinary meeting" in body
    response = print_through_the_page(client, case, "notice_of_discipline", letter_date="2026-03-09")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="letter_date-error"' in body and "in the future" in body
    response = print_through_the_page(client, case, "no_such_letter")
    assert response.status_code == 400
    assert db.session.scalars(select(Letter)).all() == []


def test_a_tampered_letter_is_not_released(client, app, world, frozen_clock, sign_in):
    case = case_for_letters(world)
    world.labor_record(case, meeting_on=date(2026, 3, 9))
    letter, _ = labor.print_letter(
        case,
        case.subjects[0],
        labor.LetterOrder("pre_disciplinary_notice", TODAY),
        world.actor(world.labor),
        app.config["EVIDENCE_DIR"],
    )
    path = labor.letter_path(app.config["EVIDENCE_DIR"], letter.sha256)
    os.chmod(path, 0o640)
    path.write_bytes(b"%PDF-1.7 forged")
    sign_in(client, world.labor.email, PASSWORD)
    response = client.get(f"/cases/{case.number}/letters/{letter.id}")
    assert response.status_code == 409 and "no longer matches the SHA-256" in response.get_data(as_text=True)
    assert b"forged" not in response.get_data()


def test_who_may_see_print_and_download_letters(client, app, world, frozen_clock, sign_in, csrf_token_from):
    case = case_for_letters(world)
    world.labor_record(case, meeting_on=date(2026, 3, 9))
    letter, _ = labor.print_letter(
        case,
        case.subjects[0],
        labor.LetterOrder("pre_disciplinary_notice", TODAY),
        world.actor(world.labor),
        app.config["EVIDENCE_DIR"],
    )
    download = f"/cases/{case.number}/letters/{letter.id}"
    expected = {"investigator": 403, "investigator2": 404, "admin": 404, "supervisor": 403}  # 404: case unseen
    for role, status in expected.items():
        viewer = app.test_client()
        sign_in(viewer, getattr(world, role).email, PASSWORD)
        token = csrf_token_from(viewer.get("/").get_data(as_text=True))
        assert viewer.get(letters_url(case)).status_code == status, role
        assert viewer.get(download).status_code == status, role
        posted = viewer.post(
            letters_url(case),
            data={"csrf_token": token, "kind": "pre_disciplinary_notice", "letter_date": "2026-03-02"},
        )
        assert posted.status_code == status, role
        assert viewer.get("/letters/templates/notice_of_discipline").status_code == 403, role
    assert db.session.scalars(select(Letter)).all() == [letter]
    sign_in(client, world.labor.email, PASSWORD)
    other = case_for_letters(world)
    assert client.get(f"/cases/{other.number}/letters/{letter.id}").status_code == 404  # not this case's letter
    assert client.get(f"/cases/{case.number}/subjects/{other.subjects[0].id}/letters").status_code == 404


def test_labor_relations_edits_the_wording_as_new_versions(client, world, frozen_clock, sign_in, csrf_token_from):
    sign_in(client, world.labor.email, PASSWORD)
    assert "Notice of discipline" in client.get("/letters/templates").get_data(as_text=True)
    url = "/letters/templates/notice_of_discipline"
    page = client.get(url).get_data(as_text=True)
    assert "{effective_date}" in page and "Version 1" in page
    body = catalogue.latest_template("notice_of_discipline").body
    token = csrf_token_from(page)
    refused = client.post(
        url, data={"csrf_token": token, "title": "Notice", "version": "1", "body": body + "\n\n{rebutal_deadline}"}
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Unknown placeholder {rebutal_deadline}." in text
    assert "{employee_name}, {employee_number}" in text  # the known ones are listed
    assert [t.version for t in catalogue.template_versions("notice_of_discipline")] == [1]
    typed = '<script>alert(1)</script><img src="file:///etc/passwd">'
    saved = client.post(
        url,
        data={
            "csrf_token": token,
            "title": "Notice of Discipline",
            "version": "1",
            "body": body + f"\n\nQuestions: {typed}",
        },
    )
    assert saved.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Lou Labor" in page and [t.version for t in catalogue.template_versions("notice_of_discipline")] == [2, 1]
    stale = client.post(url, data={"csrf_token": token, "title": "Late", "version": "1", "body": body})
    assert stale.status_code == 400 and "Someone else changed" in stale.get_data(as_text=True)
    assert client.get("/letters/templates/no_such_letter").status_code == 404


def test_a_letter_from_edited_wording_shows_the_typed_markup_as_text(
    client, world, frozen_clock, sign_in, print_through_the_page
):
    case = case_for_letters(world)
    world.labor_record(
        case, decision_on=TODAY, imposed_step="suspension", imposed_suspension_days=3, effective_on=TODAY
    )
    body = catalogue.latest_template("notice_of_discipline").body
    catalogue.save_template(
        "notice_of_discipline", "Notice <i>of</i> Discipline", body + "\n\n<b>Bold?</b>", world.actor(world.labor), 1
    )
    sign_in(client, world.labor.email, PASSWORD)
    pdf = print_through_the_page(client, case, "notice_of_discipline").get_data()
    text = pdf_text(pdf)
    assert "Notice <i>of</i> Discipline" in text and "<b>Bold?</b>" in text
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Notice of discipline · Case " + case.number

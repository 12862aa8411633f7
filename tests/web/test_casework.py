"""Case work through the routes: intake, the case page, records, review."""

from __future__ import annotations

import re

from sqlalchemy import select

from project.extensions import db
from project.models import Case, Note
from tests.factories import PASSWORD

COMPLAINT = {
    "title": "Officer posted <script>alert(1)</script> facility map",
    "complaint_source": "public_complaint",
    "received_at": "2026-03-01T09:30",
    "facility": "",
    "narrative": "A member of the public sent a link.",
    "reporter_name": "Jane Citizen",
    "reporter_contact": "jane@example.test",
    "platform": "instagram",
    "url": "https://instagram.example/p/abc",
    "account_handle": "@gate_keeper",
    "display_name": "GK",
    "posted_at": "2026-02-28T22:05",
    "first_seen_at": "2026-03-01T08:00",
    "text": "Here is the yard layout",
    "identified_as_doc": "yes",
    "on_duty": "no",
    "doc_insignia": "",
    "attribution": "Profile photo",
}


def test_logging_a_complaint_opens_a_numbered_case_in_intake(client, world, frozen_clock, sign_in, post_form):
    sign_in(client, world.investigator.email, PASSWORD)
    response = post_form(client, "/cases/new", COMPLAINT)
    assert response.status_code == 302 and response.headers["Location"] == "/cases/SM-2026-0001"
    page = client.get("/cases/SM-2026-0001").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "Here is the yard layout" in page and "Intake" in page
    assert "2026-03-01 09:30 EST" in page  # shown in the department's zone, with the zone
    case = db.session.scalars(select(Case)).one()
    assert case.received_at.isoformat() == "2026-03-01T14:30:00+00:00"  # stored in UTC
    assert case.posts[0].identified_as_doc is True and case.posts[0].doc_insignia is None


def test_bad_complaint_shows_messages_next_to_fields_and_keeps_input(client, world, frozen_clock, sign_in, post_form):
    sign_in(client, world.investigator.email, PASSWORD)
    bad = COMPLAINT | {
        "title": "",
        "url": "not a url",
        "posted_at": "2026-03-05T10:00",
        "first_seen_at": "2026-03-04T10:00",
        "text": "kept text",
    }
    response = post_form(client, "/cases/new", bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="title-error"' in page and 'id="url-error"' in page
    assert "kept text" in page and "Jane Citizen" in page
    assert db.session.scalars(select(Case)).all() == []


def test_reporter_is_shown_only_to_the_assigned_investigator_and_supervisors(client, world, sign_in, csrf_token_from):
    case = world.approved()
    sign_in(client, world.labor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Officer R. Reporter" not in page and "Confidential" in page
    client.post("/auth/sign-out", data={"csrf_token": csrf_token_from(page)})
    sign_in(client, world.supervisor.email, PASSWORD)
    assert "Officer R. Reporter" in client.get(f"/cases/{case.number}").get_data(as_text=True)


def test_investigator_works_a_case_through_the_pages(client, world, sign_in, post_form):
    case = world.open()
    employee = world.employees.make(facility="York CI", last_name="Okafor")
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}"
    linked = {"employee_number": employee.employee_number, "confirmed": "yes"}
    response = post_form(client, f"{url}/subjects", linked, page=url)
    assert response.status_code == 302
    response = post_form(
        client, f"{url}/notes", {"kind": "interview", "body": "Interviewed the subject.", "corrects": ""}, page=url
    )
    assert response.status_code == 302
    page = client.get(f"{url}/allegations/new").get_data(as_text=True)
    clause_value = re.search(r'<option value="(clause:\d+)">AD 2.26 5.b.i.2 ', page).group(1)
    subject_value = re.search(r'<option value="(\d+)">Okafor', page).group(1)
    response = post_form(
        client,
        f"{url}/allegations/new",
        {"subject": subject_value, "citation": clause_value, "reasoning": "Shows procedures."},
    )
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Confidential information related to DOC internal reports, security procedures" in page
    assert "Okafor" in page and "Interviewed the subject." in page


def test_a_note_correction_points_at_the_note_it_corrects(client, world, sign_in, post_form):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}"
    post_form(client, f"{url}/notes", {"kind": "phone_call", "body": "Called at 9.", "corrects": ""}, page=url)
    first = db.session.scalars(select(Note)).one()
    post_form(client, f"{url}/notes", {"kind": "phone_call", "body": "It was 10.", "corrects": str(first.id)}, page=url)
    page = client.get(url).get_data(as_text=True)
    second = db.session.scalars(select(Note).where(Note.corrects_id == first.id)).one()
    assert f'corrects <a href="#note-{first.id}">Note 1</a>' in page  # which note, not "an earlier note"
    assert f'Corrected by <a href="#note-{second.id}">Note 2</a>.' in page


def test_supervisor_returns_with_reasons_and_the_investigator_sees_them(client, world, sign_in, post_form):
    case = world.in_review()
    sign_in(client, world.supervisor.email, PASSWORD)
    url = f"/cases/{case.number}"
    response = post_form(client, f"{url}/review", {"decision": "returned", "reasons": ""})
    assert response.status_code == 400
    assert "Give your reasons for returning the case" in response.get_data(as_text=True)
    reasons = {"decision": "returned", "reasons": "Get the screenshot."}
    confirm = {"step": "confirmed", "version": str(case.content_version)}
    response = post_form(client, f"{url}/review", reasons | confirm)
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.state == "open"
    page = client.get(url).get_data(as_text=True)
    assert "Get the screenshot." in page


def test_stale_edit_is_refused_and_nothing_is_overwritten(client, world, sign_in, csrf_token_from):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}/edit"
    page = client.get(url).get_data(as_text=True)
    token = csrf_token_from(page)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    fields = {
        "csrf_token": token,
        "version": version,
        "complaint_source": "staff_report",
        "received_at": "2026-03-01T09:30",
        "narrative": "",
    }
    assert client.post(url, data=fields | {"title": "First save"}).status_code == 302
    second = client.post(url, data=fields | {"title": "Second save from an old form"})
    assert second.status_code == 400
    assert "Someone else changed case" in second.get_data(as_text=True)
    db.session.refresh(case)
    assert case.title == "First save"


def test_case_list_filters_and_searches(client, world, sign_in):
    keys = world.open(title="Keys photo", text="look at these keys")
    world.open(title="Rant about shifts", text="mandatory overtime again")
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get("/cases/?q=KEYS").get_data(as_text=True)
    assert keys.number in page and "Rant about shifts" not in page
    page = client.get("/cases/?state=closed").get_data(as_text=True)
    assert keys.number not in page and "No case matches" in page

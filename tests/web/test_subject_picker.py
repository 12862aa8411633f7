"""The employee picker and unlinking through the pages (issue 16, item 1): search the roster by name, number
or facility, confirm who will be linked, unlink a wrong one with a reason while the case is open."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent
from project.services import casework, roster
from tests.factories import PASSWORD

ROSTER = (
    "employee_number,last_name,first_name,title,facility\n"
    "100487,Kowalski,Terrence,Correction Officer,Osborn CI\n"
    "100478,Kowalczyk,Anna,Lieutenant,Cheshire CI\n"
)


@pytest.fixture()
def open_case(world, client, sign_in):
    roster.import_roster(ROSTER)
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    return case


def subject_names(case) -> list[str]:
    db.session.expire_all()
    return [s.employee.last_name for s in case.subjects]


def test_kowalski_is_linked_by_name_after_a_confirmation(client, open_case, csrf_token_from):
    url = f"/cases/{open_case.number}"
    page = client.get(url).get_data(as_text=True)
    assert f'action="{url}/subjects/find"' in page and 'name="q"' in page  # the case page's search
    found = client.get(f"{url}/subjects/find", query_string={"q": "Kowalski"})
    listing = found.get_data(as_text=True)
    assert found.status_code == 200 and "Kowalski, Terrence" in listing and "Kowalczyk" not in listing
    assert "Correction Officer" in listing and "Osborn CI" in listing
    confirm_url = re.search(r'href="([^"]*subjects/confirm\?employee=100487)"', listing).group(1)
    confirm = client.get(confirm_url.replace("&amp;", "&"))
    shown = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Kowalski, Terrence" in shown
    assert "Correction Officer" in shown and "Osborn CI" in shown and "100487" in shown
    assert subject_names(open_case) == []  # nothing is linked before the confirmation
    response = client.post(
        f"{url}/subjects",
        data={"employee_number": "100487", "confirmed": "yes", "csrf_token": csrf_token_from(shown)},
    )
    assert response.status_code == 302
    assert subject_names(open_case) == ["Kowalski"]


def test_a_name_typed_where_a_number_was_expected_lists_the_matches(client, open_case, csrf_token_from):
    url = f"/cases/{open_case.number}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(f"{url}/subjects", data={"employee_number": "Kowal", "csrf_token": token})
    page = response.get_data(as_text=True)
    assert "Kowalski, Terrence" in page and "Kowalczyk, Anna" in page
    assert "no employee on the roster has this number" not in page.lower()
    response = client.post(f"{url}/subjects", data={"employee_number": "100487", "csrf_token": token})
    assert response.status_code == 200 and "Kowalski, Terrence" in response.get_data(as_text=True)
    assert subject_names(open_case) == []  # a number alone asks to confirm, it does not link


def test_a_search_with_no_match_says_so(client, open_case):
    page = client.get(f"/cases/{open_case.number}/subjects/find", query_string={"q": "Zbigniew"})
    assert page.status_code == 200 and "No employee on the roster matches" in page.get_data(as_text=True)


def test_the_roster_answers_the_picker_as_json_to_whoever_may_edit_the_case(
    app, client, world, open_case, sign_in, csrf_token_from
):
    url = f"/cases/{open_case.number}/subjects/roster.json"
    response = client.get(url, query_string={"q": "kow"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert [e["name"] for e in body["employees"]] == ["Kowalczyk, Anna", "Kowalski, Terrence"]
    first = body["employees"][1]
    assert first["number"] == "100487" and first["title"] == "Correction Officer" and first["facility"] == "Osborn CI"
    assert first["confirm_url"].endswith("/subjects/confirm?employee=100487") and body["more"] is False
    assert client.get(url, query_string={"q": ""}).get_json() == {"employees": [], "more": False}
    for email, status in ((world.investigator2.email, 404), (world.supervisor.email, 403)):
        other = app.test_client()
        sign_in(other, email, PASSWORD)
        assert other.get(url, query_string={"q": "kow"}).status_code == status, email
    assert app.test_client().get(url, query_string={"q": "kow"}).status_code == 302  # to sign in


def test_the_picker_script_is_the_apps_own(client, open_case):
    page = client.get(f"/cases/{open_case.number}").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/static/js/picker.js" in scripts and all(src.startswith("/static/") for src in scripts)
    script = client.get("/static/js/picker.js")
    assert script.status_code == 200 and b"roster.json" not in script.data  # the URL comes from the page
    assert 'data-roster-url="/cases/' in page


def test_a_wrong_subject_is_unlinked_with_a_reason(client, world, open_case, csrf_token_from):
    subject = casework.link_subject(open_case, casework.find_employee("100478"), world.actor(world.investigator))
    url = f"/cases/{open_case.number}"
    page = client.get(url).get_data(as_text=True)
    unlink = f"{url}/subjects/{subject.id}/unlink"
    assert f'href="{unlink}"' in page
    form = client.get(unlink).get_data(as_text=True)
    assert "Kowalczyk, Anna" in form and "Lieutenant" in form and 'name="reason"' in form
    token = csrf_token_from(form)
    refused = client.post(unlink, data={"reason": " ", "csrf_token": token})
    assert refused.status_code == 400 and "Say why" in refused.get_data(as_text=True)
    assert subject_names(open_case) == ["Kowalczyk"]
    response = client.post(unlink, data={"reason": "Typed 100478 for 100487.", "csrf_token": token})
    assert response.status_code == 302
    assert subject_names(open_case) == []
    assert "Kowalczyk, Anna was unlinked" in client.get(url).get_data(as_text=True)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "subject.unlinked")).one()
    assert event.detail["reason"] == "Typed 100478 for 100487."
    assert "Subject unlinked" in client.get(f"{url}/timeline").get_data(as_text=True)


def test_unlinking_after_submission_is_refused_with_a_clear_message(client, world, sign_in, csrf_token_from):
    case = world.in_review()
    sign_in(client, world.investigator.email, PASSWORD)
    unlink = f"/cases/{case.number}/subjects/{case.subjects[0].id}/unlink"
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert unlink not in page
    response = client.post(unlink, data={"reason": "Wrong officer.", "csrf_token": csrf_token_from(page)})
    assert response.status_code == 403
    assert "only while the case is in intake or open" in response.get_data(as_text=True)
    assert len(case.subjects) == 1

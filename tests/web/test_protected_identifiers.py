"""On the pages, whoever may not see the reporter sees none of the case's protected identifiers, in any field
and any spelling; the investigator and the supervisor see them, and keep the list of protected people."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient

from project import clock
from project.demo import post_screenshot
from project.models import Case
from project.services import casework, evidence
from tests.factories import PASSWORD, World, element_answers, screen_speech

REPORTER, PHONE = "Janet O'Brien", "860-555-0142"
# every spelling the case below uses, and the witness: none may reach labor relations' pages
LEAK = re.compile(r"Brien|Janet|555\D{0,3}0142|8605550142|Wanda|(?<![0-9a-f])0177(?![0-9a-f])", re.IGNORECASE)


def case_naming_the_reporter_everywhere(world: World) -> Case:
    """An approved case whose title, narrative, post, exhibit, note, reasoning, review reasons and timeline
    name the reporter (in several spellings) or a protected witness."""
    investigator, supervisor = world.actor(world.investigator), world.actor(world.supervisor)
    case = world.open(
        title="Keys on Facebook, sent by Janet O'Brien", text="Tagged Janet O’Brien’s cousin, Wanda Witness"
    )
    casework.update_complaint(
        case,
        casework.ComplaintInput(
            title=case.title,
            complaint_source=case.complaint_source,
            received_at=case.received_at,
            narrative="Janet  O'Brien (860.555.0142) sent the screenshot.\nJ. O'Brien also named Wanda Witness.",
            reporter_name=REPORTER,
            reporter_contact=PHONE,
        ),
        investigator,
        None,
    )
    casework.add_protected_person(
        case, casework.ProtectedPersonInput("witness", "Wanda Witness", phone="203-555-0177"), investigator
    )
    config = current_app.config
    evidence.add_exhibit(
        case,
        evidence.ExhibitInput(
            post_screenshot("facebook", "@co_pat", "Pat S.", "Mar 1, 2026", "Look at these keys"),
            "capture.png",
            "Screenshot sent by Janet O'Brien",
            None,
            clock.now() - timedelta(days=1),
            "Complainant (Janet O'Brien)",
            "Phone photo, texted from 8605550142",
        ),
        investigator,
        evidence.EvidenceSettings(config["EVIDENCE_DIR"], config["EVIDENCE_MAX_BYTES"], config["EVIDENCE_MAX_PIXELS"]),
    )
    casework.add_note(
        case, "phone_call", "Called O'BRIEN, JANET at (860) 555 0142; Wanda Witness agreed.", investigator
    )
    subject = world.with_subject(case)
    clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
    allegation = casework.frame_allegation(
        case, subject, casework.AllegationInput(f"clause:{clause.id}", "", []), investigator
    )
    screen_speech(case, allegation, world.actor(world.investigator))
    casework.record_finding(
        case,
        allegation,
        casework.FindingInput(
            "not_sustained",
            "Janet O'Brien's screenshot shows no facility.",
            [],
            element_answers(allegation, "not_sustained"),
        ),
        investigator,
        allegation.row_version,
    )
    casework.submit_for_review(case, investigator)
    casework.return_to_investigator(case, supervisor, "Ask Janet O'Brien for the original file.")
    casework.submit_for_review(case, investigator)
    casework.approve_outcome(case, supervisor, "Agreed; 860 555 0142 stays confidential.")
    return case


def pages_of(case: Case) -> list[str]:
    url = f"/cases/{case.number}"
    return [url, f"{url}/exhibits", f"{url}/exhibits/1", f"{url}/timeline", "/cases/?q=screenshot&mine=0"]


def client_of(app: Flask, sign_in, email: str) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, email, PASSWORD).status_code == 302
    return client


def test_labor_relations_sees_no_spelling_of_the_reporter_or_a_witness_on_any_page(app, world, sign_in):
    case = case_naming_the_reporter_everywhere(world)
    labor = client_of(app, sign_in, world.labor.email)
    for url in pages_of(case):
        response = labor.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert LEAK.findall(page) == [], url
        assert "[REDACTED]" in page, url
    page = labor.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Reporter</dt><dd>Confidential" in page and 'id="protected"' not in page
    assert "Captured by" not in page and "by [REDACTED]" in page  # "Complainant (Janet O'Brien)" masked whole


@pytest.mark.parametrize("who", ["investigator", "supervisor"])
def test_the_investigator_and_the_supervisor_see_the_reporter_in_every_field(app, world, sign_in, who):
    case = case_naming_the_reporter_everywhere(world)
    client = client_of(app, sign_in, getattr(world, who).email)
    for url in pages_of(case):
        page = client.get(url).get_data(as_text=True)
        assert "[REDACTED]" not in page, url
        assert "Janet O&#39;Brien" in page, url
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Complainant (Janet O&#39;Brien)" in page and "(860.555.0142)" in page and PHONE in page
    assert 'id="protected"' in page and "Wanda Witness" in page and "203-555-0177" in page


def test_the_protected_people_are_listed_and_removed_through_the_case_page(client, world, sign_in, post_form):
    case = world.approved()
    url = f"/cases/{case.number}"
    sign_in(client, world.supervisor.email, PASSWORD)
    response = post_form(
        client,
        f"{url}/protected/new",
        {"role": "inmate", "name": "Marcus Hale", "inmate_number": "CT-448812", "note": "In the photo"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#protected")
    page = client.get(url).get_data(as_text=True)
    assert "Marcus Hale" in page and "CT-448812" in page
    person = casework.protected_people(case)[0]
    response = post_form(client, f"{url}/protected/{person.id}/remove", {}, page=url)
    assert response.status_code == 302
    assert casework.protected_people(case) == [] and "Marcus Hale" not in client.get(url).get_data(as_text=True)


def test_a_bad_entry_is_shown_again_with_the_services_message(client, world, sign_in, post_form):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    response = post_form(
        client, f"/cases/{case.number}/protected/new", {"role": "witness", "name": "Wanda Witness", "phone": "12"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="phone-error"' in page and "7 to 15 digits" in page and 'value="Wanda Witness"' in page
    assert casework.protected_people(case) == []


def test_labor_relations_may_not_list_protected_people(client, world, sign_in, csrf_token_from):
    case = world.approved()
    sign_in(client, world.labor.email, PASSWORD)
    assert client.get(f"/cases/{case.number}/protected/new").status_code == 403
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(
        f"/cases/{case.number}/protected/new", data={"csrf_token": token, "role": "witness", "name": "Sneaky"}
    )
    assert response.status_code == 403 and casework.protected_people(case) == []


def test_the_investigator_who_logged_a_complaint_sees_the_reporter_they_typed(app, world, sign_in):
    case = world.intake()  # logged by world.investigator, waiting unassigned in the intake queue
    logger = client_of(app, sign_in, world.investigator.email).get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Officer R. Reporter (555-0100)" in logger
    other = client_of(app, sign_in, world.investigator2.email).get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Reporter</dt><dd>Confidential" in other and "Officer R. Reporter" not in other


def test_the_csv_export_masks_titles_for_labor_relations_only(app, world, sign_in):
    case = case_naming_the_reporter_everywhere(world)
    labor = client_of(app, sign_in, world.labor.email).get("/cases/export.csv?mine=0").get_data(as_text=True)
    assert f'{case.number},"Keys on Facebook, sent by [REDACTED]"' in labor and LEAK.findall(labor) == []
    supervisor = client_of(app, sign_in, world.supervisor.email).get("/cases/export.csv?mine=0").get_data(as_text=True)
    assert "sent by Janet O'Brien" in supervisor

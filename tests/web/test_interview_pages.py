"""The interview pages (issue 17, items 1, 2 and 4): the investigator records an interview and why a subject was
not interviewed; the server checks role, case state and CSRF; bad input is shown again with the service's words
and saves nothing; what people typed stays text; the case page, the submit page and the packet show it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from project import clock
from project.services import casework
from tests.factories import PASSWORD, answer_just_cause
from tests.unit.test_interview_before_submission import sustained_not_interviewed

SCRIPT = "<script>alert('x')</script>"


def form_data(world, subject, **changes: object) -> dict[str, object]:
    held = (clock.now() - timedelta(hours=3)).astimezone(clock.zone())
    data: dict[str, object] = {
        "person": f"subject:{subject.id}",
        "held_at": held.strftime("%Y-%m-%dT%H:%M"),
        "place": "IA office, Wethersfield",
        "interviewers": [str(world.investigator.id)],
        "kind": "administrative",
        "garrity_given": "y",
        "garrity_acknowledged": "y",
        "garrity_form_version": "DOC Garrity form rev. 2024-01",
        "representation": "requested",
        "representative_name": "Sam Steward",
        "representative_union": "AFSCME Local 1565",
        "summary": f"Admits the post. {SCRIPT}",
    }
    return data | changes


def test_the_investigator_records_an_interview_and_the_case_page_shows_it_as_text(client, world, sign_in, post_form):
    case, subject = sustained_not_interviewed(world)
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}/interviews/new"
    form = client.get(url).get_data(as_text=True)
    assert "Garrity warning form version (a department setting)" in form
    assert "(department setting)" in form  # the form version offered is labelled as the department's
    response = post_form(client, url, form_data(world, subject))
    assert response.status_code == 302 and response.headers["Location"].endswith("#interviews")
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert 'href="#interviews"' in page and "Given and acknowledged; form DOC Garrity form rev. 2024-01" in page
    assert "Requested: Sam Steward, AFSCME Local 1565" in page
    assert SCRIPT not in page and "&lt;script&gt;alert(" in page
    assert casework.submission_problems(case) == []


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"summary": ""}, "Type a summary of the statement."),
        ({"garrity_acknowledged": ""}, "Garrity warning given and acknowledged"),
        ({"representation": ""}, "Weingarten"),
        ({"person": "subject:abc"}, "Choose who was interviewed"),
        ({"interviewers": ["99999999999", "x"]}, "Name at least one interviewer."),
        ({"held_at": "yesterday"}, "Not a valid datetime value."),
        ({"recordings": ["424242"]}, "Choose exhibits of this case"),
        ({"kind": "criminal", "garrity_given": "", "garrity_acknowledged": ""}, "to whom"),
    ],
)
def test_bad_input_is_shown_again_and_nothing_is_saved(client, world, sign_in, post_form, changes, message):
    case, subject = sustained_not_interviewed(world)
    sign_in(client, world.investigator.email, PASSWORD)
    response = post_form(client, f"/cases/{case.number}/interviews/new", form_data(world, subject, **changes))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert casework.interviews_of(case) == []


def test_a_post_without_the_csrf_token_is_refused(client, world, sign_in):
    case, subject = sustained_not_interviewed(world)
    sign_in(client, world.investigator.email, PASSWORD)
    response = client.post(f"/cases/{case.number}/interviews/new", data=form_data(world, subject))
    assert response.status_code == 400 and casework.interviews_of(case) == []


def test_who_may_record_interviews_is_checked_on_the_server(client, world, sign_in, csrf_token_from):
    case, subject = sustained_not_interviewed(world)
    submitted = world.proposed()
    casework.submit_for_review(submitted, world.actor(world.investigator))
    for email, number, status in [
        (world.supervisor.email, case.number, 403),  # sees the case, does not work it
        (world.investigator2.email, case.number, 404),  # may not see the case at all
        (world.investigator.email, submitted.number, 403),  # their own case, but in review
    ]:
        sign_in(client, email, PASSWORD)
        token = csrf_token_from(client.get("/").get_data(as_text=True))
        for url in (f"/cases/{number}/interviews/new", f"/cases/{number}/interviews/not-interviewed"):
            assert client.get(url).status_code == status
            data = form_data(world, subject) | {"csrf_token": token, "subject": str(subject.id), "reason": "declined"}
            assert client.post(url, data=data | {"note": "x"}).status_code == status
        client.post("/auth/sign-out", data={"csrf_token": token})
    assert casework.interviews_of(case) == [] and casework.not_interviewed_of(case) == {}
    sign_in(client, world.investigator.email, PASSWORD)
    page = client.get(f"/cases/{submitted.number}/interviews/new").get_data(as_text=True)
    assert "this case is in review" in page


def test_the_submit_page_names_the_subject_never_interviewed_then_the_reason_recorded(
    client, world, sign_in, post_form
):
    case, subject = sustained_not_interviewed(world)
    name = subject.employee.display_name
    sign_in(client, world.investigator.email, PASSWORD)
    submit = client.get(f"/cases/{case.number}/submit").get_data(as_text=True)
    assert f"{name} has a sustained finding but was never interviewed" in submit
    assert "never interviewed, and no reason recorded" in submit and "disabled" in submit
    url = f"/cases/{case.number}/interviews/not-interviewed"
    bad = post_form(client, url, {"subject": str(subject.id), "reason": "declined", "note": ""})
    assert bad.status_code == 400 and "Say what happened" in bad.get_data(as_text=True)
    done = post_form(client, url, {"subject": str(subject.id), "reason": "declined", "note": f"Refused. {SCRIPT}"})
    assert done.status_code == 302
    submit = client.get(f"/cases/{case.number}/submit").get_data(as_text=True)
    assert "not interviewed: declined to be interviewed</strong>. Refused. &lt;script&gt;" in submit
    assert "never interviewed" not in submit and SCRIPT not in submit


def test_labor_relations_sees_the_interview_of_a_witness_with_the_witness_masked(client, world, sign_in):
    case = world.proposed()
    investigator = world.actor(world.investigator)
    witness = casework.add_protected_person(
        case, casework.ProtectedPersonInput("witness", "Wanda Whitcombe"), investigator
    )
    world.interviewed(
        case,
        case.subjects[0],
        person=f"person:{witness.id}",
        kind="voluntary",
        garrity_given=False,
        garrity_acknowledged=False,
        garrity_form_version="",
        summary="Wanda Whitcombe saw the post on the break room screen.",
    )
    casework.submit_for_review(case, investigator)
    answer_just_cause(case, world.actor(world.supervisor))  # approving discipline needs the seven tests
    casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    sign_in(client, world.labor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "saw the post on the break room screen" in page and "Whitcombe" not in page
    assert "Record an interview" not in page


def test_a_person_is_linked_from_the_roster_through_the_people_form(client, world, sign_in, post_form):
    case = world.open()
    employee = world.employees.make(last_name="Okafor")
    sign_in(client, world.investigator.email, PASSWORD)
    found = client.get(f"/cases/{case.number}/protected/roster.json?q=Okafor").get_json()
    assert [e["number"] for e in found["employees"]] == [employee.employee_number]
    page = f"/cases/{case.number}/protected/new?employee={employee.employee_number}"
    assert "From the roster: <strong>Okafor" in client.get(page).get_data(as_text=True)
    response = post_form(
        client,
        f"/cases/{case.number}/protected/new",
        {"role": "witness", "employee_number": employee.employee_number, "name": ""},
        page=page,
    )
    assert response.status_code == 302
    assert [p.employee_id for p in casework.protected_people(case)] == [employee.id]
    bad = post_form(client, f"/cases/{case.number}/protected/new", {"role": "victim", "employee_number": "000"})
    assert bad.status_code == 400 and "No employee on the roster has the number 000" in bad.get_data(as_text=True)

"""The grievance page: labor relations files a grievance, records a step, and is told plainly what is wrong;
the case page shows the grievance and refuses to close while it is open."""

from __future__ import annotations

from datetime import date

from project.extensions import db
from project.services import casework, grievances
from tests.factories import PASSWORD
from tests.unit.test_grievances import events


def in_discipline_with_notice(world, frozen_clock):
    case = world.approved_with_discipline(step="dismissal")
    world.labor_record(
        case, notice_issued_on=date(2026, 3, 2), imposed_step="dismissal", effective_on=date(2026, 3, 16)
    )
    frozen_clock.advance(days=30)  # today 2026-04-01
    return case


def test_labor_relations_files_a_grievance_and_records_its_first_step(
    client, world, frozen_clock, sign_in, csrf_token_from
):
    case = in_discipline_with_notice(world, frozen_clock)
    subject = case.subjects[0]
    sign_in(client, world.labor.email, PASSWORD)
    url = f"/cases/{case.number}/subjects/{subject.id}/grievance"
    page = client.get(url).get_data(as_text=True)
    assert "No grievance is on record." in page and "Step 1 (facility) (file within 30 days" in page
    token = csrf_token_from(page)
    refused = client.post(url, data={"csrf_token": token, "action": "file", "file-filed_on": "2026-02-01"})
    assert refused.status_code == 400
    assert "The day the grievance was filed cannot be before 2026-03-02." in refused.get_data(as_text=True)
    assert grievances.grievance_of(subject) is None
    filed = client.post(
        url,
        data={
            "csrf_token": token,
            "action": "file",
            "file-filed_on": "2026-03-10",
            "file-number": "26-114",
            "file-representative": "Sam Steward",
        },
    )
    assert filed.status_code == 302
    grievance = grievances.grievance_of(subject)
    assert grievance is not None and grievance.number == "26-114"
    page = client.get(url).get_data(as_text=True)
    assert "Record the hearing and decision of Step 1 (facility)" in page
    assert "department setting (not yet confirmed by anyone)" in page
    decided = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(page),
            "action": "step",
            "step-hearing_on": "2026-03-18",
            "step-decision_on": "2026-03-25",
            "step-decision": "denied",
            "step-version": str(grievance.row_version),
        },
    )
    assert decided.status_code == 302
    db.session.refresh(grievance)
    assert (grievance.steps[0].decision, grievance.steps[0].appeal_due_on) == ("denied", date(2026, 4, 4))
    page = client.get(url).get_data(as_text=True)
    assert "Appeal to the next step" in page
    case_page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Grievance Step 1 (facility): appeal" in case_page  # the deadline, on the case's deadlines


def test_the_grievance_page_is_labor_relations_and_an_open_grievance_stops_the_close(
    client, world, frozen_clock, sign_in, csrf_token_from
):
    case = in_discipline_with_notice(world, frozen_clock)
    subject = case.subjects[0]
    grievances.file_grievance(case, subject, grievances.GrievanceInput(date(2026, 3, 10)), world.actor(world.labor))
    sign_in(client, world.supervisor.email, PASSWORD)
    assert client.get(f"/cases/{case.number}/subjects/{subject.id}/grievance").status_code == 403
    page = client.get(f"/cases/{case.number}/close").get_data(as_text=True)
    response = client.post(f"/cases/{case.number}/close", data={"csrf_token": csrf_token_from(page), "reason": "Done."})
    assert response.status_code == 400
    assert "cannot close while a grievance or arbitration is open" in response.get_data(as_text=True)
    db.session.refresh(case)
    assert case.state == "discipline"


def test_the_close_page_says_the_grievance_filing_window_is_open_before_the_close_is_confirmed(
    client, world, frozen_clock, sign_in, csrf_token_from
):
    case = in_discipline_with_notice(world, frozen_clock)  # today 2026-04-01: the window's last day
    name = case.subjects[0].employee.display_name
    sentence = f"The grievance filing window for {name} is open until 2026-04-01"
    sign_in(client, world.labor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/close").get_data(as_text=True)
    assert sentence in page
    confirm = client.post(
        f"/cases/{case.number}/close", data={"csrf_token": csrf_token_from(page), "reason": "Discipline served."}
    )
    assert confirm.status_code == 200 and sentence in confirm.get_data(as_text=True)
    db.session.refresh(case)
    assert case.state == "discipline", "nothing is closed before the confirmation"
    done = client.post(
        f"/cases/{case.number}/close",
        data={
            "csrf_token": csrf_token_from(page),
            "reason": "Discipline served.",
            "step": "confirmed",
            "version": str(case.content_version),
        },
    )
    assert done.status_code == 302
    db.session.refresh(case)
    assert case.state == "closed"
    [event] = events("case.closed")
    assert [w["until"] for w in event.detail["grievance_filing_open"]] == ["2026-04-01"]


def test_the_close_page_says_nothing_of_a_window_that_has_passed(client, world, frozen_clock, sign_in):
    case = in_discipline_with_notice(world, frozen_clock)
    frozen_clock.advance(days=1)  # 2026-04-02: the window closed yesterday
    sign_in(client, world.labor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/close").get_data(as_text=True)
    assert "Close the case" in page and "grievance filing window" not in page


def test_a_grievance_reaches_a_closed_case_through_its_page_and_reopens_it(
    client, world, frozen_clock, sign_in, csrf_token_from
):
    case = in_discipline_with_notice(world, frozen_clock)
    subject = case.subjects[0]
    sign_in(client, world.labor.email, PASSWORD)
    casework.close_case(case, world.actor(world.labor), "Dismissal implemented.")  # the window still open
    case_page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    url = f"/cases/{case.number}/subjects/{subject.id}/grievance"
    assert f'href="{url}"' in case_page  # the way to record a grievance that comes in the filing window
    page = client.get(url).get_data(as_text=True)
    assert "Recording a grievance reopens it in discipline" in page
    filed = client.post(
        url,
        data={"csrf_token": csrf_token_from(page), "action": "file", "file-filed_on": "2026-03-25"},
    )
    assert filed.status_code == 302
    db.session.expire_all()
    assert case.state == "discipline" and grievances.grievance_of(subject) is not None
    timeline = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Case reopened in discipline: grievance filed after the close" in timeline

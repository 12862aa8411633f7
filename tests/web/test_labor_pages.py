"""Labor relations through the pages: the record per subject, the deadlines on the case and on the list."""

from __future__ import annotations

from datetime import timedelta

from project import clock
from project.extensions import db
from project.services import labor
from tests.factories import PASSWORD


def test_labor_relations_records_the_meeting_and_notice_and_sees_the_clocks(
    client, world, frozen_clock, sign_in, csrf_token_from
):
    case = world.approved_with_discipline(step="suspension", days=3)
    subject = case.subjects[0]
    sign_in(client, world.labor.email, PASSWORD)
    url = f"/cases/{case.number}/subjects/{subject.id}/labor"
    page = client.get(url).get_data(as_text=True)
    today = clock.local_today()
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(page),
            "decision_on": today.isoformat(),
            "decided_by_id": str(world.appointing.id),
            "meeting_on": today.isoformat(),
            "meeting_time": "10:30",
            "meeting_place": "Warden's conference room",
            "meeting_attendees": "The employee, the steward, the warden",
            "union_rep_name": "R. Lee",
            "union_rep_union": "NP-4",
            "employee_response": "Admitted the post.",
            "documents_given": "Exhibit 1",
            "notice_issued_on": "",
            "imposed_step": "",
            "imposed_suspension_days": "",
            "effective_on": "",
            "employee_copy_on": "",
            "version": "",
        },
    )
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.state == "discipline"
    action = labor.labor_action_of(subject)
    assert (action.decided_by_id, action.meeting_time.isoformat(), action.union_rep_name, action.documents_given) == (
        world.appointing.id,
        "10:30:00",
        "R. Lee",
        "Exhibit 1",
    )
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Written notice of discipline" in page and "Due" in page
    frozen_clock.advance(days=8)
    sign_in(client, world.labor.email, PASSWORD)  # the session idled out over the week
    listing = client.get("/labor").get_data(as_text=True)
    assert case.number in listing and "OVERDUE" in listing


def test_a_future_meeting_date_is_kept_but_a_future_notice_is_refused(client, world, sign_in, csrf_token_from):
    case = world.approved_with_discipline()
    subject = case.subjects[0]
    sign_in(client, world.labor.email, PASSWORD)
    url = f"/cases/{case.number}/subjects/{subject.id}/labor"
    page = client.get(url).get_data(as_text=True)
    tomorrow = (clock.local_today() + timedelta(days=1)).isoformat()
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(page),
            "decision_on": "",
            "meeting_on": tomorrow,
            "notice_issued_on": tomorrow,
            "imposed_step": "",
            "imposed_suspension_days": "",
            "effective_on": "",
            "employee_copy_on": "",
            "version": "",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="notice_issued_on-error"' in body
    assert f'value="{tomorrow}"' in body


def test_the_deadline_list_is_for_labor_relations_and_supervisors(client, world, sign_in):
    sign_in(client, world.investigator.email, PASSWORD)
    assert client.get("/labor").status_code == 403

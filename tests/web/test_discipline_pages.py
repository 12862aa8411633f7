"""The discipline pages: the suggestion with its reasons line by line, the proposal, and a reviewer's modification."""

from __future__ import annotations

import re

from tests.factories import PASSWORD, answer_just_cause


def test_the_suggestion_and_its_reason_are_shown_and_a_departure_needs_justification(
    client, world, sign_in, csrf_token_from
):
    case = world.sustained()
    subject = case.subjects[0]
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}/subjects/{subject.id}/discipline"
    page = client.get(url).get_data(as_text=True)
    assert "Suggested: " in page and "None counted." in page and "Nothing set aside." in page
    assert "<li>Suggested: written reprimand.</li>" in page
    token = csrf_token_from(page)
    response = client.post(
        url, data={"csrf_token": token, "step": "dismissal", "suspension_days": "", "justification": "", "version": ""}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="justification-error"' in body
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "step": "dismissal",
            "suspension_days": "",
            "justification": "Published the sally port keypad code.",
            "version": "",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Proposed discipline: <strong>Dismissal</strong>" in page
    assert "Published the sally port keypad code." in page


def test_a_reviewer_modifies_the_step_and_approves_with_modification(client, world, sign_in, csrf_token_from):
    from project.services import casework

    case = world.proposed()
    casework.submit_for_review(case, world.actor(world.investigator))
    subject = case.subjects[0]
    sign_in(client, world.supervisor.email, PASSWORD)
    url = f"/cases/{case.number}/subjects/{subject.id}/modify"
    page = client.get(url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(page),
            "step": "oral_reprimand",
            "suspension_days": "",
            "justification": "First offence, long clean record.",
            "version": version,
        },
    )
    assert response.status_code == 302
    answer_just_cause(case, world.actor(world.supervisor))  # an oral reprimand is discipline: just cause first
    review = client.get(f"/cases/{case.number}/review").get_data(as_text=True)
    # issue 14: the investigator's proposal stays, the modification is shown beside it
    assert "Proposed by Ivy Investigator: <strong>written reprimand</strong>" in review
    assert "Modified at review by Sue Supervisor: <strong>oral reprimand</strong>" in review
    response = client.post(
        f"/cases/{case.number}/review",
        data={
            "csrf_token": csrf_token_from(review),
            "decision": "approved_with_modification",
            "reasons": "Lowered to an oral reprimand.",
            "step": "confirmed",  # the confirmation step's button (issue 16)
            "version": re.search(r"\(version (\d+)\)</h1>", review).group(1),
        },
    )
    assert response.status_code == 302
    from project.extensions import db

    db.session.refresh(case)
    assert case.state == "approved"
    assert casework.standing_approval(case).content_version == case.content_version

"""Every state of a case says what happens next and who does it, and a form opened again after the case has
moved on (Back to the submit page) says so, with who moved it and when, instead of "not permitted"
(issue 16, intake and state)."""

from __future__ import annotations

import pytest

from project.services import casework
from tests.factories import PASSWORD


def test_back_to_submit_after_submitting_says_when_and_by_whom(client, world, frozen_clock, sign_in, post_form):
    case = world.ready_for_review()
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}/submit"
    assert post_form(client, url, {"comment": ""}).status_code == 302
    again = client.get(url)
    page = again.get_data(as_text=True)
    assert again.status_code == 403  # still refused, and audited as such
    assert f"{case.number} has moved on" in page and "not permitted" not in page
    assert f"{case.number} is in review: submitted for review on 2026-03-02 09:30 EST by Ivy Investigator." in page
    assert "Next: a supervisor who did not investigate it approves it, returns it or closes it." in page
    assert "Nothing was changed." in page


def test_a_person_without_the_role_is_still_refused_as_not_permitted(client, world, sign_in):
    case = world.ready_for_review()
    sign_in(client, world.supervisor.email, PASSWORD)  # sees the case, never submits it
    response = client.get(f"/cases/{case.number}/submit")
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "has moved on" not in page and "not permitted" in page


def test_a_hidden_case_stays_hidden(client, world, sign_in):
    case = world.in_review()
    sign_in(client, world.investigator2.email, PASSWORD)
    assert client.get(f"/cases/{case.number}/submit").status_code == 404


@pytest.mark.parametrize(
    "state,expected",
    [
        (
            "intake",
            "Logged on 2026-03-02 09:30 EST by Ivy Investigator. Next: a supervisor assigns an investigator, who is "
            "told in their inbox.",
        ),
        ("open", "Next: Ivy Investigator investigates and submits it for review."),
        ("in_review", "Next: a supervisor who did not investigate it approves it, returns it or closes it."),
        ("approved", "Next: labor relations starts discipline processing."),
        ("discipline", "then labor relations or a supervisor closes the case."),
        ("closed", "Nothing more happens unless a supervisor reopens it, with a reason."),
    ],
)
def test_the_case_page_says_what_happens_next_and_who_does_it(client, world, frozen_clock, sign_in, state, expected):
    case = world.in_state(state)
    story = casework.state_story(case)
    assert expected in story.line
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert f'<p class="next-step">{story.line}</p>' in page

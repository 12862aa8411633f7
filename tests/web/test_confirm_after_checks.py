"""Confirmation comes after the server's checks (issue 16, forms): the review, close and reopen forms are
checked first; a form the server accepts shows a confirmation step with the values, and only "Confirm" acts.
An empty reason is an error at once, never a question first."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import Review
from tests.factories import PASSWORD

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def _confirmation_fields(page: str) -> dict[str, str]:
    return dict(HIDDEN.findall(page))


def test_an_empty_return_reason_is_an_error_at_once_with_no_question(client, world, sign_in, post_form):
    case = world.in_review()
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/review").get_data(as_text=True)
    assert "data-confirm" not in page
    response = post_form(client, f"/cases/{case.number}/review", {"decision": "returned", "reasons": ""})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Give your reasons for returning the case" in body
    assert "Confirm:" not in body


def test_a_valid_decision_is_shown_for_confirmation_and_recorded_only_when_confirmed(
    client, world, sign_in, post_form, csrf_token_from
):
    case = world.in_review()
    sign_in(client, world.supervisor.email, PASSWORD)
    url = f"/cases/{case.number}/review"
    asked = post_form(client, url, {"decision": "returned", "reasons": "Get the screenshot.\nAnd the profile."})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert f"Confirm: record this decision on {case.number} (version {case.content_version})" in page
    assert "Return to the investigator (reasons required)" in page and "Get the screenshot.<br>And the profile." in page
    assert '<button type="submit" class="primary" name="step" value="confirmed">Confirm</button>' in page
    db.session.refresh(case)
    assert case.state == "in_review"  # nothing recorded yet
    fields = _confirmation_fields(page)
    assert fields["decision"] == "returned" and fields["version"] == str(case.content_version)

    changed = client.post(url, data={**fields, "csrf_token": csrf_token_from(page), "step": "change"})
    again = changed.get_data(as_text=True)
    assert changed.status_code == 200 and "Record the decision</button>" in again and "And the profile." in again

    done = client.post(url, data={**fields, "csrf_token": csrf_token_from(page), "step": "confirmed"})
    assert done.status_code == 302
    db.session.refresh(case)
    review = db.session.scalars(select(Review).where(Review.case_id == case.id)).one()
    assert case.state == "open" and review.reasons == "Get the screenshot.\nAnd the profile."


def test_a_confirmation_of_an_older_version_is_asked_again(client, world, sign_in, post_form, csrf_token_from):
    case = world.in_review()
    sign_in(client, world.supervisor.email, PASSWORD)
    url = f"/cases/{case.number}/review"
    page = post_form(client, url, {"decision": "returned", "reasons": "Get it."}).get_data(as_text=True)
    fields = _confirmation_fields(page) | {"version": str(case.content_version - 1)}
    stale = client.post(url, data={**fields, "csrf_token": csrf_token_from(page), "step": "confirmed"})
    assert stale.status_code == 200 and "changed while you were confirming" in stale.get_data(as_text=True)
    db.session.refresh(case)
    assert case.state == "in_review"


@pytest.mark.parametrize(
    "state,who,path,reason,after,refusal",
    [
        ("discipline", "labor", "close", "", "closed", None),  # a reason is optional when closing
        ("closed", "supervisor", "reopen", "New post found.", "open", "Give the reason for reopening the case."),
    ],
)
def test_close_and_reopen_check_then_confirm(
    client, world, sign_in, post_form, csrf_token_from, state, who, path, reason, after, refusal
):
    case = world.in_state(state)
    sign_in(client, getattr(world, who).email, PASSWORD)
    url = f"/cases/{case.number}/{path}"
    if refusal:
        refused = post_form(client, url, {"reason": "  "})
        assert refused.status_code == 400 and refusal in refused.get_data(as_text=True)
    asked = post_form(client, url, {"reason": reason})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and f"Confirm: {path} the case {case.number}" in page
    db.session.refresh(case)
    assert case.state == state
    fields = _confirmation_fields(page)
    done = client.post(url, data={**fields, "csrf_token": csrf_token_from(page), "step": "confirmed"})
    assert done.status_code == 302
    db.session.refresh(case)
    assert case.state == after

"""Who takes a complaint from intake (issue 16, intake): a department setting, INTAKE_SELF_ASSIGN, decides
whether the investigator who logged it may take it; otherwise the flash and the case page say that a supervisor
assigns it and what happens next."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, Case
from tests.factories import PASSWORD
from tests.web.test_casework import COMPLAINT

TAKE = "Take this case</button>"


@pytest.fixture()
def self_assign(app, monkeypatch):
    monkeypatch.setitem(app.config, "INTAKE_SELF_ASSIGN", True)


def _flash_after_logging(client, post_form) -> str:
    response = post_form(client, "/cases/new", COMPLAINT)
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_by_default_the_logger_is_told_a_supervisor_assigns_it_and_cannot_take_it(
    client, world, sign_in, post_form, csrf_token_from
):
    sign_in(client, world.investigator.email, PASSWORD)
    page = _flash_after_logging(client, post_form)
    assert "A supervisor assigns an investigator next (a department setting" in page
    assert "If it is assigned to you, your inbox tells you" in page
    assert "Next: a supervisor assigns an investigator, who is told in their inbox." in page  # the case page
    assert TAKE not in page
    case = db.session.scalars(select(Case)).one()
    refused = client.post(f"/cases/{case.number}/take", data={"csrf_token": csrf_token_from(page)})
    assert refused.status_code == 403
    db.session.refresh(case)
    assert case.state == "intake" and case.assigned_investigator_id is None


def test_with_the_setting_the_logger_takes_it_and_the_move_is_recorded(
    client, world, sign_in, post_form, self_assign, csrf_token_from
):
    sign_in(client, world.investigator.email, PASSWORD)
    page = _flash_after_logging(client, post_form)
    assert "You may take it yourself with &#34;Take this case&#34; on its page (a department setting)" in page
    assert "the investigator who logged it may take it (a department setting allows this)" in page
    assert TAKE in page and "a department setting lets the investigator who logged it take it" in page
    case = db.session.scalars(select(Case)).one()
    taken = client.post(f"/cases/{case.number}/take", data={"csrf_token": csrf_token_from(page)})
    assert taken.status_code == 302
    db.session.refresh(case)
    assert case.state == "open" and case.assigned_investigator_id == world.investigator.id
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.assigned")).one()
    assert "department setting" in event.detail["reason"]
    shown = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert f"You took case {case.number}; it is open and assigned to you." in shown and TAKE not in shown


def test_with_the_setting_another_investigator_cannot_take_it(client, world, sign_in, self_assign, csrf_token_from):
    case = world.intake()  # logged by Ivy Investigator
    sign_in(client, world.investigator2.email, PASSWORD)
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert TAKE not in page  # Ike sees the intake queue, but did not log this one
    refused = client.post(f"/cases/{case.number}/take", data={"csrf_token": csrf_token_from(page)})
    assert refused.status_code == 403
    db.session.refresh(case)
    assert case.assigned_investigator_id is None


def test_a_supervisor_logging_a_complaint_is_told_to_assign_it(client, world, sign_in, post_form):
    sign_in(client, world.supervisor.email, PASSWORD)
    page = _flash_after_logging(client, post_form)
    assert "Next: assign an investigator from its page." in page and "Assign investigator</a>" in page

"""Finding F6 of issue 15: refused access, rejected CSRF posts and refused uploads are audited, one audit row per
person, kind and minute, with the number of refusals counted beside it, so a flood cannot swamp the trail."""

from __future__ import annotations

import io

from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, RefusalTally
from tests.factories import PASSWORD
from tests.web.test_evidence import FIELDS


def refused(kind: str) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.action == "access.refused").order_by(AuditEvent.id)
    return [event for event in db.session.scalars(query) if event.detail["kind"] == kind]


def counts(kind: str) -> list[int]:
    query = select(RefusalTally.count).where(RefusalTally.kind == kind).order_by(RefusalTally.minute)
    return list(db.session.scalars(query))


def test_f6_fifty_requests_for_someone_elses_case_make_one_audit_row_counting_fifty(
    client, world, sign_in, frozen_clock
):
    case = world.open()
    sign_in(client, world.investigator2.email, PASSWORD)
    for _ in range(50):
        assert client.get(f"/cases/{case.number}").status_code == 404
    [event] = refused("case_hidden")
    assert event.actor_id == world.investigator2.id and event.case_id == case.id
    assert event.detail["path"] == f"/cases/{case.number}"
    assert counts("case_hidden") == [50]
    frozen_clock.advance(minutes=1)
    assert client.get(f"/cases/{case.number}").status_code == 404
    assert len(refused("case_hidden")) == 2 and counts("case_hidden") == [50, 1]


def test_f6_a_case_that_does_not_exist_is_not_a_refusal(client, world, sign_in):
    sign_in(client, world.investigator2.email, PASSWORD)
    assert client.get("/cases/2026-99999").status_code == 404
    assert refused("case_hidden") == []


def test_f6_a_forbidden_action_is_audited(client, world, sign_in):
    sign_in(client, world.investigator.email, PASSWORD)
    assert client.get("/admin/users").status_code == 403
    [event] = refused("forbidden")
    assert event.actor_id == world.investigator.id and event.detail["path"] == "/admin/users"


def test_f6_rejected_csrf_posts_are_audited_and_grouped(client, users, sign_in, frozen_clock):
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    for _ in range(99):
        assert client.post("/auth/password", data={"current_password": PASSWORD}).status_code == 400
    [event] = refused("csrf")
    assert event.actor_id == user.id and event.remote_addr == "127.0.0.1"
    assert counts("csrf") == [99]


def test_f6_an_anonymous_csrf_failure_is_grouped_by_address(client):
    for _ in range(3):
        assert client.post("/auth/sign-in", data={"email": "x@example.test", "password": "y"}).status_code == 400
    [event] = refused("csrf")
    assert event.actor_id is None and event.detail["path"] == "/auth/sign-in"
    assert counts("csrf") == [3]


def test_f6_a_refused_upload_is_audited(app, client, world, sign_in, csrf_token_from):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    token = csrf_token_from(client.get(f"/cases/{case.number}/exhibits/new").get_data(as_text=True))
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = client.post(f"/cases/{case.number}/exhibits/new", data={"csrf_token": token, "note": "x" * 5000})
    assert response.status_code == 413
    [event] = refused("upload_too_large")
    assert event.actor_id == world.investigator.id


def test_f6_a_file_refused_for_its_type_is_audited_once_per_minute(app, client, world, sign_in, post_form):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}/exhibits/new"
    for _ in range(3):
        form = FIELDS | {"file": (io.BytesIO(b"MZ\x90\x00 not an image"), "payload.png")}
        response = post_form(client, url, form, content_type="multipart/form-data")
        assert response.status_code == 400 and "whatever its name says" in response.get_data(as_text=True)
    [event] = refused("upload_refused")
    assert event.actor_id == world.investigator.id and event.case_id == case.id
    assert counts("upload_refused") == [3]

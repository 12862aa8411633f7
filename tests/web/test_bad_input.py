"""Bad input anywhere gets a message, never a 500, and saves nothing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from project.extensions import db
from project.models import Allegation, AuditEvent, Exhibit, Note, ReportedPost
from tests.factories import PASSWORD

GARBAGE = [
    {},
    {"title": "x" * 5000, "received_at": "yesterday", "complaint_source": "carrier pigeon", "platform": "myspace"},
    {
        "version": "abc",
        "posted_at": "2026-13-45T99:99",
        "url": "ftp://example.test/../../etc/passwd",
        "identified_as_doc": "maybe",
    },
    {"subject": "not-a-number", "citation": "clause:999999", "exhibits": ["x", "-1"], "reasoning": "\x00"},
    {"finding": "guilty", "kind": "gossip", "body": "", "corrects": "99999", "employee_number": "' OR 1=1 --"},
    {"step": "flogging", "suspension_days": "-4", "justification": "y" * 10000, "decision": "rubber-stamp"},
    {
        "meeting_on": "31/12/2026",
        "imposed_step": "exile",
        "imposed_suspension_days": "9999",
        "investigator": "0",
    },
]


def post_routes(case, subject_id: int, allegation_id: int) -> list[str]:
    base = f"/cases/{case.number}"
    return [
        f"{base}/edit",
        f"{base}/posts/new",
        f"{base}/subjects",
        f"{base}/notes",
        f"{base}/allegations/new",
        f"{base}/allegations/{allegation_id}",
        f"{base}/subjects/{subject_id}/discipline",
        f"{base}/exhibits/new",
        f"{base}/submit",
        "/cases/new",
    ]


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (ReportedPost, Note, Allegation, Exhibit)
    )


def test_garbage_into_every_investigator_form_gets_an_answer_not_a_crash(client, world, sign_in, csrf_token_from):
    case = world.ready_for_review(finding="sustained")
    subject = case.subjects[0]
    allegation = db.session.scalars(select(Allegation)).first()
    sign_in(client, world.investigator.email, PASSWORD)
    token = csrf_token_from(client.get(f"/cases/{case.number}").get_data(as_text=True))
    before = counts()
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    statuses = set()
    for path in post_routes(case, subject.id, allegation.id):
        for data in GARBAGE:
            response = client.post(path, data={"csrf_token": token, **data})
            statuses.add(response.status_code)
            assert response.status_code < 500, (path, data)
            if response.status_code == 400:
                assert 'class="error"' in response.get_data(as_text=True), (path, data)
    assert statuses <= {200, 302, 400, 403, 404}
    assert counts() == before
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_before


@pytest.mark.parametrize(
    "role,state,path",
    [
        ("supervisor", "in_review", "review"),
        ("supervisor", "open", "assign"),
        ("supervisor", "closed", "reopen"),
        ("labor", "discipline", "close"),
    ],
)
def test_garbage_into_review_and_closing_forms(client, world, role, state, path, sign_in, csrf_token_from):
    case = world.in_state(state)
    sign_in(client, getattr(world, role).email, PASSWORD)
    page = client.get(f"/cases/{case.number}/{path}")
    assert page.status_code == 200
    token = csrf_token_from(page.get_data(as_text=True))
    moved = False
    for data in GARBAGE:
        response = client.post(f"/cases/{case.number}/{path}", data={"csrf_token": token, **data})
        # 200: the confirmation step, nothing recorded yet (issue 16); once a post went through, the case has
        # moved on and the same action is refused
        assert response.status_code in ((200, 302, 400, 403) if moved else (200, 302, 400)), (
            data,
            response.status_code,
        )
        moved = moved or response.status_code == 302


def test_an_upload_with_garbage_metadata_and_a_fake_image_saves_nothing(client, world, sign_in, csrf_token_from):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/exhibits/new")
    token = csrf_token_from(page.get_data(as_text=True))
    data = {
        "csrf_token": token,
        "description": "",
        "captured_at": "soon",
        "captured_by": "",
        "capture_method": "",
        "source_url": "javascript:alert(1)",
        "file": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "evil.png"),
    }
    response = client.post(f"/cases/{case.number}/exhibits/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Exhibit)) == 0

"""Bounded input and clear refusals (issue 15: F10, F14, F15, item 7), on both databases.

Each input the penetration test found answering with a 500 is answered plainly; an edit without its version
is refused; the facility filter offers only facilities of cases the person sees; a full disk says so and
alerts the administrator; a local time that never happened, or happened twice, is refused with both readings.
"""

from __future__ import annotations

import base64
import errno
import json
import logging
import re

import pytest
from sqlalchemy import func, select

from project.extensions import db
from project.models import AuditEvent, Case, Exhibit, Note, OutboxMessage
from tests.factories import PASSWORD


def token_holding(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


HOSTILE_LIST_QUERIES = [
    "investigator=99999999999999999999",
    "investigator=-1",
    "to=9999-12-31",
    "from=0001-01-01&to=0001-01-01",
    "step=written_reprimand&year=99999",
    "year=-5&step=x",
    f"after={token_holding('2026-03-01T00:00:00+00:00', 10**30)}",
    "sort=number&after=" + token_holding("SM\x00"),
    "sort=relevance&q=keys&after=" + base64.urlsafe_b64encode(b"[Infinity, 1]").decode().rstrip("="),
    f"sort=relevance&q=keys&after={token_holding(1.5, 10**30)}",
    "facility=Cheshire%00CI",
    "q=keys%00",
    "state=%00&clause=%00&finding=%00&employee=%00&step=%00&deadline=%00&sort=%00",
    "page=99999999999999999999999",
    "q=" + "k" * 5000,
]


@pytest.mark.parametrize("query", HOSTILE_LIST_QUERIES)
def test_the_case_list_and_its_export_answer_any_filter(client, world, sign_in, query):
    world.open()
    sign_in(client, world.supervisor.email, PASSWORD)
    for path in ("/cases/", "/cases/export.csv"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, (path, query, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/cases/{number}/exhibits/99999999999999999999999/original",
        "/cases/{number}/exhibits/99999999999999999999999",
        "/cases/{number}/exhibits/2147483648/download",
        "/cases/{number}/posts/99999999999999999999",
        "/cases/{number}/allegations/99999999999999999999",
        "/cases/{number}%00/timeline",
        "/cases/SM-2026-{long}",
    ],
)
def test_an_over_long_record_number_in_the_path_is_not_found(client, world, sign_in, path):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    response = client.get(path.format(number=case.number, long="9" * 40))
    assert response.status_code == 404, response.status_code


def test_a_nul_byte_in_a_note_is_dropped_not_a_500(client, world, sign_in, post_form):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    response = post_form(
        client,
        f"/cases/{case.number}/notes",
        {"kind": "observation", "body": "Called\x00 back."},
        page=f"/cases/{case.number}",
    )
    assert response.status_code == 302
    assert db.session.scalars(select(Note.body).where(Note.case_id == case.id)).all() == ["Called back."]


def test_a_nul_byte_in_the_sign_in_email_is_refused_plainly(client, world, csrf_token_from):
    token = csrf_token_from(client.get("/auth/sign-in").get_data(as_text=True))
    response = client.post(
        "/auth/sign-in", data={"email": "inv1@example.test\x00", "password": "wrong", "csrf_token": token}
    )
    assert response.status_code in (200, 400) and "Traceback" not in response.get_data(as_text=True)


# F15: the version field is required ---------------------------------------------------------------------


def test_a_complaint_edit_without_its_version_is_refused_not_applied_over_a_newer_one(
    client, world, sign_in, csrf_token_from
):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/edit").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(page),
        "title": "Overwritten title",
        "complaint_source": "staff_report",
        "received_at": "2026-02-27T09:15",
    }
    response = client.post(f"/cases/{case.number}/edit", data=data)
    assert response.status_code == 400
    assert "did not say which version" in response.get_data(as_text=True)
    with db.engine.connect() as connection:
        assert connection.scalar(select(Case.title).where(Case.id == case.id)) == "Post showing facility keys"


def test_a_post_edit_without_its_version_is_refused(client, world, sign_in, csrf_token_from):
    case = world.open()
    post = case.posts[0]
    sign_in(client, world.investigator.email, PASSWORD)
    path = f"/cases/{case.number}/posts/{post.id}"
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    response = client.post(path, data={"csrf_token": token, "platform": "facebook", "text": "Changed", "version": ""})
    assert response.status_code == 400 and "did not say which version" in response.get_data(as_text=True)
    db.session.expire_all()
    assert post.text == "Look at these keys lol"


# F14: facility choices come from visible cases only ------------------------------------------------------


def test_the_facility_filter_offers_only_facilities_of_cases_the_person_sees(client, world, sign_in):
    hidden = world.intake(title="Elsewhere")
    from project.services import casework

    casework.assign_investigator(hidden, world.investigator2, world.actor(world.supervisor))
    hidden.facility = "Secret Annex CI"
    mine = world.open()
    mine.facility = "Cheshire CI"
    db.session.commit()
    sign_in(client, world.investigator.email, PASSWORD)
    page = client.get("/cases/").get_data(as_text=True)
    assert "Cheshire CI" in page and "Secret Annex CI" not in page
    other = client.application.test_client()
    sign_in(other, world.supervisor.email, PASSWORD)
    assert "Secret Annex CI" in other.get("/cases/").get_data(as_text=True)


# Item 7: full disk, and local times that do not exist or exist twice -----------------------------------


def test_a_full_disk_tells_the_person_storage_is_full_and_alerts_the_administrator(
    app, client, world, sign_in, csrf_token_from, monkeypatch, caplog
):
    import io

    from PIL import Image

    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    csrf = csrf_token_from(client.get(f"/cases/{case.number}/exhibits/new").get_data(as_text=True))

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("project.services.evidence.store.EvidenceStore.put_original", disk_full)
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "navy").save(out, "PNG")
    data = {
        "csrf_token": csrf,
        "description": "Screenshot",
        "captured_at": "2026-02-27T09:15",
        "captured_by": "Ivy Investigator",
        "capture_method": "Snipping tool",
        "file": (io.BytesIO(out.getvalue()), "capture.png"),
    }
    monkeypatch.setitem(app.config, "SMTP_HOST", "mail.example.test")  # mail on: queued, not sent
    monkeypatch.setattr("project.services.notifications.alerts._last_sent", {})
    with caplog.at_level(logging.CRITICAL, logger="project.storage"):
        response = client.post(f"/cases/{case.number}/exhibits/new", data=data, content_type="multipart/form-data")
        data["file"] = (io.BytesIO(out.getvalue()), "capture.png")
        again = client.post(f"/cases/{case.number}/exhibits/new", data=data, content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == again.status_code == 507
    assert "Storage is full" in text and "administrator has been alerted" in text
    assert [r.levelno for r in caplog.records if r.name == "project.storage"] == [logging.CRITICAL] * 2
    assert db.session.scalar(select(func.count()).select_from(Exhibit)) == 0
    mails = db.session.scalars(select(OutboxMessage)).all()  # one alert for the burst, to the admin
    assert [(m.to_address, m.subject) for m in mails] == [(world.admin.email, "Casefile: storage is full")]
    assert "No space left on device" in mails[0].body
    alerted = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "system.alerted").order_by(AuditEvent.id)
    ).all()
    assert len(alerted) == 1 and alerted[0].actor_id == world.investigator.id


COMPLAINT = {
    "title": "Photo of a housing unit",
    "complaint_source": "staff_report",
    "platform": "facebook",
    "text": "Inside the unit tonight",
}


@pytest.mark.parametrize(
    "typed,readings,why",
    [
        ("2026-03-08T02:30", ["01:30 EST (06:30 UTC)", "03:30 EDT (07:30 UTC)"], "never showed on a clock"),
        ("2026-11-01T01:30", ["01:30 EDT (05:30 UTC)", "01:30 EST (06:30 UTC)"], "happened twice"),
    ],
)
def test_a_local_time_that_never_happened_or_happened_twice_is_refused_with_both_readings(
    client, world, sign_in, post_form, typed, readings, why
):
    sign_in(client, world.investigator.email, PASSWORD)
    before = db.session.scalar(select(func.count()).select_from(Case))
    response = post_form(client, "/cases/new", COMPLAINT | {"received_at": typed})
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and why in text
    assert all(reading in text for reading in readings), text[text.find("error") : text.find("error") + 400]
    assert 'name="received_at-reading"' in text
    assert db.session.scalar(select(func.count()).select_from(Case)) == before

    chosen = post_form(client, "/cases/new", COMPLAINT | {"received_at": typed, "received_at-reading": "1"})
    assert chosen.status_code == 302
    number = chosen.headers["Location"].rsplit("/", 1)[-1]
    stored = db.session.scalar(select(Case.received_at).where(Case.number == number))
    assert f"{stored:%H:%M}" == readings[1].split("(")[1][:5]


def test_a_meeting_time_the_clocks_skipped_is_refused(client, world, sign_in, csrf_token_from):
    case = world.discipline()
    subject = case.subjects[0]
    sign_in(client, world.labor.email, PASSWORD)
    path = f"/cases/{case.number}/subjects/{subject.id}/labor"
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d*)"', html)
    data = {
        "csrf_token": csrf_token_from(html),
        "version": version.group(1) if version else "",
        "meeting_on": "2026-03-08",
        "meeting_time": "02:30",
    }
    response = client.post(path, data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "never showed on a clock" in text
    assert "01:30 EST or 03:30 EDT" in text

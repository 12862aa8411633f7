"""Redaction suggestions are a job (issue 20, item 1): "Suggest rectangles" starts a run and shows its page,
which refreshes while it waits and leads to the redaction page with the proposals once they are found. A run
that cannot read the original, or that the queue does not take, ends failed with a message on its page and in
the inbox of the person who asked; a run is shown only on its own exhibit. (On a real worker: test_job_queue.)"""

from __future__ import annotations

import re

from sqlalchemy import select

from project.extensions import db
from project.models import Notification, SuggestionRun
from tests.evidence_files import add, png_bytes, tamper


def redact_url(case, n: int = 1) -> str:
    return f"/cases/{case.number}/exhibits/{n}/redact"


def start(client, case, post_form, n: int = 1):
    """Press "Suggest rectangles"; the answer is the redirect to the run's page."""
    return post_form(client, f"/cases/{case.number}/exhibits/{n}/suggestions", {}, page=redact_url(case, n))


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def only_run() -> SuggestionRun:
    db.session.expire_all()
    (run,) = db.session.scalars(select(SuggestionRun)).all()
    return run


def test_a_finished_run_leads_to_the_redaction_page_with_what_it_found(app, client, world, sign_in, post_form):
    case = world.open()
    add(app, world, case, png_bytes((320, 200), "white"))
    sign_in(client, world.investigator.email)
    started = start(client, case, post_form)
    run = only_run()
    assert started.status_code == 302 and started.location.endswith(f"/exhibits/1/suggestions/{run.id}")
    assert run.status == "done" and run.requested_by_id == world.investigator.id and run.attempts == 1
    shown = client.get(started.location)
    assert shown.status_code == 302 and shown.location.endswith(f"/exhibits/1/redact?run={run.id}")
    page = client.get(shown.location).get_data(as_text=True)
    assert "No rectangles to suggest" in page


def test_a_run_that_cannot_read_the_original_ends_failed_and_the_person_is_told(app, client, world, sign_in, post_form):
    case = world.open()
    exhibit = add(app, world, case, png_bytes((320, 200), "white"))
    sign_in(client, world.investigator.email)
    token = csrf_token(client.get(redact_url(case)).get_data(as_text=True))  # the page, before the damage
    tamper(app, exhibit)
    started = client.post(f"/cases/{case.number}/exhibits/1/suggestions", data={"csrf_token": token})
    assert started.status_code == 302
    run = only_run()
    assert run.status == "failed" and run.proposals is None
    message = "No rectangles could be suggested because of an error, which is logged. Try again, or draw them yourself."
    assert run.message == message
    page = client.get(started.location)
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page.get_data(as_text=True)
    told = select(Notification).where(Notification.user_id == world.investigator.id, Notification.kind == "job_failed")
    (notice,) = db.session.scalars(told).all()
    assert message in notice.message and notice.link == f"/cases/{case.number}/exhibits/1/suggestions/{run.id}"


def test_a_run_the_queue_does_not_take_is_failed_at_once_with_a_message(app, client, world, sign_in, post_form):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    case = world.open()
    add(app, world, case, png_bytes())
    sign_in(client, world.investigator.email)
    started = start(client, case, post_form)
    run = only_run()
    assert run.status == "failed" and run.attempts == 0
    assert "The job queue is not answering" in client.get(started.location).get_data(as_text=True)


def test_a_run_is_shown_only_on_its_own_exhibit(app, client, world, sign_in, post_form):
    case = world.open()
    add(app, world, case, png_bytes((320, 200), "white"))
    add(app, world, case, png_bytes((320, 200), "navy"))
    sign_in(client, world.investigator.email)
    start(client, case, post_form, n=1)
    run = only_run()
    assert client.get(f"/cases/{case.number}/exhibits/2/suggestions/{run.id}").status_code == 404
    assert client.get(f"/cases/{case.number}/exhibits/1/suggestions/{'0' * 32}").status_code == 404
    elsewhere = client.get(redact_url(case, 2) + f"?run={run.id}").get_data(as_text=True)
    assert "No rectangles to suggest" not in elsewhere and 'id="redact-proposals"' not in elsewhere


def test_only_someone_who_may_redact_the_case_may_ask(app, client, world, sign_in, post_form):
    case = world.open()
    add(app, world, case, png_bytes())
    sign_in(client, world.investigator.email)
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client.get(redact_url(case)).get_data(as_text=True))})
    sign_in(client, world.admin.email)
    token = csrf_token(client.get("/").get_data(as_text=True))
    refused = client.post(f"/cases/{case.number}/exhibits/1/suggestions", data={"csrf_token": token})
    assert refused.status_code in (400, 403, 404)
    assert db.session.scalars(select(SuggestionRun)).first() is None

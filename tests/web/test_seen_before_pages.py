"""Seen before at intake (issue 17, item 8): the new-case form and the add-post form show an earlier case with
the same post before saving, as far as the person may open it, escaped; saving again records it knowingly."""

from __future__ import annotations

from sqlalchemy import func, select

from project.extensions import db
from project.models import AuditEvent, Case, ReportedPost
from project.services import casework
from tests.factories import PASSWORD

COMPLAINT = {
    "title": "The keys post again",
    "complaint_source": "staff_report",
    "received_at": "2026-03-01T10:00",
    "platform": "facebook",
    "text": "Look at these keys lol",
}


def cases() -> int:
    return db.session.scalar(select(func.count()).select_from(Case)) or 0


def test_the_new_case_form_shows_the_earlier_case_first_and_saves_on_the_second_post(
    client, world, sign_in, post_form, frozen_clock
):
    earlier = world.approved()
    sign_in(client, world.supervisor.email, PASSWORD)
    before = cases()
    data = COMPLAINT | {"url": "http://www.facebook.example/posts/1/?utm_source=copy"}
    shown = post_form(client, "/cases/new", data)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and cases() == before  # nothing saved yet
    assert "Seen before: this post matches an earlier case" in html
    assert f'<a href="/cases/{earlier.number}">{earlier.number}</a> (matched on the post URL)' in html
    assert "AD 2.26 section 5.b.i.2: Not Sustained; no discipline" in html
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "post.seen_before_shown")).one()
    assert event.detail == {"shown": [earlier.number], "not_shown": 0} and event.actor_id == world.supervisor.id
    signature = casework.seen_before("facebook", data["url"], None, world.supervisor).signature
    saved = post_form(client, "/cases/new", data | {"seen_before": signature})
    assert saved.status_code == 302 and cases() == before + 1


def test_an_investigator_who_may_not_open_the_earlier_case_is_told_only_whom_to_ask(
    client, world, sign_in, post_form, frozen_clock
):
    earlier = world.open()  # the first investigator's
    sign_in(client, world.investigator2.email, PASSWORD)
    html = post_form(client, "/cases/new", COMPLAINT | {"account_handle": "@CO_PAT"}).get_data(as_text=True)
    assert "1 earlier case that you may not open holds this post. Ask a supervisor" in html
    assert earlier.number not in html and "Not Sustained" not in html


def test_adding_a_post_shows_the_match_escaped_and_never_the_case_itself(
    client, world, sign_in, post_form, frozen_clock
):
    handle = "@<b>keys</b>"
    earlier = world.open()
    casework.add_post(
        earlier, casework.PostInput("instagram", account_handle=handle, text="x"), world.actor(world.investigator)
    )
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}/posts/new"
    data = {"platform": "instagram", "account_handle": "@<B>KEYS</B>", "text": "Same account"}
    page = post_form(client, url, data)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "&lt;b&gt;keys&lt;/b&gt;" in html and "<b>keys</b>" not in html
    assert earlier.number in html and f'<a href="/cases/{case.number}">{case.number}</a> (matched' not in html
    assert db.session.scalar(select(func.count()).select_from(ReportedPost).where(ReportedPost.case_id == case.id)) == 1


def test_a_url_no_browser_sends_is_refused_plainly(client, world, sign_in, post_form, frozen_clock):
    sign_in(client, world.investigator.email, PASSWORD)
    before = cases()
    page = post_form(client, "/cases/new", COMPLAINT | {"url": "http://[::1"})
    assert page.status_code == 400 and cases() == before
    assert "Seen before" not in page.get_data(as_text=True)

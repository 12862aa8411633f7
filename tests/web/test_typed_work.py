"""Issue 16, item 4: typed work is never lost. The idle warning's "Stay signed in" endpoint, the page's idle
deadline, the draft marker after a save, and a form whose CSRF token had expired keeping its text."""

from __future__ import annotations

import re

from sqlalchemy import select

from project.extensions import db
from project.models import Note, UserSession
from tests.factories import PASSWORD

SECONDS_LEFT = re.compile(r'data-session-seconds-left="(\d+)"')


def _seconds_left(page: str) -> int:
    match = SECONDS_LEFT.search(page)
    assert match, "the page does not tell its idle warning when the session ends"
    return int(match.group(1))


def test_a_page_tells_the_warning_when_the_idle_sign_out_comes(client, users, frozen_clock, sign_in):
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    frozen_clock.advance(seconds=40)
    page = client.get("/").get_data(as_text=True)
    # uses are recorded to the minute: the last that counts is the sign-in, 40 seconds ago
    assert _seconds_left(page) == 30 * 60 - 40
    frozen_clock.advance(minutes=10)
    assert _seconds_left(client.get("/").get_data(as_text=True)) == 30 * 60
    assert 'data-session-warn-seconds="120"' in page and 'data-keep-alive-url="/auth/keep-alive"' in page
    assert "js/session.js" in page and "js/drafts.js" in page


def test_the_warning_never_ends_the_session_before_the_server(client, users, frozen_clock, sign_in, csrf_token_from):
    """Seconds left are rounded up: a browser told 1,199 seconds when 1,199.6 remain would say "Your session has
    ended" while the server still honours it, and "Sign in again" would lead to a page already signed in."""
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    frozen_clock.advance(seconds=0.4)
    page = client.get("/").get_data(as_text=True)
    assert _seconds_left(page) == 30 * 60
    token = csrf_token_from(page)
    frozen_clock.advance(minutes=5, seconds=0.3)
    answer = client.post("/auth/keep-alive", headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert answer.get_json() == {"signed_in": True, "seconds_left": 30 * 60}
    frozen_clock.advance(seconds=59.5)  # within the minute that uses are recorded to: the deadline stays
    assert _seconds_left(client.get("/").get_data(as_text=True)) == 30 * 60 - 59


def test_stay_signed_in_moves_the_idle_deadline(client, users, frozen_clock, sign_in, csrf_token_from):
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    frozen_clock.advance(minutes=29, seconds=30)
    answer = client.post("/auth/keep-alive", headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert answer.status_code == 200
    assert answer.get_json() == {"signed_in": True, "seconds_left": 30 * 60}
    frozen_clock.advance(minutes=29)  # 58.5 minutes after sign-in, 29 after "Stay signed in"
    assert client.get("/").status_code == 200


def test_without_stay_signed_in_the_session_ends(client, users, frozen_clock, sign_in, csrf_token_from):
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    frozen_clock.advance(minutes=31)
    answer = client.post("/auth/keep-alive", headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert answer.status_code == 401 and answer.get_json()["signed_in"] is False
    assert client.get("/").status_code == 302


def test_stay_signed_in_never_passes_the_absolute_lifetime(client, users, frozen_clock, sign_in, csrf_token_from):
    """F12: however often "Stay signed in" is pressed, the session ends 12 hours after sign-in."""
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    for _ in range(47):  # every 15 minutes for 11 h 45 min
        frozen_clock.advance(minutes=15)
        answer = client.post("/auth/keep-alive", headers={"X-CSRFToken": token})
        assert answer.status_code == 200
    assert answer.get_json()["seconds_left"] == 15 * 60  # capped by the 12 hours, not 30 minutes
    frozen_clock.advance(minutes=15, seconds=1)
    answer = client.post("/auth/keep-alive", headers={"X-CSRFToken": token})
    assert answer.status_code == 401
    ended = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert ended.end_reason == "absolute_lifetime"


def test_stay_signed_in_needs_a_session_and_a_csrf_token(client, users, sign_in, csrf_token_from):
    answer = client.post("/auth/keep-alive", headers={"Accept": "application/json"})
    assert answer.status_code == 400, "no session, no CSRF token"
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    answer = client.post("/auth/keep-alive", headers={"Accept": "application/json"})
    assert answer.status_code == 400 and answer.get_json()["error"] == "form_expired"
    assert client.get("/auth/keep-alive").status_code == 405


def test_a_saved_form_names_its_draft_on_the_next_page_once(client, world, sign_in, post_form):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}"
    draft = f"{case.number}:note"
    sent = {"kind": "interview", "body": "Met the witness.", "corrects": "", "draft_key": draft}
    assert post_form(client, f"{url}/notes", sent, page=url).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert f'data-drafts-saved="{draft}"' in page and f'data-draft="{draft}"' in page
    assert 'data-drafts-saved=""' in client.get(url).get_data(as_text=True)


def test_a_refused_form_keeps_its_draft(client, world, sign_in, post_form):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}"
    sent = {"kind": "interview", "body": "", "corrects": "", "draft_key": f"{case.number}:note"}
    assert post_form(client, f"{url}/notes", sent, page=url).status_code == 400
    assert 'data-drafts-saved=""' in client.get(url).get_data(as_text=True)


def test_an_expired_form_gives_the_text_back_in_a_fresh_form(client, world, sign_in):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}"
    body = 'Line one <script>alert("x")</script>\nLine two & more'
    draft = f"{case.number}:note"
    shown = client.get(url).get_data(as_text=True)
    form_token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', shown).group(1)
    sent = {"csrf_token": "expired", "kind": "interview", "body": body, "corrects": ""}
    sent |= {"draft_key": draft, "form_token": form_token}
    response = client.post(f"{url}/notes", data=sent, headers={"Sec-Fetch-Site": "same-origin"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Your form had expired" in page
    assert "Line one &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;\nLine two &amp; more</textarea>" in page
    assert "<script>alert" not in page
    assert f'data-draft="{draft}"' in page and f'action="{url}/notes"' in page
    assert f'<input type="hidden" name="form_token" value="{form_token}">' in page  # a retry still lands once
    fresh = re.search(
        r'<form method="post" action="[^"]+"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"',
        page,
    )
    assert fresh, "the kept text comes in a form with a fresh token"
    resent = {"csrf_token": fresh.group(1), "kind": "interview", "body": body, "corrects": "", "form_token": form_token}
    assert client.post(f"{url}/notes", data=resent).status_code == 302
    assert db.session.scalars(select(Note)).one().body == body


def test_an_expired_form_never_shows_a_password_again(client, users, sign_in):
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    sent = {"csrf_token": "expired", "current_password": "my old secret", "new_password": "n3w-s3cret-phrase!"}
    page = client.post("/auth/password", data=sent, headers={"Sec-Fetch-Site": "same-origin"}).get_data(as_text=True)
    assert "my old secret" not in page and "n3w-s3cret-phrase!" not in page


def test_a_forged_cross_site_post_is_not_offered_again(client, world, sign_in):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    sent = {"kind": "interview", "body": "Planted by another site", "corrects": ""}
    response = client.post(f"/cases/{case.number}/notes", data=sent, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 400 and "Planted by another site" not in response.get_data(as_text=True)


def test_a_form_sent_after_the_session_ended_leads_back_to_its_page(
    client, world, frozen_clock, sign_in, csrf_token_from
):
    """The typed text waits in the browser's draft: signing in again leads back to the page the form was on."""
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    frozen_clock.advance(minutes=31)
    sent = {"csrf_token": token, "kind": "interview", "body": "Typed for half an hour", "corrects": ""}
    response = client.post(f"{url}/notes", data=sent, headers={"Referer": f"http://localhost{url}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/auth/sign-in?next={url}"
    assert db.session.scalars(select(Note)).all() == []


def test_a_form_whose_session_cookie_expired_says_to_sign_in_again(client, world, frozen_clock, sign_in):
    """The browser drops the session cookie after 30 idle minutes, and the CSRF token with it."""
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}"
    frozen_clock.advance(minutes=31)
    sent = {"kind": "interview", "body": "Typed for half an hour", "corrects": ""}
    response = client.post(f"{url}/notes", data=sent, headers={"Referer": f"http://localhost{url}"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Text you typed is kept in this browser" in page
    assert f'href="/auth/sign-in?next={url}"' in page
    assert "Typed for half an hour" not in page  # never echoed to whoever holds the browser now

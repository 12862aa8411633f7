"""The inbox through the pages: the list, newest first with the unread marked; opening a notice and marking all
read (POST with CSRF); the unread count in the header; nobody reaches another person's notices."""

from __future__ import annotations

import re

from sqlalchemy import event, select

from project.extensions import db
from project.models import Notification
from project.services import casework
from tests.factories import PASSWORD


def header_count(html: str) -> str:
    match = re.search(r'<a class="inbox-link"[^>]*>(.*?)</a>', html, re.S)
    assert match, "the header has no inbox link"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def notices_of(user_id: int) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Notification).where(Notification.user_id == user_id).order_by(Notification.id))
    )


def returned_case(world):
    """A case assigned to the investigator and returned to them: two notices in their inbox, the newest last."""
    case = world.in_review()
    casework.return_to_investigator(case, world.actor(world.supervisor), "Interview the reporter.")
    return case


def test_the_inbox_lists_newest_first_marks_the_unread_and_the_header_counts_them(client, world, frozen_clock, sign_in):
    first = world.open()
    frozen_clock.advance(minutes=5)
    case = returned_case(world)
    sign_in(client, world.investigator.email, PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert header_count(home) == "Inbox (3 unread)"
    page = client.get("/inbox").get_data(as_text=True)
    assert re.findall(r"<strong>(SM-\d{4}-\d{4} was [^<]*)</strong>", page) == [
        f"{case.number} was returned to you by Sue Supervisor; the reasons are on the case.",
        f"{case.number} was assigned to you by Sue Supervisor.",
        f"{first.number} was assigned to you by Sue Supervisor.",
    ]
    assert page.count("notice-unread") == 3 and "Mark all read" in page and "3 notifications, newest first." in page


def test_opening_a_notice_marks_it_read_and_goes_to_the_case(client, world, sign_in, csrf_token_from):
    case = returned_case(world)
    newest = notices_of(world.investigator.id)[-1]
    sign_in(client, world.investigator.email, PASSWORD)
    token = csrf_token_from(client.get("/inbox").get_data(as_text=True))
    response = client.post(f"/inbox/{newest.id}/open", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == f"/cases/{case.number}"
    assert client.get(response.headers["Location"]).status_code == 200
    assert [n.read_at is not None for n in notices_of(world.investigator.id)] == [False, True]
    page = client.get("/inbox").get_data(as_text=True)
    assert header_count(page) == "Inbox (1 unread)" and page.count("notice-read") == 1
    again = client.post(f"/inbox/{newest.id}/open", data={"csrf_token": token})
    assert again.status_code == 303  # a read notice still opens


def test_mark_all_read_clears_the_count(client, world, sign_in, csrf_token_from):
    returned_case(world)
    sign_in(client, world.investigator.email, PASSWORD)
    token = csrf_token_from(client.get("/inbox").get_data(as_text=True))
    response = client.post("/inbox/read", data={"csrf_token": token}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "2 notifications marked read." in page and header_count(page) == "Inbox"
    assert all(n.read_at is not None for n in notices_of(world.investigator.id))
    assert "Mark all read" not in page


def test_another_persons_notice_cannot_be_opened_or_marked(client, world, sign_in, csrf_token_from):
    returned_case(world)
    theirs = notices_of(world.investigator.id)
    sign_in(client, world.investigator2.email, PASSWORD)
    page = client.get("/inbox").get_data(as_text=True)
    assert "was returned to you" not in page and "No notifications yet" in page
    token = csrf_token_from(page)
    assert client.post(f"/inbox/{theirs[0].id}/open", data={"csrf_token": token}).status_code == 404
    assert client.post("/inbox/987654/open", data={"csrf_token": token}).status_code == 404
    assert client.post("/inbox/read", data={"csrf_token": token}).status_code == 303
    assert [n.read_at for n in notices_of(world.investigator.id)] == [None, None]


def test_changes_need_a_post_with_the_csrf_token(client, world, sign_in):
    returned_case(world)
    notice = notices_of(world.investigator.id)[0]
    sign_in(client, world.investigator.email, PASSWORD)
    assert client.get(f"/inbox/{notice.id}/open").status_code == 405
    assert client.get("/inbox/read").status_code == 405
    assert client.post(f"/inbox/{notice.id}/open").status_code == 400
    assert client.post("/inbox/read").status_code == 400
    assert all(n.read_at is None for n in notices_of(world.investigator.id))


def test_an_empty_inbox_says_what_will_appear_and_the_header_shows_no_count(client, world, sign_in):
    sign_in(client, world.admin.email, PASSWORD)
    page = client.get("/inbox").get_data(as_text=True)
    assert "No notifications yet" in page and "deadlines due soon (within each rule's warning days) or overdue" in page
    assert header_count(page) == "Inbox" and 'aria-current="page">Inbox' in page


def test_the_inbox_needs_sign_in(client):
    response = client.get("/inbox")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/sign-in")


def test_the_inbox_and_its_header_count_cost_the_same_for_few_or_many_notices(client, world, sign_in):
    returned_case(world)
    sign_in(client, world.investigator.email, PASSWORD)

    def statements(path: str) -> list[str]:
        client.get(path)  # warm up: the session check of the first request is not the page's cost
        seen: list[str] = []
        listener = lambda _conn, _cursor, statement, *_args: seen.append(statement)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return seen

    few = {path: len(statements(path)) for path in ("/inbox", "/catalogue/")}
    for _ in range(3):
        returned_case(world)
    assert {path: len(statements(path)) for path in few} == few
    assert sum("notifications" in s for s in statements("/catalogue/")) == 1  # the header's count: one query

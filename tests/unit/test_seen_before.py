"""Seen before (issue 17, item 8): a post URL or handle that matches an earlier case, matched by normalised keys,
told to each person only as far as they may open that case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import AuditEvent
from project.services import casework
from tests.statements import counted


@pytest.mark.parametrize(
    "written",
    [
        "https://www.facebook.com/groups/1/posts/2",
        "http://facebook.com/groups/1/posts/2/",
        "https://m.facebook.com/groups/1/posts/2?fbclid=IwAR0x&utm_source=share#comments",
        "HTTPS://WWW.FACEBOOK.COM:443/groups/1/posts/2",
    ],
)
def test_the_same_url_written_differently_has_one_key(written):
    assert casework.url_key(written) == "facebook.com/groups/1/posts/2"


def test_a_url_keeps_what_names_the_post():
    assert casework.url_key("https://x.com/co_pat/status/17?s=20&t=abc") == "x.com/co_pat/status/17"
    assert casework.url_key("https://twitter.com/co_pat/status/17") == "x.com/co_pat/status/17"
    assert casework.url_key("https://www.youtube.com/watch?v=AbC&si=xyz") == "youtube.com/watch?v=AbC"
    assert casework.url_key("https://youtube.com/watch?v=abc") != casework.url_key("https://youtube.com/watch?v=AbC")
    assert casework.url_key("ftp://example.com/x") is None and casework.url_key("http://[::1") is None
    assert casework.url_key("") is None and casework.url_key(None) is None


def test_a_handle_is_matched_without_case_or_its_leading_at():
    assert casework.handle_key("  @CO_Pat ") == casework.handle_key("co_pat") == "co_pat"
    assert casework.handle_key("@") is None and casework.handle_key(None) is None


def log(world, url: str | None = None, handle: str | None = None, platform: str = "facebook"):
    data = casework.ComplaintInput("Another report", "staff_report", clock.now() - timedelta(days=1))
    post = casework.PostInput(platform, url=url, account_handle=handle, text="Same post again")
    return casework.log_complaint(data, [post], world.actor(world.investigator))


def test_an_earlier_case_is_found_by_url_or_by_handle_on_the_same_platform(world):
    earlier = world.approved()  # https://facebook.example/posts/1 by @co_pat, not sustained
    found = casework.seen_before(
        "facebook", "http://www.facebook.example/posts/1/?utm_source=x", None, world.supervisor
    )
    assert [c.number for c in found.shown] == [earlier.number]
    assert found.shown[0].matched_on == "the post URL"
    assert found.shown[0].outcome == "AD 2.26 section 5.b.i.2: Not Sustained; no discipline"
    by_handle = casework.seen_before("facebook", None, "@CO_PAT", world.supervisor)
    assert by_handle.shown[0].matched_on == "the handle @co_pat on Facebook"
    assert not casework.seen_before("instagram", None, "@co_pat", world.supervisor)  # another platform
    assert not casework.seen_before("facebook", "https://facebook.example/posts/2", "@someone", world.supervisor)


def test_an_open_case_is_said_to_be_open_and_a_case_never_matches_itself(world):
    earlier = world.open()
    found = casework.seen_before("facebook", "https://facebook.example/posts/1", None, world.supervisor)
    assert found.shown[0].number == earlier.number and found.shown[0].outcome == "open (open)"
    assert not casework.seen_before("facebook", "https://facebook.example/posts/1", None, world.supervisor, earlier)


def test_a_case_the_person_may_not_open_is_only_said_to_exist(world):
    earlier = world.open()  # assigned to the first investigator
    found = casework.seen_before("facebook", "https://facebook.example/posts/1", "@co_pat", world.investigator2)
    assert found.shown == [] and found.not_shown == 1 and "supervisor" in found.ask
    assert earlier.number not in repr(found)


def test_a_case_about_the_person_is_never_mentioned(world):
    case = world.open()
    subject = world.with_subject(case)
    themselves = world.users.make("supervisor", employee_number=subject.employee.employee_number)
    assert not casework.seen_before("facebook", "https://facebook.example/posts/1", "@co_pat", themselves)


def test_the_saved_complaint_records_what_it_matched_as_the_person_was_told(world):
    earlier = world.open()
    case = log(world, url="https://facebook.example/posts/1?fbclid=1")
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "case.logged", AuditEvent.case_id == case.id)
    ).one()
    assert event.detail["seen_before"] == [{"shown": [earlier.number], "not_shown": 0}]
    assert case.posts[0].url_key == "facebook.example/posts/1"


def test_the_check_costs_the_same_for_2_or_8_earlier_cases(world):
    """One batched read, not a few statements per earlier case (the check runs as someone types a URL)."""

    def statements_for_the_check() -> tuple[int, int]:
        viewer = world.supervisor
        db.session.expire_all()  # nothing already loaded counts: the cost is the check's own
        with counted() as statements:
            found = casework.seen_before("facebook", "https://facebook.example/posts/1", None, viewer)
        return len(statements), len(found.shown)

    world.approved()
    world.approved_with_discipline()
    few, shown = statements_for_the_check()
    assert shown == 2
    for _ in range(3):
        world.open()
        world.approved_with_discipline()
    many, shown = statements_for_the_check()
    assert shown == 8
    assert many == few

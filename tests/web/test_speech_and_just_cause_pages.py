"""The protected-speech screen and just-cause pages (issue 17, items 5 and 6): who may open them in which state,
CSRF, escaping, clear messages on bad input with nothing half-saved, and the override at approval."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import JustCauseAssessment, Review, SpeechScreen
from project.services import casework
from tests.factories import PASSWORD, answer_just_cause, element_answers, screen_speech

HOSTILE = "<script>alert('x')</script>"


def _framed(world, clause="5.b.i.2"):
    case = world.open()
    subject = world.with_subject(case)
    cited = next(c for c in casework.citable_clauses() if c.number == clause)
    entry = casework.AllegationInput(f"clause:{cited.id}", "", [])
    return case, casework.frame_allegation(case, subject, entry, world.actor(world.investigator))


def _screen_form(**changes):
    data = {name: "no" for name in casework.QUESTIONS} | {"disrupts_operations": "yes"}
    data |= {f"{name}_reason": f"Why {name}." for name in casework.QUESTIONS}
    return data | {"obtained_how": "public_view", "no_credentials_demanded": "y"} | changes


def _url(case, allegation):
    return f"/cases/{case.number}/allegations/{allegation.id}/speech-screen"


def test_the_investigator_records_the_screen_then_the_finding(client, world, sign_in, post_form):
    case, allegation = _framed(world)
    sign_in(client, world.investigator.email, PASSWORD)
    finding = client.get(f"/cases/{case.number}/allegations/{allegation.id}").get_data(as_text=True)
    assert "Complete the protected-speech screen" in finding
    page = client.get(_url(case, allegation)).get_data(as_text=True)
    assert "C.G.S. 31-51q" in page and "AD 2.26 section 1.a" in page and "C.G.S. 31-40x" in page
    response = post_form(client, _url(case, allegation), _screen_form(public_concern_reason=HOSTILE))
    assert response.status_code == 302
    screen = db.session.scalars(select(SpeechScreen)).one()
    assert (screen.public_concern, screen.disrupts_operations, screen.public_concern_reason) == (False, True, HOSTILE)
    again = client.get(_url(case, allegation)).get_data(as_text=True)
    assert HOSTILE not in again and "&lt;script&gt;alert(" in again
    finding = client.get(f"/cases/{case.number}/allegations/{allegation.id}").get_data(as_text=True)
    assert "Review or correct the screen" in finding


def test_the_case_page_says_where_each_off_duty_allegation_stands_on_the_screen(client, world, sign_in, post_form):
    case, allegation = _framed(world)
    sign_in(client, world.investigator.email, PASSWORD)

    def said() -> str:
        page = client.get(f"/cases/{case.number}").get_data(as_text=True)
        return " ".join(re.sub(r"<[^>]+>", "", page[page.index('id="allegations-h"') :]).split())

    assert "Protected-speech screen: not completed; needed before a finding on this off-duty post" in said()
    assert post_form(client, _url(case, allegation), _screen_form(public_concern="yes")).status_code == 302
    done = said()
    assert "Protected-speech screen: completed" in done and f"by {world.investigator.name}" in done
    on_duty = _framed(world, clause="5.a")[0]
    page = client.get(f"/cases/{on_duty.number}").get_data(as_text=True)
    assert "Protected-speech screen" not in page  # not an off-duty post


def test_a_finding_without_the_screen_is_refused_on_the_page(client, world, sign_in, post_form):
    case, allegation = _framed(world)
    sign_in(client, world.investigator.email, PASSWORD)
    data = {"finding": "sustained", "reasoning": "The keypad.", "version": str(allegation.row_version)}
    data |= {f"element-{a.element_id}": "met" for a in element_answers(allegation)}
    response = post_form(client, f"/cases/{case.number}/allegations/{allegation.id}", data)
    assert response.status_code == 400
    assert "before recording a finding" in response.get_data(as_text=True)
    db.session.expire_all()
    assert allegation.finding is None and allegation.reasoning == ""


def test_an_incomplete_screen_shows_each_message_and_saves_nothing(client, world, sign_in, post_form):
    case, allegation = _framed(world)
    sign_in(client, world.investigator.email, PASSWORD)
    data = _screen_form(public_concern="", disrupts_discipline_reason="", obtained_how="other", obtained_detail="")
    del data["no_credentials_demanded"]
    response = post_form(client, _url(case, allegation), data)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Answer yes or no: Is the post on a matter of public concern?" in body
    assert "Give a short reason for the answer to: Did it disrupt discipline" in body
    assert "Say how the content was obtained." in body
    assert "(C.G.S. 31-40x)" in body
    assert db.session.scalars(select(SpeechScreen)).first() is None


def test_the_screen_refuses_a_post_without_the_csrf_token(client, world, sign_in):
    case, allegation = _framed(world)
    sign_in(client, world.investigator.email, PASSWORD)
    response = client.post(_url(case, allegation), data=_screen_form())
    assert response.status_code == 400
    assert db.session.scalars(select(SpeechScreen)).first() is None


@pytest.mark.parametrize(("who", "status"), [("supervisor", 403), ("investigator2", 404), ("labor", 404)])
def test_only_the_assigned_investigator_opens_the_screen(client, world, sign_in, who, status):
    case, allegation = _framed(world)
    sign_in(client, getattr(world, who).email, PASSWORD)
    assert client.get(_url(case, allegation)).status_code == status


def test_the_screen_is_closed_once_the_case_is_in_review_and_absent_for_another_clause(client, world, sign_in):
    case, other = _framed(world, "5.a")
    sign_in(client, world.investigator.email, PASSWORD)
    assert client.get(_url(case, other)).status_code == 404
    in_review = world.in_review()
    allegation = casework.allegations_of(in_review.subjects[0])[0]
    assert client.get(_url(in_review, allegation)).status_code == 403


# Just cause -----------------------------------------------------------------------------------------------


def _in_review(world, **screen):
    case = world.proposed(step="written_reprimand")
    if screen:
        allegation = casework.allegations_of(case.subjects[0])[0]
        screen_speech(case, allegation, world.actor(world.investigator), **screen)
    world.interviewed(case, case.subjects[0])  # a sustained finding needs the interview first
    casework.submit_for_review(case, world.actor(world.investigator))
    return case


def _just_cause_url(case):
    return f"/cases/{case.number}/review/subjects/{case.subjects[0].id}/just-cause"


def _just_cause_form(**changes):
    data = {test: "yes" for test in casework.JUST_CAUSE_TESTS}
    data |= {f"{test}_reason": f"Shown: {test}." for test in casework.JUST_CAUSE_TESTS}
    return data | {"mitigating": "Apologised\nTen years clean", "aggravating": HOSTILE} | changes


def test_notice_of_the_rule_is_prefilled_from_the_roster(client, world, sign_in):
    case = _in_review(world)
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get(_just_cause_url(case)).get_data(as_text=True)
    assert 'value="no acknowledgement on record"' in page and "Enterprise Wire Co., 46 LA 359 (1966)" in page
    assert 'checked id="notice-' not in page  # no answer is chosen for the supervisor
    case.subjects[0].employee.ad_2_26_acknowledged_on = date(2019, 2, 1)
    db.session.commit()
    page = client.get(_just_cause_url(case)).get_data(as_text=True)
    assert 'value="acknowledged AD 2.26 on 2019-02-01"' in page
    assert '<input checked id="notice-0" name="notice" type="radio" value="yes">' in page


def test_the_supervisor_answers_just_cause_and_the_review_shows_it_escaped(client, world, sign_in, post_form):
    case = _in_review(world)
    sign_in(client, world.supervisor.email, PASSWORD)
    response = post_form(client, _just_cause_url(case), _just_cause_form())
    assert response.status_code == 302
    stored = db.session.scalars(select(JustCauseAssessment)).one()
    assert stored.mitigating_factors == ["Apologised", "Ten years clean"]
    review = client.get(f"/cases/{case.number}/review").get_data(as_text=True)
    assert "Shown: equal_treatment." in review
    assert HOSTILE not in review and "&lt;script&gt;" in review


def test_an_unanswered_test_is_shown_and_nothing_saved(client, world, sign_in, post_form):
    case = _in_review(world)
    sign_in(client, world.supervisor.email, PASSWORD)
    response = post_form(client, _just_cause_url(case), _just_cause_form(equal_treatment="", notice_reason=""))
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Answer yes or no: Equal treatment." in body and "Give a short reason for notice of the rule." in body
    assert db.session.scalars(select(JustCauseAssessment)).first() is None


def test_just_cause_refuses_a_post_without_the_csrf_token(client, world, sign_in):
    case = _in_review(world)
    sign_in(client, world.supervisor.email, PASSWORD)
    assert client.post(_just_cause_url(case), data=_just_cause_form()).status_code == 400
    assert db.session.scalars(select(JustCauseAssessment)).first() is None


@pytest.mark.parametrize(("who", "status"), [("investigator", 403), ("labor", 404), ("admin", 404)])
def test_only_a_reviewing_supervisor_opens_just_cause(client, world, sign_in, who, status):
    case = _in_review(world)
    sign_in(client, getattr(world, who).email, PASSWORD)
    assert client.get(_just_cause_url(case)).status_code == status


def test_just_cause_is_closed_before_the_case_is_submitted(client, world, sign_in):
    case = world.proposed(step="written_reprimand")
    sign_in(client, world.supervisor.email, PASSWORD)
    assert client.get(_just_cause_url(case)).status_code == 403


def test_approval_without_just_cause_is_refused_on_the_review_page(client, world, sign_in, post_form):
    case = _in_review(world)
    sign_in(client, world.supervisor.email, PASSWORD)
    response = post_form(client, f"/cases/{case.number}/review", {"decision": "approved", "reasons": ""})
    assert response.status_code == 400
    assert "Answer the seven tests of just cause for" in response.get_data(as_text=True)
    db.session.expire_all()
    assert case.state == "in_review"


def test_the_override_is_asked_confirmed_and_recorded(client, world, sign_in, post_form):
    case = _in_review(world, public_concern=True, disrupts_operations=False)
    answer_just_cause(case, world.actor(world.supervisor))
    sign_in(client, world.supervisor.email, PASSWORD)
    url = f"/cases/{case.number}/review"
    page = client.get(url).get_data(as_text=True)
    assert "Protected speech: override needed to approve" in page and 'name="speech_override"' in page
    refused = post_form(client, url, {"decision": "approved", "reasons": ""})
    assert refused.status_code == 400 and "needs your written override" in refused.get_data(as_text=True)
    shown = post_form(client, url, {"decision": "approved", "speech_override": HOSTILE})
    body = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Protected-speech override (C.G.S. 31-51q)" in body and HOSTILE not in body
    confirmed = post_form(
        client,
        url,
        {"decision": "approved", "speech_override": HOSTILE, "step": "confirmed", "version": str(case.content_version)},
    )
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(Review)).one().speech_override == HOSTILE

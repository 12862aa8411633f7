"""The protected-speech screen (issue 17, item 5): required before a finding on an off-duty (AD 2.26 5.b) post,
complete or not saved, audited, a supervisor's written override to approve a sustained finding on a post of
public concern with no disruption, and its answers in the packet."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, Review, SpeechScreen
from project.services import casework
from project.services.discipline import ProposalInput, propose_discipline
from project.services.errors import InvalidInput
from tests.factories import answer_just_cause, element_answers
from tests.unit.test_packets import pages_text, render


def _framed(world, clause="5.b.i.2"):
    case = world.open()
    subject = world.with_subject(case)
    cited = next(c for c in casework.citable_clauses() if c.number == clause)
    entry = casework.AllegationInput(f"clause:{cited.id}", "", [])
    return case, casework.frame_allegation(case, subject, entry, world.actor(world.investigator))


def _find(world, case, allegation, finding="sustained"):
    entry = casework.FindingInput(finding, "The post shows the keypad.", [], element_answers(allegation, finding))
    casework.record_finding(case, allegation, entry, world.actor(world.investigator), allegation.row_version)


def _screen(**answers):
    given = {name: False for name in casework.QUESTIONS} | {"disrupts_operations": True}
    given |= {f"{name}_reason": f"Reason for {name}." for name in casework.QUESTIONS}
    given |= {"obtained_how": "coworker_share", "no_credentials_demanded": True} | answers
    return casework.SpeechScreenInput(**given)


def test_a_finding_on_an_off_duty_post_is_refused_until_the_screen_is_done(world):
    case, allegation = _framed(world)
    with pytest.raises(InvalidInput) as refused:
        _find(world, case, allegation)
    assert "Complete the protected-speech screen for this off-duty post (AD 2.26 section 5.b)" in str(refused.value)
    db.session.expire_all()
    assert allegation.finding is None and allegation.reasoning == ""
    casework.record_speech_screen(case, allegation, _screen(), world.actor(world.investigator), None)
    _find(world, case, allegation)
    db.session.expire_all()
    assert allegation.finding.code == "sustained"


def test_an_allegation_outside_section_5b_needs_no_screen(world):
    case, allegation = _framed(world, "5.a")
    _find(world, case, allegation)
    db.session.expire_all()
    assert allegation.finding.code == "sustained"
    with pytest.raises(InvalidInput, match="Only an allegation under AD 2.26 section 5.b"):
        casework.record_speech_screen(case, allegation, _screen(), world.actor(world.investigator), None)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"public_concern": None}, "public_concern", "Answer yes or no: Is the post on a matter of public concern?"),
        ({"disrupts_public_trust_reason": "  "}, "disrupts_public_trust_reason", "Give a short reason"),
        ({"obtained_how": "hacked"}, "obtained_how", "Say how the content was obtained."),
        ({"obtained_how": "other", "obtained_detail": ""}, "obtained_detail", "Say how the content was obtained."),
        ({"no_credentials_demanded": False}, "no_credentials_demanded", "(C.G.S. 31-40x)"),
        ({"union_activity_reason": "x" * 2001}, "union_activity_reason", "at most 2,000 characters"),
    ],
)
def test_an_incomplete_screen_is_refused_and_nothing_is_saved(world, change, field, message):
    case, allegation = _framed(world)
    version = case.content_version
    with pytest.raises(InvalidInput) as refused:
        casework.record_speech_screen(case, allegation, _screen(**change), world.actor(world.investigator), None)
    assert message in refused.value.errors[field]
    db.session.expire_all()
    assert db.session.scalars(select(SpeechScreen)).first() is None
    assert case.content_version == version


def test_the_screen_is_audited_with_its_answers_and_a_correction_keeps_the_before(world):
    case, allegation = _framed(world)
    actor = world.actor(world.investigator)
    version = case.content_version
    screen = casework.record_speech_screen(case, allegation, _screen(), actor, None)
    assert case.content_version == version + 1
    corrected = _screen(public_concern=True, public_concern_reason="It criticises staffing levels.")
    casework.record_speech_screen(case, allegation, corrected, actor, screen.row_version)
    events = list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "allegation.speech_screened").order_by(AuditEvent.id)
        )
    )
    assert [e.detail["before"] for e in events][0] is None
    assert events[1].detail["before"]["public_concern"] is False
    assert events[1].detail["after"]["public_concern"] is True
    assert events[1].detail["after"]["public_concern_reason"] == "It criticises staffing levels."
    assert events[1].detail["after"]["obtained_how"] == "coworker_share"


def _sustained_in_review(world, **answers):
    """A case in review whose 5.b allegation is sustained with discipline, screened with ``answers``."""
    case, allegation = _framed(world)
    investigator = world.actor(world.investigator)
    casework.record_speech_screen(case, allegation, _screen(**answers), investigator, None)
    _find(world, case, allegation)
    propose_discipline(
        case, case.subjects[0], ProposalInput("written_reprimand", None, "Agreed with LR."), investigator, None
    )
    world.interviewed(case, case.subjects[0])  # a sustained finding needs the interview first
    casework.submit_for_review(case, investigator)
    answer_just_cause(case, world.actor(world.supervisor))
    return case


PROTECTED = {"public_concern": True, "disrupts_operations": False}


def test_approving_public_concern_with_no_disruption_needs_the_written_override(world):
    case = _sustained_in_review(world, **PROTECTED)
    supervisor = world.actor(world.supervisor)
    with pytest.raises(InvalidInput) as refused:
        casework.record_review_decision(case, supervisor, "approved", "Agreed.")
    assert (
        "found a matter of public concern and no disruption (C.G.S. 31-51q)" in refused.value.errors["speech_override"]
    )
    db.session.expire_all()
    assert case.state == "in_review" and db.session.scalars(select(Review)).first() is None
    override = "The post named an inmate's cell; the interest in safety outweighs it."
    casework.record_review_decision(case, supervisor, "approved", "Agreed.", override)
    db.session.expire_all()
    review = db.session.scalars(select(Review)).one()
    assert (case.state, review.speech_override) == ("approved", override)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.approved")).one()
    assert event.detail["speech_override"] == override


def test_no_override_is_needed_when_a_disruption_is_found_or_the_finding_is_not_sustained(world):
    case = _sustained_in_review(world, public_concern=True, disrupts_public_trust=True)
    casework.record_review_decision(case, world.actor(world.supervisor), "approved", "Agreed.", "not needed")
    db.session.expire_all()
    assert case.state == "approved"
    assert db.session.scalars(select(Review)).one().speech_override is None  # only an override needed is kept


def test_the_packet_prints_the_screen_and_the_override(world):
    case = _sustained_in_review(world, **PROTECTED, obtained_how="other", obtained_detail="Printed by a warden")
    casework.record_review_decision(case, world.actor(world.supervisor), "approved", "Agreed.", "Safety first.")
    whole = " ".join(pages_text(render(case).pdf)).replace("\n", " ")
    assert "Protected-speech screen" in whole
    assert "C.G.S. 31-51q" in whole and "C.G.S. 31-40x" in whole
    assert "Is the post on a matter of public concern?" in whole and "Reason for public_concern." in whole
    assert "Other (say how): Printed by a warden" in whole
    assert "no one demanded the employee's user name, password" in whole
    assert "Protected-speech override (C.G.S. 31-51q) by Sue Supervisor" in whole and "Safety first." in whole

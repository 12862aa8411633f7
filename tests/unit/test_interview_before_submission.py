"""Submitting needs an interview (issue 17, item 4): a sustained finding against a subject never interviewed (no
completed compelled interview) stops the submission, unless the investigator records why: declined,
unavailable or separated, with a note."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import AuditEvent
from project.permissions import NotPermitted
from project.services import casework
from project.services.discipline import ProposalInput, propose_discipline, suggest_step
from project.services.errors import CaseworkError, InvalidInput
from tests.factories import element_answers, screen_speech


def sustained_not_interviewed(world):
    """An open case whose subject has a sustained finding and a proposal, and no interview."""
    case = world.open()
    subject = world.with_subject(case)
    investigator = world.actor(world.investigator)
    clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
    allegation = casework.frame_allegation(
        case, subject, casework.AllegationInput(f"clause:{clause.id}", "", []), investigator
    )
    screen_speech(case, allegation, investigator)  # 5.b.i.2 is off duty: screened before its finding
    entry = casework.FindingInput("sustained", "The keypad is shown.", [], element_answers(allegation, "sustained"))
    casework.record_finding(case, allegation, entry, investigator, allegation.row_version)
    suggested = suggest_step(subject, clock.local_today()).step
    code = suggested.code if suggested else "counseling"
    propose_discipline(case, subject, ProposalInput(code, None, ""), investigator, None)
    return case, subject


def test_a_sustained_finding_against_a_subject_never_interviewed_stops_the_submission(world):
    case, subject = sustained_not_interviewed(world)
    name = subject.employee.display_name
    problems = casework.submission_problems(case)
    assert problems == [
        f"{name} has a sustained finding but was never interviewed: record a completed administrative interview "
        "(Garrity warning given and acknowledged), or why there was none (declined, unavailable or separated)."
    ]
    with pytest.raises(CaseworkError, match="was never interviewed"):
        casework.submit_for_review(case, world.actor(world.investigator))
    assert case.state == "open"


def test_a_criminal_interview_alone_does_not_count_the_compelled_one_does(world):
    case, subject = sustained_not_interviewed(world)
    world.interviewed(
        case,
        subject,
        kind="criminal",
        garrity_given=False,
        garrity_acknowledged=False,
        garrity_form_version="",
        referred_to="State Police",
        referred_on=clock.local_today(),
    )
    assert any("never interviewed" in p for p in casework.submission_problems(case))
    world.interviewed(case, subject)
    assert casework.submission_problems(case) == []
    casework.submit_for_review(case, world.actor(world.investigator))
    assert case.state == "in_review"


@pytest.mark.parametrize("reason", ["declined", "unavailable", "separated"])
def test_a_recorded_reason_lets_the_case_go_and_shows_on_the_standing(world, reason):
    case, subject = sustained_not_interviewed(world)
    entry = casework.NotInterviewedInput(subject.id, reason, "Asked on 3 and 10 March in writing.")
    casework.record_not_interviewed(case, entry, world.actor(world.investigator))
    standing = casework.interview_standing(case)
    assert [(s.subject.id, s.met, s.not_interviewed.reason) for s in standing] == [(subject.id, True, reason)]
    casework.submit_for_review(case, world.actor(world.investigator))
    assert case.state == "in_review"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.not_held_recorded")).one()
    assert event.detail["reason"] == reason and event.object_id == str(subject.id)


def test_a_reason_needs_its_note_and_a_known_reason_and_a_second_one_replaces_the_first(world):
    case, subject = sustained_not_interviewed(world)
    investigator = world.actor(world.investigator)
    with pytest.raises(InvalidInput) as refused:
        casework.record_not_interviewed(case, casework.NotInterviewedInput(subject.id, "busy", " "), investigator)
    assert set(refused.value.errors) == {"reason", "note"}
    other_case, other_subject = sustained_not_interviewed(world)
    with pytest.raises(InvalidInput, match="subject of this case"):
        casework.record_not_interviewed(
            case, casework.NotInterviewedInput(other_subject.id, "declined", "x"), investigator
        )
    casework.record_not_interviewed(case, casework.NotInterviewedInput(subject.id, "declined", "No."), investigator)
    casework.record_not_interviewed(
        case, casework.NotInterviewedInput(subject.id, "separated", "Resigned 1 March."), investigator
    )
    assert casework.not_interviewed_of(case)[subject.id].reason == "separated"
    held = select(AuditEvent.action).where(AuditEvent.action.like("interview.not_held%")).order_by(AuditEvent.id)
    actions = db.session.scalars(held)
    assert list(actions) == ["interview.not_held_recorded", "interview.not_held_changed"]


def test_no_interview_is_needed_without_a_sustained_finding(world):
    case = world.ready_for_review(finding="not_sustained")
    assert casework.interview_standing(case) == [] and casework.submission_problems(case) == []


def test_only_the_investigator_working_the_case_records_why(world):
    case, subject = sustained_not_interviewed(world)
    entry = casework.NotInterviewedInput(subject.id, "declined", "Declined in writing.")
    for user in (world.supervisor, world.investigator2, world.labor):
        with pytest.raises(NotPermitted):
            casework.record_not_interviewed(case, entry, world.actor(user))
    assert casework.not_interviewed_of(case) == {}

"""Just cause (issue 17, item 6): the reviewing supervisor answers the seven tests (the common arbitral standard,
not directive text) with mitigating and aggravating factors before approving a sustained finding with discipline;
notice of the rule starts from the roster's acknowledgement of AD 2.26; the internal packet prints them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import AuditEvent, JustCauseAssessment, Review
from project.permissions import NotPermitted
from project.services import casework
from project.services.errors import InvalidInput
from tests.factories import just_cause_answers
from tests.unit.test_packet_variants import text_of
from tests.unit.test_packets import pages_text, render


def _in_review(world, step="written_reprimand"):
    case = world.proposed(step=step)
    casework.submit_for_review(case, world.actor(world.investigator))
    return case


def test_approving_a_sustained_finding_with_discipline_needs_the_seven_tests(world):
    case = _in_review(world)
    supervisor = world.actor(world.supervisor)
    name = case.subjects[0].employee.display_name
    with pytest.raises(InvalidInput) as refused:
        casework.approve_outcome(case, supervisor, "Agreed.")
    assert refused.value.errors["just_cause"] == (
        f"Answer the seven tests of just cause for {name} before approving: a sustained finding with discipline "
        "needs them."
    )
    db.session.expire_all()
    assert case.state == "in_review"
    assessment = casework.record_just_cause(case, case.subjects[0], just_cause_answers(), supervisor)
    review = casework.approve_outcome(case, supervisor, "Agreed.")
    db.session.expire_all()
    assert case.state == "approved"
    assert assessment.approval_id == review.id
    assert casework.just_cause_of_approval(review)[case.subjects[0].id].id == assessment.id


def test_counseling_is_not_discipline_so_it_needs_no_just_cause(world):
    case = _in_review(world, step="counseling")
    casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    db.session.expire_all()
    assert case.state == "approved"


def test_the_answers_and_factors_are_recorded_and_audited(world):
    case = _in_review(world)
    entry = casework.JustCauseInput(
        tuple(casework.TestAnswer(t, t != "equal_treatment", f"Because {t}.") for t in casework.JUST_CAUSE_TESTS),
        mitigating="Ten years clean\n\n  Apologised at once  ",
        aggravating="Security breach",
    )
    casework.record_just_cause(case, case.subjects[0], entry, world.actor(world.supervisor))
    db.session.expire_all()
    stored = db.session.scalars(select(JustCauseAssessment)).one()
    assert [(a.test, a.met) for a in stored.answers][5] == ("equal_treatment", False)
    assert [a.test for a in stored.answers] == list(casework.JUST_CAUSE_TESTS)
    assert stored.mitigating_factors == ["Ten years clean", "Apologised at once"]
    assert stored.aggravating_factors == ["Security breach"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.just_cause_recorded")).one()
    assert event.detail["answers"]["equal_treatment"] == {"met": False, "reason": "Because equal_treatment."}
    assert event.detail["mitigating"] == ["Ten years clean", "Apologised at once"]


@pytest.mark.parametrize(
    ("test", "met", "reason", "field"),
    [("notice", None, "Signed it.", "notice"), ("fair_investigation", True, "  ", "fair_investigation_reason")],
)
def test_an_unanswered_test_is_refused_and_nothing_is_saved(world, test, met, reason, field):
    case = _in_review(world)
    answers = tuple(
        casework.TestAnswer(t, met, reason) if t == test else casework.TestAnswer(t, True, "Shown.")
        for t in casework.JUST_CAUSE_TESTS
    )
    with pytest.raises(InvalidInput) as refused:
        casework.record_just_cause(
            case, case.subjects[0], casework.JustCauseInput(answers), world.actor(world.supervisor)
        )
    assert field in refused.value.errors
    assert db.session.scalars(select(JustCauseAssessment)).first() is None


def test_only_the_reviewing_supervisor_answers(world):
    case = _in_review(world)
    with pytest.raises(NotPermitted):
        casework.record_just_cause(case, case.subjects[0], just_cause_answers(), world.actor(world.investigator))


def test_answers_of_an_earlier_review_do_not_count_after_a_return(world):
    case = _in_review(world)
    supervisor, investigator = world.actor(world.supervisor), world.actor(world.investigator)
    casework.record_just_cause(case, case.subjects[0], just_cause_answers(), supervisor)
    casework.return_to_investigator(case, supervisor, "Interview the second officer.")
    casework.submit_for_review(case, investigator)
    assert casework.current_just_cause(case, case.subjects[0]) is None
    with pytest.raises(InvalidInput, match="Answer the seven tests of just cause"):
        casework.approve_outcome(case, supervisor, "Agreed.")


def test_notice_of_the_rule_starts_from_the_roster_acknowledgement(world):
    case = _in_review(world)
    subject = case.subjects[0]
    assert casework.notice_on_record(subject) == (None, "no acknowledgement on record")
    subject.employee.ad_2_26_acknowledged_on = date(2019, 2, 1)
    db.session.commit()
    assert casework.notice_on_record(subject) == (True, "acknowledged AD 2.26 on 2019-02-01")


def test_an_acknowledgement_signed_after_the_post_is_no_notice_at_the_time(world):
    """Notice is judged when the employee posted: an acknowledgement signed afterwards (after the complaint,
    say) does not answer the test; the form starts unanswered and says why."""
    case = _in_review(world)
    subject = case.subjects[0]
    posted = min(a.post.posted_at for a in casework.allegations_of(subject) if a.post and a.post.posted_at)
    day = posted.astimezone(clock.zone()).date()
    subject.employee.ad_2_26_acknowledged_on = day + timedelta(days=3)
    db.session.commit()
    answer, reason = casework.notice_on_record(subject)
    assert answer is None
    assert reason == (
        f"acknowledged AD 2.26 on {day + timedelta(days=3)}, after the post of {day}: "
        "no notice on record at the time of the post"
    )
    subject.employee.ad_2_26_acknowledged_on = day  # the same day: notice at the time
    db.session.commit()
    assert casework.notice_on_record(subject) == (True, f"acknowledged AD 2.26 on {day}")


def test_the_internal_packet_prints_the_just_cause_the_approval_relied_on(world):
    case = _in_review(world)
    supervisor = world.actor(world.supervisor)
    casework.record_just_cause(case, case.subjects[0], just_cause_answers(reason="Shown by the interview."), supervisor)
    casework.approve_outcome(case, supervisor, "Agreed.")
    whole = " ".join(pages_text(render(case).pdf)).replace("\n", " ")
    assert "Just cause" in whole
    assert "Daugherty, Enterprise Wire Co., 46 LA 359 (1966)" in whole and "not the text of AD 2.26" in whole
    for label in ("Notice of the rule", "Reasonable rule", "Equal treatment", "Proportionate penalty"):
        assert label in whole
    assert "Yes: Shown by the interview." in whole
    assert "Ten years without discipline" in whole and "Post stayed up after a warning" in whole
    assert db.session.scalars(select(Review)).one().is_approval


def test_the_employee_copy_leaves_the_just_cause_out_but_keeps_the_speech_screen(world):
    case = _in_review(world)
    supervisor = world.actor(world.supervisor)
    casework.record_just_cause(case, case.subjects[0], just_cause_answers(reason="Shown by the interview."), supervisor)
    casework.approve_outcome(case, supervisor, "Agreed.")
    copy = text_of(case, "redacted", subject_id=case.subjects[0].id)
    assert "Shown by the interview." not in copy and "Enterprise Wire" not in copy
    assert "Protected-speech screen" in copy

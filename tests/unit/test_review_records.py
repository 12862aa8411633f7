"""Each review is its own record (issue 14, part 4): a modification at review never overwrites the
investigator's proposal, "approve as submitted" and "approve with modification" must match what was done at the
review, and each decision keeps a snapshot of what the case said, to diff at the next review."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AppendOnlyViolation, AuditEvent, DisciplineProposal, ProposalModification, Review
from project.services import casework, discipline
from project.services.errors import InvalidInput
from project.transaction import committing
from tests.factories import answer_just_cause, element_answers


def _modify(world, case, step="suspension", days=3, reason="Posted the keypad code twice."):
    return discipline.modify_proposal_at_review(
        case, case.subjects[0], discipline.ProposalInput(step, days, reason), world.actor(world.supervisor)
    )


def _under_review(world):
    case = world.proposed()
    casework.submit_for_review(case, world.actor(world.investigator), "Interviewed; he admits the post.")
    return case


def test_a_modification_at_review_leaves_the_investigators_proposal_as_made(world, frozen_clock):
    case = _under_review(world)
    subject = case.subjects[0]
    proposal = casework.proposal_of(subject)
    as_made = (proposal.proposed_step.code, proposal.suspension_days, proposal.proposed_by_id, proposal.row_version)
    assert as_made[0] != "suspension"
    modification = _modify(world, case)
    db.session.expire_all()
    proposal = db.session.scalars(select(DisciplineProposal)).one()
    assert (
        proposal.proposed_step.code,
        proposal.suspension_days,
        proposal.proposed_by_id,
        proposal.row_version,
    ) == as_made
    stored = db.session.scalars(select(ProposalModification)).one()
    assert stored.id == modification.id
    assert (stored.subject_id, stored.proposal_id, stored.step.code, stored.suspension_days) == (
        subject.id,
        proposal.id,
        "suspension",
        3,
    )
    assert (stored.reason, stored.modified_by_id) == ("Posted the keypad code twice.", world.supervisor.id)
    assert stored.content_version == case.content_version
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "discipline.modified_at_review")).one()
    assert event.detail["after"] == {"step": "suspension", "suspension_days": 3, "reason": stored.reason}
    assert event.detail["proposal"]["step"] == as_made[0]


def test_the_approved_discipline_is_the_latest_modification_else_the_proposal(world, frozen_clock):
    case = _under_review(world)
    subject = case.subjects[0]
    proposed = discipline.approved_discipline(subject)
    assert (proposed.source, proposed.by.id) == ("proposal", world.investigator.id)
    assert proposed.step.code == casework.proposal_of(subject).proposed_step.code
    _modify(world, case, "suspension", 3)
    _modify(world, case, "suspension", 5, "Five days: the code was live for a week.")
    approved = discipline.approved_discipline(subject)
    assert (approved.step.code, approved.suspension_days, approved.source) == ("suspension", 5, "review")
    assert (approved.by.id, approved.reason) == (world.supervisor.id, "Five days: the code was live for a week.")
    assert approved.description == "Suspension of 5 days"


def test_modifying_to_the_discipline_as_it_stands_is_refused(world, frozen_clock):
    case = _under_review(world)
    proposed = casework.proposal_of(case.subjects[0]).proposed_step.code
    with pytest.raises(InvalidInput) as refused:
        _modify(world, case, proposed, None)
    assert set(refused.value.errors) == {"step"}
    assert db.session.scalars(select(ProposalModification)).all() == []


def test_a_modification_belongs_to_its_review_cycle(world, frozen_clock):
    case = _under_review(world)
    subject = case.subjects[0]
    _modify(world, case)
    casework.return_to_investigator(case, world.actor(world.supervisor), "Say why the suspension is not enough.")
    assert discipline.approved_discipline(subject).source == "proposal"  # returned: the review is over
    discipline.propose_discipline(
        case,
        subject,
        discipline.ProposalInput("suspension", 2, "Two days, as discussed."),
        world.actor(world.investigator),
        casework.proposal_of(subject).row_version,
    )
    casework.submit_for_review(case, world.actor(world.investigator), "Raised to two days.")
    approved = discipline.approved_discipline(subject)
    assert (approved.source, approved.step.code, approved.suspension_days) == ("proposal", "suspension", 2)
    assert casework.modifications_in_review(case) == []
    assert len(casework.modifications_of(subject)) == 1  # kept, as a record of the earlier review
    answer_just_cause(case, world.actor(world.supervisor))
    review = casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    assert review.decision == "approved"


def test_approve_as_submitted_after_a_modification_is_refused(world, frozen_clock):
    case = _under_review(world)
    subject = case.subjects[0]
    _modify(world, case)
    answer_just_cause(case, world.actor(world.supervisor))
    with pytest.raises(InvalidInput) as refused:
        casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    name = f"{subject.employee.first_name} {subject.employee.last_name}"
    assert refused.value.errors == {
        "decision": f"You modified the discipline for {name} at this review; choose "
        '"Approve with modification" and give the reason.'
    }
    db.session.refresh(case)
    assert case.state == "in_review"
    assert db.session.scalars(select(Review)).all() == []
    review = casework.approve_outcome(case, world.actor(world.supervisor), "Raised to 3 days.", modified=True)
    assert review.decision == "approved_with_modification"
    assert discipline.approved_discipline(subject).suspension_days == 3  # still the modification once approved


def test_approve_with_modification_when_nothing_was_modified_is_refused(world, frozen_clock):
    case = _under_review(world)
    with pytest.raises(InvalidInput) as refused:
        casework.approve_outcome(case, world.actor(world.supervisor), "Lowered.", modified=True)
    assert refused.value.errors == {
        "decision": "Nothing was modified at this review; approve as submitted, or modify the discipline first."
    }
    db.session.refresh(case)
    assert case.state == "in_review"


def test_a_modification_is_append_only(world, frozen_clock):
    case = _under_review(world)
    modification = _modify(world, case)
    with pytest.raises(AppendOnlyViolation), committing("the modification"):
        modification.reason = "Something else."
    db.session.rollback()
    assert db.session.get(ProposalModification, modification.id).reason == "Posted the keypad code twice."


def test_withdrawing_a_proposal_keeps_the_modifications_made_to_it(world, frozen_clock):
    case = _under_review(world)
    subject = case.subjects[0]
    modification = _modify(world, case)
    casework.return_to_investigator(case, world.actor(world.supervisor), "Check the finding again.")
    proposal = casework.proposal_of(subject)
    discipline.withdraw_proposal(case, subject, world.actor(world.investigator), proposal.row_version)
    db.session.expire_all()
    kept = db.session.get(ProposalModification, modification.id)
    assert (kept.proposal_id, kept.step.code, kept.suspension_days) == (None, "suspension", 3)
    assert discipline.approved_discipline(subject) is None


def test_each_decision_keeps_a_snapshot_of_the_case_without_the_reporter(world, frozen_clock):
    case = _under_review(world)
    _modify(world, case)
    casework.return_to_investigator(case, world.actor(world.supervisor), "Add the screenshot.")
    [review] = db.session.scalars(select(Review)).all()
    snapshot = review.content_snapshot
    assert "Post 1: Facebook" in snapshot and "  Text: Look at these keys lol" in snapshot
    assert "Allegation under AD 2.26 section 5.b.i.2: Sustained" in snapshot
    assert "    Reasoning: The post shows the sally port keypad." in snapshot
    assert "  Proposed by Ivy Investigator: " in snapshot
    assert "  Modified at review by Sue Supervisor: Suspension of 3 days" in snapshot
    assert "    Reason: Posted the keypad code twice." in snapshot
    assert "Reporter" not in snapshot and "555-0100" not in snapshot


def test_the_snapshot_holds_the_interviews_and_the_speech_screen_so_their_changes_show(world, frozen_clock):
    case = _under_review(world)
    casework.return_to_investigator(case, world.actor(world.supervisor), "Ask about the second post.")
    [review] = db.session.scalars(select(Review)).all()
    snapshot = review.content_snapshot
    assert "Interviews" in snapshot and "Administrative (compelled; Garrity warning)" in snapshot
    assert "  Place: Internal affairs office, Wethersfield; interviewers: Ivy Investigator" in snapshot
    assert "  Garrity: warning given, acknowledged; form DOC Garrity form rev. 2024-01" in snapshot
    assert "  Union representative: requested, Sam Steward (AFSCME Local 1565)" in snapshot
    assert "  Summary: The employee admits posting the photo." in snapshot
    assert "    Protected-speech screen: public concern no; private citizen no; union activity no" in snapshot
    assert "      Disruption: operations yes; working relationships no; discipline no; public trust no" in snapshot
    [interview] = casework.interviews_of(case)
    entry = casework.InterviewInput(
        f"subject:{interview.subject_id}",
        interview.held_at,
        interview.place,
        interview.kind,
        [world.investigator.id],
        garrity_given=True,
        garrity_acknowledged=True,
        garrity_form_version=interview.garrity_form_version or "",
        representation="requested",
        representative_name="Sam Steward",
        representative_union="AFSCME Local 1565",
        summary="The employee admits posting the photo and a second one.",
    )
    casework.change_interview(case, interview, entry, world.actor(world.investigator), interview.row_version)
    casework.submit_for_review(case, world.actor(world.investigator), "Asked about the second post.")
    changes = [(line.kind, line.text) for line in casework.review_history(case).changes if line.kind != "context"]
    assert ("removed", "  Summary: The employee admits posting the photo.") in changes
    assert ("added", "  Summary: The employee admits posting the photo and a second one.") in changes


def test_the_review_history_diffs_since_the_last_review_and_lists_the_returns(world, frozen_clock):
    case = _under_review(world)
    history = casework.review_history(case)
    assert history.unreviewed and history.changes == [] and history.returns == []
    assert history.submission.reason == "Interviewed; he admits the post."
    casework.return_to_investigator(case, world.actor(world.supervisor), "Add the screenshot.")
    world.add_screenshot(case)
    casework.submit_for_review(case, world.actor(world.investigator), "Screenshot added as Exhibit 1.")
    history = casework.review_history(case)
    assert not history.unreviewed and history.last_reviewed.decision == "returned"
    assert [(line.kind, line.text) for line in history.changes if line.kind != "context"] == [
        ("gap", "…"),
        ("added", "Exhibit 1: Screenshot of the post"),
    ]
    assert history.submission.reason == "Screenshot added as Exhibit 1."
    [returned] = history.returns
    assert (returned.reasons, returned.decided_by.name) == ("Add the screenshot.", "Sue Supervisor")


def test_a_changed_reasoning_shows_as_removed_and_added(world, frozen_clock):
    case = _under_review(world)
    casework.return_to_investigator(case, world.actor(world.supervisor), "Say what the keypad code opens.")
    [allegation] = casework.allegations_of(case.subjects[0])
    entry = casework.FindingInput("sustained", "The code opens the <sally port> door.", [], element_answers(allegation))
    casework.record_finding(case, allegation, entry, world.actor(world.investigator), allegation.row_version)
    casework.submit_for_review(case, world.actor(world.investigator))
    changes = [(line.kind, line.text) for line in casework.review_history(case).changes]
    assert ("removed", "    Reasoning: The post shows the sally port keypad.") in changes
    assert ("added", "    Reasoning: The code opens the <sally port> door.") in changes


def test_approving_as_submitted_after_another_supervisors_modification_names_them(world, frozen_clock):
    case = _under_review(world)
    _modify(world, case)
    other = world.users.make("supervisor", name="Sam Supervisor")
    with pytest.raises(InvalidInput) as refused:
        casework.approve_outcome(case, world.actor(other), "Agreed.")
    assert refused.value.errors["decision"].startswith("Sue Supervisor modified the discipline for Pat ")


def test_a_subject_without_a_proposal_has_nothing_to_modify(world, frozen_clock):
    case = world.in_review()  # not sustained, so nothing was proposed
    subject = case.subjects[0]
    with pytest.raises(InvalidInput) as refused:
        _modify(world, case, "counseling", None, "Counsel him anyway.")
    assert refused.value.errors == {"step": f"{subject.employee.display_name} has no discipline proposal to modify."}
    assert discipline.approved_discipline(subject) is None

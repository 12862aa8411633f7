"""Discipline proposals: a departure from the suggestion needs a justification, one proposal per subject,
who may propose, and a supervisor's modification at review."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, DisciplineProposal
from project.permissions import NotPermitted
from project.services import casework, discipline
from project.services.errors import InvalidInput, StaleEdit
from project.transaction import committing
from tests.factories import answer_just_cause
from tests.unit.test_discipline import (
    CONDUCT,
    history,
    subject_of,
)


def test_a_departure_from_the_suggestion_needs_a_written_justification(world, frozen_clock):
    case = world.sustained(clause="5.b.i.2")
    subject = subject_of(case)
    actor = world.actor(world.investigator)
    version_before = case.content_version
    with pytest.raises(InvalidInput) as refused:
        discipline.propose_discipline(case, subject, discipline.ProposalInput("dismissal", None, "   "), actor, None)
    assert refused.value.errors == {
        "justification": "The suggested step is written reprimand; proposing dismissal "
        "instead needs a written justification."
    }
    assert casework.proposal_of(subject) is None and case.content_version == version_before
    proposal = discipline.propose_discipline(
        case,
        subject,
        discipline.ProposalInput("dismissal", None, "Published the count procedure: a security breach."),
        actor,
        None,
    )
    assert proposal.suggested_step.code == "written_reprimand" and proposal.proposed_step.code == "dismissal"
    assert proposal.departure_justification == "Published the count procedure: a security breach."
    assert (
        proposal.suggestion_reason.splitlines()[0]
        == f"Conduct date: {CONDUCT}, the date of the earliest reported post."
    )
    assert case.content_version == version_before + 1
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "discipline.proposed")).one()
    assert event.detail["after"]["step"] == "dismissal" and event.case_id == case.id


def test_the_suggested_step_needs_no_justification_and_a_suspension_needs_days(world, frozen_clock):
    case = world.sustained(clause="5.b.i.4")
    subject = subject_of(case)
    actor = world.actor(world.investigator)
    history(f"{subject.employee.employee_number},written_reprimand,2026-01-10,,,confidential_information")
    with pytest.raises(InvalidInput) as no_days:
        discipline.propose_discipline(case, subject, discipline.ProposalInput("suspension", None, ""), actor, None)
    assert no_days.value.errors == {"suspension_days": "A suspension needs its number of days, from 1 to 60."}
    with pytest.raises(InvalidInput) as too_many:
        discipline.propose_discipline(case, subject, discipline.ProposalInput("suspension", 61, ""), actor, None)
    assert set(too_many.value.errors) == {"suspension_days"}
    with pytest.raises(InvalidInput) as days_on_reprimand:
        discipline.propose_discipline(
            case, subject, discipline.ProposalInput("written_reprimand", 3, "Lower."), actor, None
        )
    assert set(days_on_reprimand.value.errors) == {"suspension_days"}
    proposal = discipline.propose_discipline(case, subject, discipline.ProposalInput("suspension", 5, ""), actor, None)
    assert (proposal.proposed_step.code, proposal.suspension_days, proposal.departure_justification) == (
        "suspension",
        5,
        "",
    )


def test_every_problem_of_a_proposal_is_named_at_once(world, frozen_clock):
    """The discipline form showed its errors one at a time (issue 16): a departure without a justification
    and a suspension without days are both named by the first try."""
    case = world.sustained(clause="5.b.i.4")  # no history: the suggestion is not a suspension
    subject = subject_of(case)
    with pytest.raises(InvalidInput) as refused:
        discipline.propose_discipline(
            case, subject, discipline.ProposalInput("suspension", None, ""), world.actor(world.investigator), None
        )
    assert set(refused.value.errors) == {"suspension_days", "justification"}
    assert "needs a written justification" in refused.value.errors["justification"]
    with pytest.raises(InvalidInput) as unknown:
        discipline.propose_discipline(
            case, subject, discipline.ProposalInput("flogging", 99, ""), world.actor(world.investigator), None
        )
    assert unknown.value.errors == {
        "step": "Choose a step from the discipline ladder.",
        "suspension_days": "A suspension is from 1 to 60 days.",
    }
    assert db.session.scalars(select(DisciplineProposal)).all() == []


def test_one_proposal_per_subject_and_a_stale_save_is_refused(world, frozen_clock):
    case = world.proposed()  # the suggested written reprimand
    subject = subject_of(case)
    actor = world.actor(world.investigator)
    proposal = casework.proposal_of(subject)
    assert proposal is not None and proposal.proposed_step.code == "written_reprimand"
    seen = proposal.row_version
    discipline.propose_discipline(
        case, subject, discipline.ProposalInput("suspension", 3, "Second post the same week."), actor, seen
    )
    with pytest.raises(StaleEdit):
        discipline.propose_discipline(
            case, subject, discipline.ProposalInput("oral_reprimand", None, "Lower."), actor, seen
        )
    with pytest.raises(StaleEdit):
        discipline.propose_discipline(
            case, subject, discipline.ProposalInput("oral_reprimand", None, "Lower."), actor, None
        )
    db.session.refresh(proposal)
    assert (proposal.proposed_step.code, proposal.suspension_days) == ("suspension", 3)


def test_only_whoever_may_edit_the_case_proposes(world, frozen_clock):
    case = world.sustained()
    with pytest.raises(NotPermitted):
        discipline.propose_discipline(
            case,
            subject_of(case),
            discipline.ProposalInput("written_reprimand", None, ""),
            world.actor(world.labor),
            None,
        )
    with pytest.raises(NotPermitted):
        discipline.propose_discipline(
            case,
            subject_of(case),
            discipline.ProposalInput("written_reprimand", None, ""),
            world.actor(world.investigator2),
            None,
        )
    assert casework.proposal_of(subject_of(case)) is None


def test_a_supervisor_modifies_at_review_with_a_reason_then_approves(world, frozen_clock):
    case = world.proposed()
    casework.submit_for_review(case, world.actor(world.investigator))
    subject = subject_of(case)
    with pytest.raises(NotPermitted):
        discipline.modify_proposal_at_review(
            case,
            subject,
            discipline.ProposalInput("oral_reprimand", None, "Too harsh."),
            world.actor(world.investigator),
        )
    with pytest.raises(InvalidInput) as no_reason:
        discipline.modify_proposal_at_review(
            case, subject, discipline.ProposalInput("oral_reprimand", None, " "), world.actor(world.supervisor)
        )
    assert no_reason.value.errors == {
        "justification": "Give the reason for the modification; it is kept with the review."
    }
    modification = discipline.modify_proposal_at_review(
        case,
        subject,
        discipline.ProposalInput("oral_reprimand", None, "First post, removed within the hour."),
        world.actor(world.supervisor),
    )
    # issue 14: the modification is its own record; the investigator's proposal is left as made
    assert modification.step.code == "oral_reprimand" and modification.modified_by_id == world.supervisor.id
    assert modification.reason == "First post, removed within the hour."
    proposal = casework.proposal_of(subject)
    assert proposal.proposed_step.code != "oral_reprimand" and proposal.proposed_by_id == world.investigator.id
    answer_just_cause(case, world.actor(world.supervisor))
    review = casework.approve_outcome(
        case, world.actor(world.supervisor), "Lowered to an oral reprimand.", modified=True
    )
    assert review.decision == "approved_with_modification"
    assert casework.standing_approval(case) is review


def test_a_withdrawn_proposal_leaves_the_subject_without_one(world, frozen_clock):
    case = world.proposed()
    subject = subject_of(case)
    proposal = casework.proposal_of(subject)
    with pytest.raises(NotPermitted):
        discipline.withdraw_proposal(case, subject, world.actor(world.investigator2), proposal.row_version)
    discipline.withdraw_proposal(case, subject, world.actor(world.investigator), proposal.row_version)
    assert casework.proposal_of(subject) is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "discipline.withdrawn")).one()
    assert event.detail["before"]["step"] == "written_reprimand"


def test_a_second_proposal_row_for_a_subject_made_at_the_same_moment_is_refused(world, frozen_clock):
    case = world.proposed()
    subject = subject_of(case)
    first = casework.proposal_of(subject)
    with pytest.raises(StaleEdit), committing("this discipline proposal", duplicate_is_conflict=True):
        db.session.add(
            DisciplineProposal(
                subject_id=subject.id,
                proposed_step_id=first.proposed_step_id,
                proposed_by_id=world.investigator.id,
                proposed_at=first.proposed_at,
            )
        )
        db.session.flush()
    assert db.session.scalars(select(DisciplineProposal)).all() == [first]

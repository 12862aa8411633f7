"""The life cycle through the services: numbering, moves, who may make them, approvals and their versions."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import Case, CaseState, CaseTransition, Review
from project.permissions import NotPermitted
from project.services import casework, discipline
from project.services.errors import CaseworkError, InvalidInput
from tests.factories import element_answers


def test_case_numbers_are_sequential_per_year(world, frozen_clock):
    first, second = world.intake(), world.intake()
    assert (first.number, second.number) == ("SM-2026-0001", "SM-2026-0002")
    frozen_clock.advance(days=365)
    assert world.intake().number == "SM-2027-0001"


@pytest.mark.commits  # threads, each on a connection of its own
def test_two_people_opening_cases_at_once_never_share_a_number(world, app, migrated_database):
    user_ids = [world.investigator.id, world.supervisor.id]
    numbers: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(user_ids) * 3)

    def open_cases(user_id: int) -> None:
        with app.app_context():
            try:
                from project.models import User
                from project.services.audit import Actor

                actor = Actor(db.session.get(User, user_id))
                barrier.wait()
                for _ in range(4):
                    data = casework.ComplaintInput(
                        title="Concurrent", complaint_source="audit", received_at=world_now()
                    )
                    post = casework.PostInput(platform="x", text="a post")
                    numbers.append(casework.log_complaint(data, [post], actor).number)
            except BaseException as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=open_cases, args=(uid,)) for uid in user_ids * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(numbers) == 24 and len(set(numbers)) == 24
    sequences = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert sequences == list(range(1, 25))


def world_now():
    from project import clock

    return clock.now()


def test_every_move_records_who_when_and_why(world):
    case = world.in_review()
    casework.return_to_investigator(case, world.actor(world.supervisor), "Interview the reporter.")
    moves = db.session.scalars(
        select(CaseTransition).where(CaseTransition.case_id == case.id).order_by(CaseTransition.id)
    ).all()
    assert [(m.from_state, m.to_state, m.action) for m in moves] == [
        (None, "intake", "logged"),
        ("intake", "open", "assigned"),
        ("open", "in_review", "submitted"),
        ("in_review", "open", "returned"),
    ]
    assert moves[-1].reason == "Interview the reporter." and moves[-1].actor_id == world.supervisor.id
    assert moves[1].assignee_id == world.investigator.id


def test_return_needs_reasons_and_the_case_stays_in_review(world):
    case = world.in_review()
    with pytest.raises(InvalidInput) as refused:
        casework.return_to_investigator(case, world.actor(world.supervisor), "   ")
    assert refused.value.errors == {"reasons": "Give your reasons for returning the case; the investigator reads them."}
    db.session.refresh(case)
    assert case.state == "in_review"


def test_a_supervisor_cannot_approve_a_case_they_investigated(world):
    case = world.open()
    casework.assign_investigator(case, world.investigator2, world.actor(world.supervisor))
    dual = world.users.make("supervisor", "investigator", email="dual@example.test")
    casework.assign_investigator(case, dual, world.actor(world.supervisor))
    casework.assign_investigator(case, world.investigator, world.actor(world.supervisor))
    subject = world.with_subject(case)

    clause = next(c for c in casework.citable_clauses() if c.number == "5.c")
    investigator = world.actor(world.investigator)
    allegation = casework.frame_allegation(
        case, subject, casework.AllegationInput(f"clause:{clause.id}", "", []), investigator
    )
    casework.record_finding(
        case,
        allegation,
        casework.FindingInput("unfounded", "Not the employee's account.", [], element_answers(allegation, "unfounded")),
        world.actor(world.investigator),
        allegation.row_version,
    )
    casework.submit_for_review(case, world.actor(world.investigator))
    with pytest.raises(NotPermitted):
        casework.approve_outcome(case, world.actor(dual))
    casework.approve_outcome(case, world.actor(world.supervisor))
    assert case.state == "approved"


def test_submission_lists_what_is_missing(world):
    case = world.open()
    with pytest.raises(CaseworkError, match="Link at least one subject employee"):
        casework.submit_for_review(case, world.actor(world.investigator))
    world.with_subject(case)
    with pytest.raises(CaseworkError, match="has no allegation"):
        casework.submit_for_review(case, world.actor(world.investigator))
    assert case.state == "open"


def test_approval_records_the_version_and_a_later_change_voids_it(world):
    case = world.approved()
    review = casework.standing_approval(case)
    assert review is not None and review.content_version == case.content_version
    casework.begin_discipline(case, world.actor(world.labor))
    casework.close_case(case, world.actor(world.labor), "Discipline imposed.")
    casework.reopen_case(case, world.actor(world.supervisor), "New post found from the same account.")
    assert case.state == "open"
    db.session.refresh(review)
    assert review.voided_at is not None and "no longer stands" in review.void_reason
    assert casework.standing_approval(case) is None


def test_close_as_no_violation_is_refused_when_an_allegation_is_sustained(world):
    case = world.ready_for_review(finding="sustained")
    # a sustained allegation needs a proposal before submission
    with pytest.raises(CaseworkError, match="Propose a discipline step"):
        casework.submit_for_review(case, world.actor(world.investigator))


def test_reopen_needs_a_supervisor_and_a_reason(world):
    case = world.closed()
    with pytest.raises(NotPermitted):
        casework.reopen_case(case, world.actor(world.investigator), "I want it back")
    with pytest.raises(InvalidInput):
        casework.reopen_case(case, world.actor(world.supervisor), "")
    casework.reopen_case(case, world.actor(world.supervisor), "Arbitrator remanded.")
    assert case.state == CaseState.OPEN


def test_moves_from_the_wrong_state_are_refused(world):
    case = world.open()
    with pytest.raises(NotPermitted):
        casework.approve_outcome(case, world.actor(world.supervisor))
    with pytest.raises(CaseworkError):
        casework.move(case, "approved", world.actor(world.supervisor))
    db.session.rollback()
    assert db.session.get(Case, case.id).state == "open"


def test_notes_are_append_only_and_corrections_point_back(world):
    case = world.open()
    first = casework.add_note(case, "interview", "Spoke with CO Smith at 10:15.", world.actor(world.investigator))
    fix = casework.add_note(
        case,
        "interview",
        "Correction: the interview was at 11:15.",
        world.actor(world.investigator),
        corrects_id=first.id,
    )
    assert fix.corrects_id == first.id
    first.body = "tampered"
    with pytest.raises(Exception, match="append-only"):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(type(first), first.id))
    with pytest.raises(Exception, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert [n.body for n in casework.notes_of(case)] == [
        "Spoke with CO Smith at 10:15.",
        "Correction: the interview was at 11:15.",
    ]


def test_bad_complaint_input_saves_nothing(world):
    data = casework.ComplaintInput(title="", complaint_source="rumour", received_at=world_now())
    post = casework.PostInput(platform="myspace", url="javascript:alert(1)")
    with pytest.raises(InvalidInput) as refused:
        casework.log_complaint(data, [post], world.actor(world.investigator))
    assert set(refused.value.errors) == {"title", "complaint_source", "platform", "url"}
    assert db.session.scalars(select(Case)).all() == []


def test_admin_cannot_log_complaints(world):
    data = casework.ComplaintInput(title="x", complaint_source="audit", received_at=world_now())
    with pytest.raises(NotPermitted):
        casework.log_complaint(data, [casework.PostInput(platform="x", text="t")], world.actor(world.admin))


def test_reviews_are_listed_with_their_decisions(world):
    case = world.proposed()
    casework.submit_for_review(case, world.actor(world.investigator))
    casework.return_to_investigator(case, world.actor(world.supervisor), "Add the screenshot.")
    casework.submit_for_review(case, world.actor(world.investigator))
    lowered = discipline.ProposalInput("counseling", None, "First post, taken down at once.")
    discipline.modify_proposal_at_review(case, case.subjects[0], lowered, world.actor(world.supervisor))
    casework.approve_outcome(case, world.actor(world.supervisor), "Lowered to counseling.", modified=True)
    decisions = db.session.scalars(select(Review.decision).where(Review.case_id == case.id).order_by(Review.id)).all()
    assert decisions == ["returned", "approved_with_modification"]


def test_the_case_list_shows_exactly_the_cases_the_permissions_allow(world):
    """``case_list.visible_to`` (SQL) and ``permissions.can_view_case`` (Python) must never disagree."""
    from project.permissions import can_view_case

    built = [world.in_state(state) for state in ("intake", "open", "in_review", "approved", "closed")]
    subject_number = built[1].subjects[0].employee.employee_number
    subject_sup = world.users.make("supervisor", email="subj@example.test", employee_number=subject_number)
    for user in (world.investigator, world.investigator2, world.supervisor, world.labor, world.admin, subject_sup):
        listed = {c.id for c in casework.list_cases(user, casework.CaseFilters()).cases}
        allowed = {c.id for c in db.session.scalars(select(Case)) if can_view_case(user, c)}
        assert listed == allowed, user.email
    assert built[1].id not in {c.id for c in casework.list_cases(subject_sup, casework.CaseFilters()).cases}

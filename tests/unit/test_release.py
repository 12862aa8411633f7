"""Release review of exhibits and their withdrawal: each state's rules, the release packet refused while an
exhibit is not reviewed (naming each), withheld and redacted exhibits in the packet, withdrawal by whom and
when, and a new redaction setting a review aside."""

from __future__ import annotations

import io

import pytest
from flask import current_app
from pypdf import PdfReader
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent
from project.permissions import NotPermitted
from project.services import casework, evidence, packets
from project.services.errors import CaseworkError, InvalidInput
from project.services.evidence import EvidenceStore, exhibits_of
from tests.factories import answer_just_cause, element_answers, screen_speech

TOP_LEFT = [{"x": 0, "y": 0, "w": 300, "h": 120}]


def evidence_dir() -> str:
    return current_app.config["EVIDENCE_DIR"]


def two_screenshot_case(world):
    """The issue's case: two screenshots of the same post, exhibit 1 cited by the allegation, then approved."""
    case = world.open()
    first = world.add_screenshot(case, text="Look at these keys lol")
    second = world.add_screenshot(case, text="Look at these keys lol (again)")
    subject = world.with_subject(case)
    clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
    investigator = world.actor(world.investigator)
    allegation = casework.frame_allegation(
        case, subject, casework.AllegationInput(f"clause:{clause.id}", "", [first.id, second.id]), investigator
    )
    screen_speech(case, allegation, world.actor(world.investigator))
    casework.record_finding(
        case,
        allegation,
        casework.FindingInput(
            "not_sustained",
            "The keys cannot be read.",
            [first.id, second.id],
            element_answers(allegation, "not_sustained"),
        ),
        investigator,
        allegation.row_version,
    )
    casework.submit_for_review(case, investigator)
    answer_just_cause(case, world.actor(world.supervisor))
    casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    return case, first, second


def redact(world, case, exhibit, regions=TOP_LEFT):
    return evidence.redact_exhibit(
        case,
        exhibit,
        evidence.RedactionInput(regions, "Hide the inmate's face"),
        world.actor(world.labor),
        evidence_dir(),
    )


def render(case, variant: str = "redacted") -> bytes:
    settings = packets.PrintSettings(evidence_dir(), "DOC-")
    return packets.render_packet(case, packets.PacketOrder(variant), settings).pdf


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def rendition_of(exhibit) -> bytes:
    original = EvidenceStore(evidence_dir()).read_original(exhibit.sha256)
    return evidence.image_rendition(evidence_dir(), exhibit.sha256, original)


def test_an_exhibit_starts_not_reviewed_and_each_decision_is_kept_with_who_when_why(world):
    case, first, _ = two_screenshot_case(world)
    assert evidence.release_state(first).state == evidence.NOT_REVIEWED
    redact(world, case, first)
    evidence.review_for_release(case, first, "redacted", "Face blacked out; checked.", world.actor(world.labor))
    evidence.review_for_release(case, first, "withheld", "Duplicate of exhibit 2.", world.actor(world.supervisor))
    state = evidence.release_state(first)
    assert state.state == "withheld" and state.review is not None
    assert state.review.reviewed_by_id == world.supervisor.id and state.review.reason == "Duplicate of exhibit 2."
    assert "Sue Supervisor" in state.note and "Duplicate of exhibit 2." in state.note
    history = evidence.release_reviews_of(first)
    assert [r.decision for r in history] == ["withheld", "redacted"], "the history keeps every review, newest first"
    events = [e for e in evidence.custody_log(first) if e.action == "exhibit.release_reviewed"]
    assert [e.detail["decision"] for e in events] == ["redacted", "withheld"]
    assert events[1].actor_id == world.supervisor.id and events[1].detail["reason"] == "Duplicate of exhibit 2."


def test_redacted_needs_a_redacted_copy_and_every_decision_needs_a_reason(world):
    case, first, _ = two_screenshot_case(world)
    labor = world.actor(world.labor)
    with pytest.raises(InvalidInput) as refused:
        evidence.review_for_release(case, first, "redacted", "Checked.", labor)
    assert "has no redacted copy" in refused.value.errors["decision"]
    with pytest.raises(InvalidInput) as refused:
        evidence.review_for_release(case, first, "releasable", "   ", labor)
    assert "reason" in refused.value.errors
    with pytest.raises(InvalidInput) as refused:
        evidence.review_for_release(case, first, "published", "Because.", labor)
    assert "decision" in refused.value.errors
    assert evidence.release_reviews_of(first) == []


def test_only_those_who_may_redact_review_for_release(world):
    case, first, _ = two_screenshot_case(world)
    for user in (world.investigator2, world.admin):
        with pytest.raises(NotPermitted):
            evidence.review_for_release(case, first, "releasable", "Fine.", world.actor(user))
    evidence.review_for_release(case, first, "releasable", "Shows only the post.", world.actor(world.investigator))
    assert evidence.release_state(first).state == "releasable"


def test_the_release_packet_is_refused_naming_every_exhibit_not_reviewed(world):
    case, first, second = two_screenshot_case(world)
    with pytest.raises(packets.PacketRefused) as refused:
        render(case)
    message = str(refused.value)
    assert "Exhibit 1 has not been reviewed for release" in message
    assert "Exhibit 2 has not been reviewed for release" in message


def test_the_two_screenshot_case_is_refused_until_exhibit_2_is_reviewed_as_redacted(world):
    case, first, second = two_screenshot_case(world)
    redact(world, case, first)
    evidence.review_for_release(case, first, "redacted", "Face blacked out; checked.", world.actor(world.labor))
    with pytest.raises(packets.PacketRefused) as refused:
        render(case)
    assert "Exhibit 2 has not been reviewed for release" in str(refused.value)
    assert "Exhibit 1" not in str(refused.value)

    redact(world, case, second)
    evidence.review_for_release(case, second, "redacted", "Face blacked out; checked.", world.actor(world.labor))
    pdf = render(case)
    assert rendition_of(first) not in pdf and rendition_of(second) not in pdf, "no original pixels go out"
    assert rendition_of(second) in render(case, "full"), "the full packet keeps the originals"


def test_the_two_screenshot_case_prints_once_exhibit_2_is_withheld_and_leaves_it_out(world):
    case, first, second = two_screenshot_case(world)
    redact(world, case, first)
    evidence.review_for_release(case, first, "redacted", "Face blacked out; checked.", world.actor(world.labor))
    evidence.review_for_release(case, second, "withheld", "Shows an inmate's face.", world.actor(world.labor))
    pdf = render(case)
    text = text_of(pdf)
    assert "Exhibit 2 is withheld from this release: Shows an inmate's face." in text
    assert rendition_of(second) not in pdf and rendition_of(first) not in pdf
    assert "(redacted copy)" in text.replace("\n", " ") and "Exhibit 1" in text


def test_a_releasable_exhibit_goes_out_as_it_is(world):
    case, first, second = two_screenshot_case(world)
    for exhibit in (first, second):
        evidence.review_for_release(case, exhibit, "releasable", "Shows only the post.", world.actor(world.labor))
    pdf = render(case)
    assert rendition_of(first) in pdf and rendition_of(second) in pdf


def test_a_new_redaction_sets_a_redacted_review_back_to_not_reviewed(world):
    case, first, second = two_screenshot_case(world)
    redact(world, case, first)
    evidence.review_for_release(case, first, "redacted", "Checked.", world.actor(world.labor))
    evidence.review_for_release(case, second, "releasable", "Fine.", world.actor(world.labor))
    render(case)
    redact(world, case, first, [{"x": 10, "y": 10, "w": 50, "h": 50}])
    state = evidence.release_state(first)
    assert state.state == evidence.NOT_REVIEWED and state.stale is not None
    assert "A new redacted copy was made after the review" in state.note
    with pytest.raises(packets.PacketRefused, match="Exhibit 1 has not been reviewed for release"):
        render(case)
    evidence.review_for_release(case, first, "redacted", "Checked the new copy.", world.actor(world.labor))
    assert evidence.release_state(first).state == "redacted"
    render(case)


def test_withdrawal_by_the_investigator_before_submission_leaves_both_packets(world):
    case = world.open()
    first = world.add_screenshot(case)
    second = world.add_screenshot(case, text="The same post, captured twice")
    version = case.content_version
    with pytest.raises(InvalidInput):
        evidence.withdraw_exhibit(case, second, "  ", world.actor(world.investigator))
    evidence.withdraw_exhibit(case, second, "Duplicate of exhibit 1.", world.actor(world.investigator))
    assert second.is_withdrawn and second.withdrawn_by_id == world.investigator.id
    assert second.withdrawal_reason == "Duplicate of exhibit 1." and case.content_version == version + 1
    assert evidence.release_state(second).state == evidence.WITHDRAWN
    assert [e.number for e in exhibits_of(case)] == [1, 2], "it stays in the case's record"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "exhibit.withdrawn")).one()
    assert event.object_id == str(second.id) and event in evidence.custody_log(second)
    assert EvidenceStore(evidence_dir()).read_original(second.sha256) is not None, "it stays in the store"
    with pytest.raises(CaseworkError, match="withdrawn"):
        evidence.review_for_release(case, second, "releasable", "Fine.", world.actor(world.investigator))

    subject = world.with_subject(case)
    clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
    with pytest.raises(InvalidInput, match="Exhibit 2 was withdrawn"):
        casework.frame_allegation(
            case,
            subject,
            casework.AllegationInput(f"clause:{clause.id}", "", [second.id]),
            world.actor(world.investigator),
        )
    allegation = casework.frame_allegation(
        case, subject, casework.AllegationInput(f"clause:{clause.id}", "", [first.id]), world.actor(world.investigator)
    )
    screen_speech(case, allegation, world.actor(world.investigator))
    casework.record_finding(
        case,
        allegation,
        casework.FindingInput(
            "not_sustained", "The keys cannot be read.", [first.id], element_answers(allegation, "not_sustained")
        ),
        world.actor(world.investigator),
        allegation.row_version,
    )
    casework.submit_for_review(case, world.actor(world.investigator))
    answer_just_cause(case, world.actor(world.supervisor))
    casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    evidence.review_for_release(case, first, "releasable", "Shows only the post.", world.actor(world.labor))
    for variant in ("full", "redacted"):
        pdf = render(case, variant)
        assert rendition_of(second) not in pdf and "Exhibit 2" not in text_of(pdf)
    assert len(PdfReader(io.BytesIO(render(case, "full"))).attachments) == 1


def test_who_may_withdraw_and_when(world):
    in_review = world.in_review(exhibit=True)
    exhibit = exhibits_of(in_review)[0]
    for user in (world.investigator, world.investigator2, world.labor):
        with pytest.raises(NotPermitted):
            evidence.withdraw_exhibit(in_review, exhibit, "Duplicate.", world.actor(user))
    evidence.withdraw_exhibit(in_review, exhibit, "Duplicate.", world.actor(world.supervisor))
    with pytest.raises(CaseworkError, match="already withdrawn"):
        evidence.withdraw_exhibit(in_review, exhibit, "Again.", world.actor(world.supervisor))

    closed = world.closed(exhibit=True)
    with pytest.raises(NotPermitted):
        evidence.withdraw_exhibit(closed, exhibits_of(closed)[0], "Too late.", world.actor(world.supervisor))

    discipline = world.discipline(exhibit=True)
    approval = casework.standing_approval(discipline)
    evidence.withdraw_exhibit(
        discipline, exhibits_of(discipline)[0], "Captured in error.", world.actor(world.supervisor)
    )
    assert casework.standing_approval(discipline) == approval, "a withdrawal after approval voids no approval"


def test_an_allegation_citing_a_withdrawn_exhibit_keeps_it_marked_withdrawn(world):
    case, first, second = two_screenshot_case(world)
    evidence.withdraw_exhibit(case, second, "Duplicate of exhibit 1.", world.actor(world.supervisor))
    evidence.review_for_release(case, first, "releasable", "Shows only the post.", world.actor(world.labor))
    for variant in ("full", "redacted"):
        text = text_of(render(case, variant)).replace("\n", " ")
        assert "supported by Exhibit 1, Exhibit 2 (withdrawn)" in text


def test_a_review_cannot_be_changed_or_deleted(world):
    from project.models import AppendOnlyViolation

    case, first, _ = two_screenshot_case(world)
    review = evidence.review_for_release(case, first, "withheld", "Shows an inmate.", world.actor(world.labor))
    review.decision = "releasable"
    with pytest.raises(AppendOnlyViolation, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert evidence.release_state(first).state == "withheld"


def test_a_finding_keeps_a_withdrawn_citation_but_cannot_add_one(world):
    case = world.open()
    first = world.add_screenshot(case)
    second = world.add_screenshot(case, text="Another capture")
    subject = world.with_subject(case)
    investigator = world.actor(world.investigator)
    clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
    allegation = casework.frame_allegation(
        case, subject, casework.AllegationInput(f"clause:{clause.id}", "", [first.id]), investigator
    )
    screen_speech(case, allegation, investigator)
    evidence.withdraw_exhibit(case, first, "Captured the wrong account.", investigator)
    evidence.withdraw_exhibit(case, second, "Duplicate.", investigator)
    with pytest.raises(InvalidInput, match="Exhibit 2 was withdrawn"):
        casework.record_finding(
            case,
            allegation,
            casework.FindingInput(
                "not_sustained", "Not his account.", [first.id, second.id], element_answers(allegation, "not_sustained")
            ),
            investigator,
            allegation.row_version,
        )
    casework.record_finding(
        case,
        allegation,
        casework.FindingInput(
            "not_sustained", "Not his account.", [first.id], element_answers(allegation, "not_sustained")
        ),
        investigator,
        allegation.row_version,
    )
    assert [e.number for e in allegation.exhibits] == [1] and allegation.exhibits[0].is_withdrawn

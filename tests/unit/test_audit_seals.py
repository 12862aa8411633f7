"""Notes, release reviews and modifications at review are sealed in the audit chain (issue 15, item 5,
Deliver 3): an edit or a deletion made around the application is named by ``flask audit verify`` and by
the case page's ``note_integrity``."""

from __future__ import annotations

from sqlalchemy import select, text

from project.extensions import db
from project.models import AuditEvent, ExhibitReleaseReview
from project.services import casework, discipline
from project.services.audit import note_integrity, verify_chain


def _noted(world):
    case = world.open()
    actor = world.actor(world.investigator)
    first = casework.add_note(case, "action", "Requested the platform's records.", actor)
    second = casework.add_note(case, "interview", "Interviewed the officer.", actor)
    return case, first, second


def test_each_note_is_sealed_in_the_audit_event_that_records_it(world):
    case, first, _second = _noted(world)
    added = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "note.added", AuditEvent.object_id == str(first.id))
    ).one()
    assert [(seal["record"], seal["id"], seal["case"]) for seal in added.seals] == [("note", first.id, case.id)]
    assert set(added.seals[0]["fields"]) >= {"body", "kind", "author_id", "created_at", "case_id"}
    assert verify_chain().intact
    assert note_integrity(case).intact


def test_a_note_edited_in_the_database_is_named(world, runner):
    case, first, second = _noted(world)
    db.session.execute(text("UPDATE notes SET body = 'Requested nothing.' WHERE id = :id"), {"id": first.id})
    db.session.expire_all()
    expected = f"note {first.id} of {case.number}: body changed since it was written"
    assert verify_chain().problems == [expected]
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0 and expected in result.output
    integrity = note_integrity(case)
    assert not integrity.intact
    assert integrity.altered == {first.id: "body changed since it was written"}
    assert second.id not in integrity.altered and integrity.deleted == []


def test_a_note_deleted_in_the_database_is_named(world, runner):
    case, first, _second = _noted(world)
    note_id, number = first.id, case.number
    db.session.execute(text("DELETE FROM notes WHERE id = :id"), {"id": note_id})
    db.session.expire_all()
    expected = f"note {note_id} of {number}: deleted since it was written"
    assert verify_chain().problems == [expected]
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0 and expected in result.output
    assert note_integrity(case).deleted == [note_id]


def test_a_note_inserted_in_the_database_is_named_and_can_be_sealed_once(world, runner):
    case, first, _second = _noted(world)
    db.session.execute(
        text(
            "INSERT INTO notes (case_id, kind, body, author_id, created_at) "
            "SELECT case_id, kind, 'Typed in later.', author_id, created_at FROM notes WHERE id = :id"
        ),
        {"id": first.id},
    )
    inserted = db.session.scalar(text("SELECT max(id) FROM notes"))
    db.session.expire_all()
    problem = verify_chain().problems
    assert problem == [
        f"note {inserted} of {case.number}: not sealed in the audit chain (written outside the application, "
        "or before sealing began: see `flask audit seal-existing`)"
    ]
    assert note_integrity(case).unsealed == [inserted]
    sealed = runner.invoke(args=["audit", "seal-existing"])
    assert sealed.exit_code == 0 and "Sealed 1 record(s)" in sealed.output
    db.session.expire_all()
    assert verify_chain().intact and note_integrity(case).intact
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "record.sealed")).one()
    assert event.case_id == case.id and event.seals[0]["id"] == inserted


def test_a_release_review_edited_in_the_database_is_named(world):
    case = world.open()
    world.add_screenshot(case)
    world.reviewed_for_release(case)
    review = db.session.scalars(select(ExhibitReleaseReview)).one()
    db.session.execute(
        text("UPDATE exhibit_release_reviews SET decision = 'withheld', reason = 'x' WHERE id = :id"),
        {"id": review.id},
    )
    db.session.expire_all()
    assert verify_chain().problems == [
        f"release review {review.id} of {case.number}: decision, reason changed since it was written"
    ]


def test_an_edited_seal_breaks_the_chain_itself(world):
    case, first, _second = _noted(world)
    added = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "note.added", AuditEvent.object_id == str(first.id))
    ).one()
    db.session.execute(
        text("UPDATE notes SET body = 'Requested nothing.' WHERE id = :id"),
        {"id": first.id},
    )
    forged = [dict(added.seals[0], fields={**added.seals[0]["fields"], "body": "0" * 64})]
    db.session.execute(AuditEvent.__table__.update().where(AuditEvent.__table__.c.id == added.id).values(seals=forged))
    db.session.expire_all()
    problems = verify_chain().problems
    assert problems[0].startswith(f"audit row {added.chain_seq} (id {added.id}) was altered")
    assert case.number


def test_a_modification_at_review_is_sealed_and_outlives_its_withdrawn_proposal(world, frozen_clock):
    case = world.proposed()
    casework.submit_for_review(case, world.actor(world.investigator), "Interviewed; he admits the post.")
    subject = case.subjects[0]
    modification = discipline.modify_proposal_at_review(
        case, subject, discipline.ProposalInput("suspension", 3, "Posted twice."), world.actor(world.supervisor)
    )
    casework.return_to_investigator(case, world.actor(world.supervisor), "Check the finding again.")
    proposal = casework.proposal_of(subject)
    discipline.withdraw_proposal(case, subject, world.actor(world.investigator), proposal.row_version)
    db.session.expire_all()
    assert verify_chain().intact  # the database set proposal_id to NULL: not an edit
    modification_id, number = modification.id, case.number
    db.session.execute(
        text("UPDATE proposal_modifications SET suspension_days = 1 WHERE id = :id"), {"id": modification_id}
    )
    db.session.expire_all()
    assert verify_chain().problems == [
        f"discipline modification {modification_id} of {number}: suspension_days changed since it was written"
    ]

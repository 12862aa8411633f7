"""The audit trail is a hash chain: ASVS 4.0.3 V7.3.3 (logs protected from modification), V7.3.4."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, func, select, text, update

from project.extensions import db
from project.models import AppendOnlyAudit, AppendOnlyViolation, AuditEvent, Note
from project.services import accounts, casework
from project.services.audit import record, verify_chain


def test_every_row_is_chained_and_the_chain_verifies(world, runner):
    case = world.in_review()
    notes_count = db.session.scalars(select(AuditEvent)).all()
    assert notes_count and all(row.row_hash and row.chain_seq for row in notes_count)
    seqs = sorted(row.chain_seq for row in notes_count)
    assert seqs == list(range(1, len(seqs) + 1))
    report = verify_chain()
    assert report.intact and report.rows == len(seqs)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and f"{len(seqs)} rows chained" in result.output
    assert case.number


def test_an_altered_row_is_reported_with_its_place(world, runner):
    world.open()
    victim = db.session.scalars(select(AuditEvent).order_by(AuditEvent.chain_seq)).all()[2]
    with db.engine.begin() as connection:  # around the application, as someone at the database would
        connection.execute(
            update(AuditEvent.__table__)
            .where(AuditEvent.__table__.c.id == victim.id)
            .values(detail={"reason": "nothing to see"})
        )
    db.session.rollback()  # end the session's read snapshot so it sees the change
    report = verify_chain()
    assert report.problems[0].startswith(f"audit row {victim.chain_seq} (id {victim.id}) was altered")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0 and f"audit row {victim.chain_seq}" in result.output


def test_a_deleted_row_is_reported_as_missing(world):
    world.open()
    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.chain_seq)).all()
    row_id, seq = rows[3].id, rows[3].chain_seq
    db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": row_id})
    db.session.commit()
    assert verify_chain().problems[0] == f"audit rows {seq} to {seq} of the chain are missing"


def test_a_row_deleted_at_the_end_is_reported_too(world):
    world.open()
    last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.chain_seq.desc())).first()
    row_id, seq = last.id, last.chain_seq
    db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": row_id})
    db.session.commit()
    assert verify_chain().problems == [f"audit rows {seq} to {seq} at the end of the chain are missing"]


def test_asvs_7_3_3_audit_rows_and_notes_cannot_be_changed_and_each_attempt_is_audited(world):
    case = world.open()
    note = casework.add_note(case, "action", "Requested records.", world.actor(world.investigator))
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    row = db.session.scalars(select(AuditEvent)).first()
    row.action = "nothing.happened"
    with pytest.raises(AppendOnlyAudit):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(AuditEvent)).first())
    with pytest.raises(AppendOnlyAudit):
        db.session.commit()
    db.session.rollback()
    db.session.get(Note, note.id).body = "Requested nothing."
    with pytest.raises(AppendOnlyViolation):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AppendOnlyViolation):  # a bulk statement skips the per-object events: refused too
        db.session.execute(delete(Note).where(Note.case_id == case.id))
    db.session.rollback()

    assert db.session.get(Note, note.id).body == "Requested records."
    refused = list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "record.change_refused").order_by(AuditEvent.id)
        )
    )
    assert [(r.object_type, r.detail["change"]) for r in refused] == [
        ("audit_event", "update"),
        ("audit_event", "delete"),
        ("note", "update"),
        ("note", "bulk_delete"),
    ]
    assert refused[2].object_id == str(note.id) and refused[2].detail["code"]  # which code tried it
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before + 4
    assert verify_chain().intact


@pytest.mark.commits  # threads, each on a connection of its own
def test_concurrent_writers_append_one_after_the_other(app, users):
    users.make("admin", email="a@example.test")
    errors: list[BaseException] = []

    def write(n: int) -> None:
        with app.app_context():
            try:
                for i in range(5):
                    record("test.concurrent", detail={"writer": n, "i": i})
                    db.session.commit()
            except BaseException as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify_chain()
    assert report.intact and report.rows == 21  # the user's creation and 4 x 5 events


def test_a_rolled_back_transaction_leaves_no_gap(world):
    case = world.open()
    before = verify_chain().rows
    record("test.discarded", case_id=case.id)
    db.session.flush()
    db.session.rollback()
    accounts.find_user(world.admin.email)
    record("test.kept", case_id=case.id)
    db.session.commit()
    report = verify_chain()
    assert report.intact and report.rows == before + 1

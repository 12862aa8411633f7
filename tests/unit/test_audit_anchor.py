"""The audit chain anchored outside the database (issue 15, F13, Deliver 4): checkpoints of the chain's
head, signed with a key the database does not hold, appended to a file of their own."""

from __future__ import annotations

import json
import stat

import pytest
from sqlalchemy import select, text

from project.extensions import db
from project.models import AuditEvent
from project.services.audit import GENESIS, row_hash, verify_chain

KEY = "k" * 16 + "an-agency-key-kept-apart-from-the-db"


@pytest.fixture()
def anchored(app, tmp_path):
    app.config["AUDIT_CHECKPOINT_KEY"] = KEY
    app.config["AUDIT_CHECKPOINT_FILE"] = str(tmp_path / "anchor" / "checkpoints.jsonl")
    return tmp_path / "anchor" / "checkpoints.jsonl"


def _last_rows(count: int) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.chain_seq.desc()).limit(count)))


def test_without_a_key_verify_says_the_anchor_is_off_and_passes(world, runner, app):
    world.open()
    assert not app.config.get("AUDIT_CHECKPOINT_KEY") and not app.config.get("AUDIT_CHECKPOINT_KEY_FILE")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "Checkpoint anchor off: no AUDIT_CHECKPOINT_KEY or AUDIT_CHECKPOINT_KEY_FILE is set." in result.output
    refused = runner.invoke(args=["audit", "checkpoint"])
    assert refused.exit_code != 0 and "AUDIT_CHECKPOINT_KEY" in refused.output


def test_a_checkpoint_is_signed_appended_owner_only_and_verified(world, runner, anchored):
    world.open()
    first = runner.invoke(args=["audit", "checkpoint"])
    assert first.exit_code == 0, first.output
    world.open()
    second = runner.invoke(args=["audit", "checkpoint"])
    assert second.exit_code == 0, second.output
    lines = [json.loads(line) for line in anchored.read_text().splitlines()]
    assert len(lines) == 2 and lines[0]["seq"] < lines[1]["seq"] and lines[1]["prev"] == lines[0]["mac"]
    assert stat.S_IMODE(anchored.stat().st_mode) == 0o600
    assert KEY not in anchored.read_text()
    db.session.expire_all()
    row = db.session.scalars(select(AuditEvent).where(AuditEvent.chain_seq == lines[1]["seq"])).one()
    assert row.row_hash == lines[1]["hash"]
    checkpoints = select(AuditEvent).where(AuditEvent.action == "audit.checkpoint_written")
    written = db.session.scalars(checkpoints.order_by(AuditEvent.id)).all()
    assert [event.detail["seq"] for event in written] == [lines[0]["seq"], lines[1]["seq"]]
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"matches the signed checkpoint of row {lines[1]['seq']}" in result.output


def test_f13_a_cut_tail_with_the_head_reset_is_detected(world, runner, anchored):
    world.open()
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    db.session.expire_all()
    checkpoint_seq = json.loads(anchored.read_text().splitlines()[-1])["seq"]
    cut = _last_rows(4)
    keep = cut[-1]  # the rows after it go, and the head is set back to it, as in the penetration test
    for row in cut[:-1]:
        db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": row.id})
    db.session.execute(
        text("UPDATE audit_chain_head SET last_seq = :seq, last_hash = :hash"),
        {"seq": keep.chain_seq, "hash": keep.row_hash},
    )
    db.session.expire_all()
    assert verify_chain().intact  # the chain alone cannot tell
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0
    assert f"the chain ends at row {keep.chain_seq} but the signed checkpoint of row {checkpoint_seq}" in result.output


def test_f13_a_rewritten_history_is_detected(world, runner, anchored):
    world.open()
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    db.session.expire_all()
    checkpoint_seq = json.loads(anchored.read_text().splitlines()[-1])["seq"]
    rows = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.chain_seq)))
    table = AuditEvent.__table__
    db.session.execute(table.update().where(table.c.id == rows[1].id).values(detail={"reason": "nothing"}))
    db.session.expire_all()
    prev = GENESIS
    for row in db.session.scalars(select(AuditEvent).order_by(AuditEvent.chain_seq)):  # re-hash it all
        digest = row_hash(row, row.chain_seq, prev)
        db.session.execute(table.update().where(table.c.id == row.id).values(prev_hash=prev, row_hash=digest))
        prev = digest
    db.session.execute(text("UPDATE audit_chain_head SET last_hash = :hash"), {"hash": prev})
    db.session.expire_all()
    assert verify_chain().intact  # consistent with itself
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0
    assert f"audit row {checkpoint_seq} does not match the signed checkpoint" in result.output


def test_an_altered_checkpoint_line_does_not_verify(world, runner, anchored):
    world.open()
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    line = json.loads(anchored.read_text())
    anchored.write_text(json.dumps(dict(line, seq=line["seq"] - 1)) + "\n")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0
    assert "checkpoint 1 of" in result.output and "does not verify with the configured key" in result.output


def test_the_key_may_come_from_a_file_and_must_be_long(world, runner, app, anchored, tmp_path):
    world.open()
    app.config.pop("AUDIT_CHECKPOINT_KEY")
    key_file = tmp_path / "key"
    key_file.write_text("short\n")
    app.config["AUDIT_CHECKPOINT_KEY_FILE"] = str(key_file)
    refused = runner.invoke(args=["audit", "checkpoint"])
    assert refused.exit_code != 0 and "at least 32" in refused.output
    key_file.write_text(KEY + "\n")
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    app.config["AUDIT_CHECKPOINT_KEY_FILE"] = str(tmp_path / "another")
    (tmp_path / "another").write_text("x" * 40)
    other = runner.invoke(args=["audit", "verify"])
    assert other.exit_code != 0 and "does not verify with the configured key" in other.output


def test_with_a_key_and_no_checkpoint_yet_verify_passes_and_says_so(world, runner, anchored):
    world.open()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "no checkpoint written yet" in result.output

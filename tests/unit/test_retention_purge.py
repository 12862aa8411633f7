"""Purging the evidence of closed cases (issue 18, item 5): a rule as data with its source, a review that lists
the purges due, a run that deletes each exhibit's files (the original and every copy made from it, and the case's
packets) only after its commit, keeps a case on legal hold, leaves a shared original to the case that still holds
it, and retries a file it could not delete; the rows stay, marked purged, and the audit chain verifies after.
The cases are closed on 2026-03-02 (the ``frozen_clock``); the rule's three years end on 2029-03-02."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, DerivedFile, Exhibit, PacketJob, PacketPrint
from project.services import casework, evidence, packets, records
from project.services.audit import verify_chain
from project.services.errors import CaseworkError
from project.services.evidence import EvidenceStore
from project.transaction import committing

DUE = date(2029, 3, 2)
PRINTED = evidence.sha256_of(b"%PDF printed")  # a packet printed for the case: its copy and its cached PDF
PURGE_DAY = datetime(2029, 3, 2, 15, 0, tzinfo=UTC)


def actions(name: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == name).order_by(AuditEvent.id)))


def evidence_dir() -> str:
    return current_app.config["EVIDENCE_DIR"]


def closed_case_with_files(world, text: str):
    """A case closed with no allegation sustained, whose Exhibit 1 is the screenshot every world case shares
    and Exhibit 2 its own (``text``), with a thumbnail and a print rendition of Exhibit 2 and a cached and a
    printed packet recorded for the case. Returns the case, its exhibits and every file that must go."""
    case = world.ready_for_review(exhibit=True)
    own = world.add_screenshot(case, text)
    casework.submit_for_review(case, world.actor(world.investigator))
    casework.close_without_discipline(case, world.actor(world.supervisor), "No violation found.")
    root = Path(evidence_dir())
    data = evidence.open_original(own, evidence_dir())
    evidence.image_rendition(evidence_dir(), own.sha256, data)
    evidence.view_thumbnail(case, own, world.actor(world.supervisor), evidence_dir())
    printed = PacketPrint(
        case_id=case.id,
        variant="full",
        content_version=case.content_version,
        sha256=PRINTED,
        size_bytes=10,
        page_count=1,
        printed_at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC),
    )
    files = evidence.DerivedFiles(evidence_dir())
    files.write("packet", root / "packets" / f"{'cd' * 32}.pdf", b"%PDF cached", "cd" * 32)
    with committing("the test's printing"):  # a cached packet is found by the SHA-256 of a printing of the case
        db.session.add(printed)
        db.session.scalars(select(DerivedFile).where(DerivedFile.kind == "packet")).one().sha256 = PRINTED
    printed_copy = root / "packets" / "printed" / f"{PRINTED}.pdf"
    evidence.write_atomically(printed_copy, b"%PDF printed")
    owned = [
        EvidenceStore(root).original_path(own.sha256),
        EvidenceStore(root).thumbnail_path(own.sha256),
        evidence.rendition_path(evidence_dir(), own.sha256),
        root / "packets" / f"{'cd' * 32}.pdf",
        printed_copy,
    ]
    assert all(path.is_file() for path in owned)
    return case, evidence.exhibits_of(case), owned


def test_the_purge_rule_is_data_with_its_source():
    rule = {r.code: r for r in records.retention_rules()}["evidence_not_sustained"]
    assert (rule.record_type, rule.outcome, rule.months, rule.action) == (
        "case_evidence",
        "no_finding_sustained",
        36,
        "purge",
    )
    assert rule.source_label.startswith("not yet cited: department setting (Labor Relations")


def test_a_run_purges_what_is_due_and_nothing_else(world, frozen_clock):
    case, (shared, own), owned = closed_case_with_files(world, "Due for purging")
    frozen_clock.current = datetime(2027, 3, 2, 15, 0, tzinfo=UTC)
    later = world.closed(exhibit=True)  # closed a year later: not due in 2029; holds the shared screenshot
    still_open = world.open(exhibit=True)
    frozen_clock.current = PURGE_DAY
    assert records.due_purges(date(2029, 3, 1)) == []

    [item] = records.due_purges(DUE)
    assert (item.case.id, item.due_on, item.held) == (case.id, DUE, False)
    assert records.retention_figures(DUE, world.supervisor).purges_due == 1
    review = records.review_retention(DUE)
    assert review == [] and actions("retention.reviewed")[-1].detail["purge_due"] == [case.id]
    assert own.purged_at is None and all(path.is_file() for path in owned), "a review changes nothing"

    run = records.apply_retention(DUE, evidence_dir=evidence_dir())
    assert [i.case.id for i in run.purged] == [case.id] and run.files.failed == []
    db.session.expire_all()
    assert [(e.purged_at, e.purge_rule) for e in (shared, own)] == [(PURGE_DAY, "evidence_not_sustained")] * 2
    assert own.sha256 and own.size_bytes > 0 and own.files_removed_at == PURGE_DAY, "the row says what existed"
    assert not any(path.exists() for path in owned)
    kept = EvidenceStore(evidence_dir()).original_path(shared.sha256)
    assert kept.is_file(), "the screenshot another case still holds stays"
    for other in (later, still_open):
        assert [e.purged_at for e in evidence.exhibits_of(other)] == [None]
    assert db.session.scalars(select(DerivedFile).where(DerivedFile.source_sha256 == own.sha256)).all() == []
    assert [e.object_id for e in actions("exhibit.purged")] == [str(shared.id), str(own.id)]
    [applied] = actions("retention.applied")
    assert applied.detail["purged"] == [case.id] and applied.detail["purged_exhibits"] == [shared.id, own.id]
    assert verify_chain().intact
    assert evidence.verify_store(evidence_dir()).problems == []
    assert records.apply_retention(DUE, evidence_dir=evidence_dir()).purged == [], "a second run finds nothing"
    assert records.retention_figures(DUE, world.supervisor).purges_due == 0


def test_a_printed_packet_of_a_purged_case_says_it_was_purged(world, frozen_clock):
    case, _exhibits, owned = closed_case_with_files(world, "Printed before the purge")
    printing = db.session.scalars(select(PacketPrint).where(PacketPrint.case_id == case.id)).one()
    job = PacketJob(
        id="0" * 32,
        case_id=case.id,
        requested_by_id=world.supervisor.id,
        variant="full",
        status="done",
        packet_print=printing,
        created_at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC),
    )
    db.session.add(job)
    assert packets.job_pdf(job, evidence_dir()) == b"%PDF printed"
    frozen_clock.current = PURGE_DAY
    records.apply_retention(DUE, evidence_dir=evidence_dir())
    with pytest.raises(CaseworkError, match="deleted with the case's evidence: Purged on 2029-03-02 under evidence_"):
        packets.job_pdf(job, evidence_dir())
    assert not owned[-1].exists()


def test_a_case_on_legal_hold_keeps_its_evidence_and_is_named_in_the_run(world, frozen_clock):
    case, exhibits, owned = closed_case_with_files(world, "Held for litigation")
    records.place_hold(case, "Doe v. DOC.", world.actor(world.supervisor))
    frozen_clock.current = PURGE_DAY
    run = records.apply_retention(DUE, evidence_dir=evidence_dir())
    assert run.purged == [] and [i.case.id for i in run.purges_held] == [case.id]
    assert [e.purged_at for e in exhibits] == [None, None] and all(path.is_file() for path in owned)
    [applied] = actions("retention.applied")
    assert applied.detail["purge_held"] == [{"case": case.number, "legal_hold": records.active_hold(case.id).id}]
    assert actions("exhibit.purged") == []


def test_a_fault_committing_the_purge_leaves_every_row_and_file_as_it_was(world, frozen_clock, monkeypatch):
    case, exhibits, owned = closed_case_with_files(world, "Fault at commit")
    frozen_clock.current = PURGE_DAY

    def fail(*_args, **_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("project.services.audit.chain.row_hash", fail)
    with pytest.raises(RuntimeError, match="went away"):
        records.apply_retention(DUE, evidence_dir=evidence_dir())
    monkeypatch.undo()
    stored = db.session.execute(select(Exhibit.purged_at).where(Exhibit.case_id == case.id)).scalars().all()
    assert stored == [None, None] and all(path.is_file() for path in owned)
    assert actions("exhibit.purged") == []
    assert [i.case.id for i in records.apply_retention(DUE, evidence_dir=evidence_dir()).purged] == [case.id]
    assert [p.name for p in owned if p.exists()] == [] and verify_chain().intact


def test_a_file_that_cannot_be_deleted_is_reported_and_deleted_by_the_next_run(world, frozen_clock, monkeypatch):
    case, (_shared, own), owned = closed_case_with_files(world, "Stuck file")
    frozen_clock.current = PURGE_DAY
    stuck = owned[0]
    real_unlink = Path.unlink

    def unlink(path: Path, missing_ok: bool = False) -> None:
        if path == stuck:
            raise PermissionError(13, "Permission denied", str(path))
        real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    run = records.apply_retention(DUE, evidence_dir=evidence_dir())
    assert [i.case.id for i in run.purged] == [case.id]
    assert [line.split(":")[0] for line in run.files.failed] == [stuck.relative_to(evidence_dir()).as_posix()]
    db.session.expire_all()
    assert own.purged_at == PURGE_DAY and own.files_removed_at is None and stuck.is_file()
    [pending] = actions("retention.purge_files_pending")
    assert pending.detail["exhibits"] == [own.id] and "Permission denied" in pending.detail["failed"][0]
    problems = evidence.verify_store(evidence_dir()).problems
    assert len(problems) == 1 and "purged on 2029-03-02" in problems[0] and "awaits deletion" in problems[0]
    monkeypatch.undo()

    again = records.apply_retention(date(2029, 3, 3), evidence_dir=evidence_dir())
    assert again.purged == [] and again.files.failed == [] and not stuck.exists()
    db.session.expire_all()
    assert own.files_removed_at is not None
    assert evidence.verify_store(evidence_dir()).problems == [] and verify_chain().intact


def test_the_last_closing_day_due_is_exact_at_every_month_end():
    """The purge's SQL bound: every closing day up to it is due by ``today``, and the day after it is not."""
    [rule] = [r for r in records.retention_rules() if r.record_type == "case_evidence"]
    for today in (date(2028, 2, 29), date(2028, 3, 1), date(2027, 2, 28), date(2028, 5, 31), date(2028, 12, 31)):
        last = records.last_day_due(rule, today)
        assert rule.due_on(last) <= today < rule.due_on(last + timedelta(days=1)), today


def test_with_two_purge_rules_each_finds_the_cases_its_own_period_makes_due(world, frozen_clock):
    """The rules are read in turn; each compares the closing day with its own period's cutoff (a second rule
    once met a query whose closing day had been replaced by the first rule's last answer)."""
    case, _exhibits, _owned = closed_case_with_files(world, "Due under the shorter rule")
    three_years = {r.code: r for r in records.retention_rules()}["evidence_not_sustained"]
    one_year = dataclasses.replace(three_years, code="evidence_one_year", months=12)
    frozen_clock.current = datetime(2027, 3, 3, 15, 0, tzinfo=UTC)
    found = records.due_purges(date(2027, 3, 2), rules=(three_years, one_year))
    assert [(item.case.id, item.rule.code, item.due_on) for item in found] == [
        (case.id, "evidence_one_year", date(2027, 3, 2))
    ]
    found = records.due_purges(date(2027, 3, 2), rules=(one_year, three_years))
    assert [(item.case.id, item.rule.code) for item in found] == [(case.id, "evidence_one_year")]

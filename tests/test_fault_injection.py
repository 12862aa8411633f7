"""Fault injection on the real databases (SQLite and PostgreSQL, nothing mocked but the one failing step): an
exception, or a killed process, at a precise point of a use case. After each, the person's data is as it
was: no orphan row, no orphan file (or one that ``flask evidence verify`` reports and ``flask evidence gc``
removes), the case in its prior state, the audit chain intact, and doing it again works.

Faults injected: 12.
  uploads (here)                    1 after the file is written, before the row
                                    2 the process killed at that same moment (a power cut)
                                    3 at commit, while the custody event is chained (it shares the transaction)
                                    4 after commit, making the print rendition (the upload stands)
                                    5 at commit of a view's custody event (no byte leaves without it)
  casework (test_fault_injection_casework.py)
                                    6 mid-transition, after the state changed, before its audit event
                                    7 at commit of an approval (review, transition and audit event together)
                                    8 part-way through the rows of a roster import
                                    9 at commit of a roster import
                                   10 WeasyPrint raising while a packet is rendered
                                   11 a full disk keeping the rendered packet, before its printing is recorded
                                   12 the worker dying just after the printing's commit (the retry prints nothing)
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from project import clock
from project.extensions import db
from project.models import AuditEvent, Case, Exhibit
from project.services import casework, evidence, packets
from tests.apps import app_environ
from tests.factories import answer_just_cause


class Fault(RuntimeError):
    """The injected failure."""


def fail(*args, **kwargs):
    raise Fault("injected fault")


# What the tests look at --------------------------------------------------------------------------------


def png_bytes(color: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(out, "PNG")
    return out.getvalue()


def stored_files(app) -> list[str]:
    root = Path(app.config["EVIDENCE_DIR"])
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name != ".lock")


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def events(action: str) -> int:
    return count(AuditEvent, AuditEvent.action == action)


def case_as_stored(case_id: int) -> tuple[str, int]:
    """The case's state and content version as the database holds them (not as this session remembers)."""
    with db.engine.connect() as connection:
        row = connection.execute(select(Case.state, Case.content_version).where(Case.id == case_id)).one()
    return row.state, row.content_version


def cli(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def assert_store_and_audit_intact(app) -> None:
    verified = cli(app, "evidence", "verify")
    assert verified.exit_code == 0, verified.output
    audited = cli(app, "audit", "verify")
    assert audited.exit_code == 0 and "Audit trail intact" in audited.output, audited.output


def upload(app, world, case: Case, data: bytes) -> Exhibit:
    config = app.config
    return evidence.add_exhibit(
        case,
        evidence.ExhibitInput(
            data, "capture.png", "The post", None, clock.now() - timedelta(hours=1), "Ivy Investigator", "Snipping tool"
        ),
        world.actor(world.investigator),
        evidence.EvidenceSettings(config["EVIDENCE_DIR"], config["EVIDENCE_MAX_BYTES"], config["EVIDENCE_MAX_PIXELS"]),
    )


# 1-2: after the file is written, before the row is committed ------------------------------------------------


def test_a_fault_after_the_file_is_written_leaves_neither_file_nor_row(app, world, monkeypatch):
    """Fault 1 (moved here from tests/unit/test_evidence.py): ``record_for`` runs after the original and its
    thumbnail are written and before the commit; the upload removes what it wrote and
    rolls back. ASVS 1.11.3 (the upload is all or nothing), 12.1.1 (a failed upload keeps no storage)."""
    case = world.open()
    version = case_as_stored(case.id)
    on_disk_at_the_fault: list[list[str]] = []

    def fault_after_the_write(*args, **kwargs):
        on_disk_at_the_fault.append(stored_files(app))
        raise Fault("injected fault")

    monkeypatch.setattr("project.services.evidence.exhibits.record_for", fault_after_the_write)
    with pytest.raises(Fault):
        upload(app, world, case, png_bytes())
    # the original and its thumbnail were written (the thumbnail before the commit, so its hash commits with the
    # row; the print rendition is a job after the commit)
    assert [len(files) for files in on_disk_at_the_fault] == [2]
    assert stored_files(app) == [] and count(Exhibit) == 0 and events("exhibit.uploaded") == 0
    assert case_as_stored(case.id) == version
    assert_store_and_audit_intact(app)
    monkeypatch.undo()
    assert upload(app, world, db.session.get(Case, case.id), png_bytes()).number == 1


POWER_CUT = textwrap.dedent("""
    import os, sys
    from datetime import timedelta
    from project import clock, create_app
    from project.extensions import db
    from project.models import Case, User
    from project.services import evidence
    from project.services.audit import Actor
    from project.services.evidence import exhibits

    app = create_app()
    with app.app_context():
        case, user = db.session.get(Case, int(sys.argv[1])), db.session.get(User, int(sys.argv[2]))
        exhibits.record_for = lambda *args, **kwargs: os._exit(137)  # the power goes: no cleanup, no rollback
        upload = evidence.ExhibitInput(sys.stdin.buffer.read(), "capture.png", "The post", None,
                                       clock.now() - timedelta(hours=1), "Ivy", "Snipping tool")
        evidence.add_exhibit(case, upload, Actor(user), evidence.EvidenceSettings(app.config["EVIDENCE_DIR"],
                                                                                  10**8, 10**8))
""")


@pytest.mark.commits  # the upload is cut short in a process of its own, which must see the case
def test_a_power_cut_after_the_file_is_written_leaves_an_orphan_that_verify_reports_and_gc_removes(
    app, world, migrated_database
):
    """Fault 2: a real process, killed where fault 1 was raised. No handler runs, so the files stay; the
    transaction dies with the connection. ``verify`` names every orphan (derived files included), ``gc``
    removes them all, and the same file can be uploaded again. ASVS 12.1, 8.3.8 (nothing kept that should go)."""
    case = world.open()
    case_id, version = case.id, case_as_stored(case.id)
    data = png_bytes()
    data_sha = evidence.sha256_of(data)
    db.session.commit()
    environ = os.environ | app_environ(migrated_database, Path(app.instance_path))
    crashed = subprocess.run(
        [sys.executable, "-c", POWER_CUT, str(case_id), str(world.investigator.id)],
        input=data,
        env=environ,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert crashed.returncode == 137, crashed.stderr.decode()
    orphans = stored_files(app)
    # the original and its thumbnail, written before the commit that never came (no print rendition: its job
    # is asked for after the commit)
    assert [name.split("/")[0:2] for name in orphans] == [
        ["derived", "thumbs"],
        ["originals", data_sha[:2]],
    ]
    assert count(Exhibit) == 0 and events("exhibit.uploaded") == 0 and case_as_stored(case_id) == version
    verified = cli(app, "evidence", "verify")
    assert verified.exit_code != 0 and "2 problem(s)" in verified.output
    assert all(f"{name} belongs to no exhibit" in verified.output for name in orphans)
    collected = cli(app, "evidence", "gc")
    assert collected.exit_code == 0 and "2 file(s) removed." in collected.output
    assert stored_files(app) == []
    assert_store_and_audit_intact(app)
    assert upload(app, world, db.session.get(Case, case_id), data).number == 1


# 3-5: the custody event, written in the same transaction as the row it records --------------------------


def test_a_fault_chaining_the_uploads_custody_event_at_commit_leaves_neither(app, world, monkeypatch):
    """Fault 3: the ``exhibit.uploaded`` event is committed with the exhibit row, so "after the row, before the
    custody event" is the commit itself; it fails while chaining that event. ASVS 7.3.3, 1.11.3."""
    case = world.open()
    version = case_as_stored(case.id)
    chaining: list[str] = []

    def fault_chaining_the_event(row, seq, prev):
        chaining.append(row.action)
        raise Fault("injected fault")

    monkeypatch.setattr("project.services.audit.chain.row_hash", fault_chaining_the_event)
    with pytest.raises(Fault):
        upload(app, world, case, png_bytes())
    monkeypatch.undo()
    assert chaining == ["exhibit.uploaded"]  # the first (and only) event of the transaction: the custody event
    assert stored_files(app) == [] and count(Exhibit) == 0 and events("exhibit.uploaded") == 0
    assert case_as_stored(case.id) == version
    assert_store_and_audit_intact(app)
    assert upload(app, world, db.session.get(Case, case.id), png_bytes()).number == 1


def test_a_fault_making_the_print_rendition_leaves_the_upload_whole(app, world, monkeypatch):
    """Fault 4: the print rendition is a job after the upload's commit (in the same request without a queue); a
    failure there is logged, the exhibit and its custody event stand, and the first packet makes the rendition.
    ASVS 7.4.2 (an expected failure of a derived file is handled where it happens, not turned into a failed
    upload)."""
    case = world.ready_for_review()
    monkeypatch.setattr("project.services.evidence.renditions._jpeg", fail)
    exhibit = upload(app, world, case, png_bytes())
    monkeypatch.undo()
    assert count(Exhibit) == 1 and [e.action for e in evidence.custody_log(exhibit)] == ["exhibit.uploaded"]
    assert not any(name.startswith("derived/print/") for name in stored_files(app))
    assert_store_and_audit_intact(app)
    casework.submit_for_review(case, world.actor(world.investigator))
    answer_just_cause(case, world.actor(world.supervisor))
    casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    printing, pdf = packets.print_packet(
        case,
        packets.PacketOrder("full", None),
        world.actor(world.supervisor),  # the internal packet names the reporter: labor relations may not print it
        packets.PrintSettings(app.config["EVIDENCE_DIR"], "DOC-"),
    )
    assert pdf.startswith(b"%PDF-") and printing.page_count > 1
    assert f"derived/print/{evidence.RENDITION_VERSION}/{exhibit.sha256}.jpg" in stored_files(app)


def test_a_fault_committing_a_views_custody_event_releases_no_bytes(app, world, monkeypatch, sign_in):
    """Fault 5: the view's custody event cannot be committed; the person gets the plain error page and not
    one byte of the exhibit, and no view is recorded. ASVS 7.4.1, 7.1.3 (evidence access is always logged)."""
    case = world.open()
    data = png_bytes()
    upload(app, world, case, data)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error page, not the exception
    client = app.test_client()
    sign_in(client, "sup@example.test")
    monkeypatch.setattr("project.services.audit.chain.row_hash", fail)
    for route in ("original", "download", "thumbnail"):
        response = client.get(f"/cases/{case.number}/exhibits/1/{route}")
        assert response.status_code == 500 and response.mimetype == "text/html"
        assert data not in response.data and b"\x89PNG" not in response.data and b"Fault" not in response.data
    monkeypatch.undo()
    assert events("exhibit.viewed") == events("exhibit.downloaded") == events("exhibit.thumbnail_viewed") == 0
    assert_store_and_audit_intact(app)
    retried = client.get(f"/cases/{case.number}/exhibits/1/original")
    assert retried.status_code == 200 and retried.data == data and events("exhibit.viewed") == 1

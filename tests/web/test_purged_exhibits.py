"""A purged exhibit wherever its file was read (issue 18, item 5): the case page and the exhibit page say when
and under which rule it was purged instead of offering the file, every route of the file says so (never a 500),
the packet prints the exhibit's entry as purged, and ``evidence verify``, ``audit verify`` and a backup pass
after the run. The case is closed on 2026-03-02 (the ``frozen_clock``); the purge runs on 2029-03-02."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from flask import current_app
from pypdf import PdfReader
from sqlalchemy import select

from project import create_app
from project.extensions import db
from project.models import Exhibit
from project.services import evidence, packets
from tests.apps import app_environ
from tests.factories import PASSWORD
from tests.transactions import empty_all_tables

PURGE_DAY = datetime(2029, 3, 2, 15, 0, tzinfo=UTC)
PURGED = "Purged on 2029-03-02 under evidence_not_sustained"


def purged_case(world, frozen_clock, runner):
    case = world.closed(exhibit=True)
    frozen_clock.current = PURGE_DAY
    review = runner.invoke(args=["retention", "review"])
    assert "1 case(s) whose evidence is due to be purged, 0 kept by a legal hold." in review.output, review.output
    due = f"{case.number} evidence (1 exhibit(s)), closed 2026-03-02: due 2029-03-02 under evidence_not_sustained"
    assert f"{due} (not yet cited: department setting" in review.output
    applied = runner.invoke(args=["retention", "apply"])
    assert applied.exit_code == 0, applied.output
    assert f"Purged the evidence of 1 case(s) (1 exhibit(s)): {case.number}" in applied.output
    return case, evidence.exhibits_of(case)[0]


def test_the_pages_say_purged_and_no_route_serves_the_file(client, world, frozen_clock, runner, sign_in):
    case, exhibit = purged_case(world, frozen_clock, runner)
    sign_in(client, world.supervisor.email, PASSWORD)
    base = f"/cases/{case.number}/exhibits/1"
    page = client.get(base).get_data(as_text=True)
    assert PURGED in page and exhibit.sha256 in page
    assert f"{base}/download" not in page and f"{base}/thumbnail" not in page
    case_page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert PURGED in case_page and f"{base}/thumbnail" not in case_page
    for route in ("original", "download", "thumbnail"):
        response = client.get(f"{base}/{route}")
        assert response.status_code == 410 and response.mimetype == "text/html"
        assert PURGED in response.get_data(as_text=True)
    assert "exhibit.integrity_failed" not in [e.action for e in evidence.custody_log(exhibit)]
    assert "Purged under the retention rules" in page


def test_the_packet_prints_a_purged_exhibit_as_purged(world, frozen_clock, runner):
    case, exhibit = purged_case(world, frozen_clock, runner)
    config = current_app.config
    packet = packets.render_packet(
        case, packets.PacketOrder("full"), packets.PrintSettings(config["EVIDENCE_DIR"], "DOC-")
    )
    reader = PdfReader(io.BytesIO(packet.pdf))
    whole = "\n".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    assert "Exhibit 1" in whole and "purged on 2029-03-02 under evidence_not_sustained" in whole
    assert exhibit.sha256[:16] in whole.replace(" ", "") and reader.attachments == {}


def test_evidence_verify_and_audit_verify_pass_after_a_purge(world, frozen_clock, runner):
    purged_case(world, frozen_clock, runner)
    verified = runner.invoke(args=["evidence", "verify"])
    assert verified.exit_code == 0, verified.output
    audit = runner.invoke(args=["audit", "verify"])
    assert audit.exit_code == 0 and "Audit trail intact" in audit.output, audit.output


@pytest.mark.commits
def test_a_backup_after_a_purge_leaves_the_purged_files_out_and_restores(
    world, frozen_clock, runner, tmp_path, empty_database, backend
):
    case, exhibit = purged_case(world, frozen_clock, runner)
    kept = world.add_screenshot(world.open(), "Another case, not purged")
    folder = tmp_path / "backup"
    created = runner.invoke(args=["backup", "create", str(folder)])
    assert created.exit_code == 0, created.output
    names = [p.name for p in (folder / "evidence").rglob("*") if p.is_file()]
    assert exhibit.sha256 not in names and kept.sha256 in names
    exhibit_id, sha256 = exhibit.id, exhibit.sha256

    target = create_app(app_environ(empty_database(backend), tmp_path / "restored"))
    with target.app_context():
        restored = target.test_cli_runner().invoke(args=["backup", "restore", str(folder)])
        assert restored.exit_code == 0, restored.output
        with db.engine.connect() as connection:  # no session left open on the restored database
            query = select(Exhibit.sha256, Exhibit.purge_rule).where(Exhibit.id == exhibit_id)
            assert connection.execute(query).one() == (sha256, "evidence_not_sustained")
        verified = target.test_cli_runner().invoke(args=["evidence", "verify"])
        assert verified.exit_code == 0, verified.output
        db.session.remove()
        with db.engine.begin() as connection:
            empty_all_tables(connection)
        db.engine.dispose()

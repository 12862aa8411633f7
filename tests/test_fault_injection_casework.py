"""Fault injection, continued (faults 6-12 of the 12 counted in tests/test_fault_injection.py): a state
transition, a roster import, a packet's rendering and its job, each failing at a precise point on the real
databases. What the person sees is the plain error page (or the job's own failure message), and what is stored is
exactly what was stored before: the case in its prior state, no event row, no half packet, no half roster.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import weasyprint
from sqlalchemy import Engine, event, select

from project.extensions import db
from project.models import (
    AuditEvent,
    Case,
    CaseTransition,
    Employee,
    Notification,
    PacketJob,
    PacketPrint,
    Review,
)
from project.services import packets, roster
from tests.test_fault_injection import Fault, assert_store_and_audit_intact, case_as_stored, cli, count, events, fail

ROSTER_BEFORE = (
    "employee_number,last_name,first_name,title,facility\n"
    "E1,Ames,Pat,Correction Officer,Cheshire CI\nE2,Boyd,Lee,Lieutenant,Cheshire CI\n"
)
ROSTER_UPDATE = (
    "employee_number,last_name,first_name,title,facility\n"
    "E1,Ames,Pat,Captain,Cheshire CI\nE2,Boyd,Lee,Lieutenant,Cheshire CI\n"
    "E3,Cole,Sam,Correction Officer,York CI\nE4,Diaz,Ana,Counselor,York CI\n"
    "E5,Eng,Kim,Correction Officer,York CI\n"
)


@pytest.fixture()
def signed_in(sign_in):
    def signed_in(app, email: str):
        """A client for ``email``, with unexpected errors answered by the error page, as in production."""
        app.config["PROPAGATE_EXCEPTIONS"] = False
        client = app.test_client()
        sign_in(client, email)
        return client

    return signed_in


def the_500_page(response) -> bool:
    text = response.get_data(as_text=True)
    return response.status_code == 500 and "Traceback" not in text and "injected fault" not in text


# 6-7: a state transition --------------------------------------------------------------------------------


def test_a_fault_after_the_state_changed_but_before_its_event_leaves_the_case_as_it_was(
    app, world, monkeypatch, post_form, signed_in
):
    """Fault 6: ``move`` has set the new state and added the transition; writing its audit event fails. The
    case stays open, with no transition and no event. ASVS 1.11.3 (the move is atomic), 7.4.1, 11.1.1."""
    case = world.ready_for_review()
    before = case_as_stored(case.id)
    client = signed_in(app, "inv1@example.test")
    state_when_it_failed = []

    def fault_after_state_change(actor, action, *, case_id, **kwargs):
        state_when_it_failed.append(db.session.get(Case, case_id).state)
        raise Fault("injected fault")

    monkeypatch.setattr("project.services.casework.review.life_cycle.record_for", fault_after_state_change)
    response = post_form(client, f"/cases/{case.number}/submit", {"comment": "Ready."})
    monkeypatch.undo()
    assert the_500_page(response) and state_when_it_failed == ["in_review"]
    assert case_as_stored(case.id) == before == ("open", before[1])
    assert count(CaseTransition, CaseTransition.action == "submitted") == 0 and events("case.submitted") == 0
    assert_store_and_audit_intact(app)
    assert post_form(client, f"/cases/{case.number}/submit", {"comment": "Ready."}).status_code == 302
    assert case_as_stored(case.id)[0] == "in_review" and events("case.submitted") == 1


def test_a_fault_committing_an_approval_leaves_no_review_transition_or_event(
    app, world, monkeypatch, post_form, signed_in
):
    """Fault 7: the approval's review row, transition and audit events are flushed; the commit fails while
    chaining the events. Nothing of the approval stays and the case is still in review. ASVS 1.11.3, 7.3.3."""
    case = world.in_review()
    before = case_as_stored(case.id)
    client = signed_in(app, "sup@example.test")
    monkeypatch.setattr("project.services.audit.chain.row_hash", fail)
    approve = {"decision": "approved", "reasons": "Agreed.", "step": "confirmed", "version": str(before[1])}
    response = post_form(client, f"/cases/{case.number}/review", approve)
    monkeypatch.undo()
    assert the_500_page(response) and case_as_stored(case.id) == before == ("in_review", before[1])
    assert count(Review) == 0 and count(CaseTransition, CaseTransition.action == "approved") == 0
    assert events("review.approved") == events("case.approved") == 0
    assert_store_and_audit_intact(app)
    retried = post_form(client, f"/cases/{case.number}/review", approve)
    assert retried.status_code == 302 and case_as_stored(case.id)[0] == "approved" and count(Review) == 1


# 8-9: a roster import -----------------------------------------------------------------------------------


def roster_as_stored() -> list[tuple[str, str, str, str]]:
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(Employee.employee_number, Employee.last_name, Employee.title, Employee.facility).order_by(
                Employee.employee_number
            )
        )
        return [tuple(row) for row in rows]


def test_a_fault_part_way_through_the_roster_rows_leaves_the_roster_as_it_was(
    app, world, monkeypatch, post_form, signed_in
):
    """Fault 8: E1 has been updated and E3 added when building E4 fails; none of it stays. ASVS 1.11.3."""
    roster.import_roster(ROSTER_BEFORE, actor=world.admin)
    before, imports = roster_as_stored(), events("roster.imported")
    built = []
    real_init = Employee.__init__

    def fault_at_the_fourth_row(self, **row):
        if row["employee_number"] == "E4":
            raise Fault("injected fault")
        built.append(row["employee_number"])
        real_init(self, **row)

    monkeypatch.setattr(Employee, "__init__", fault_at_the_fourth_row)
    client = signed_in(app, "admin@example.test")
    response = post_form(client, "/admin/roster", {"file": (io.BytesIO(ROSTER_UPDATE.encode()), "roster.csv")})
    monkeypatch.undo()
    assert the_500_page(response) and built == ["E3"]  # E1 was changed in place before the fault, E3 added
    assert roster_as_stored() == before and events("roster.imported") == imports
    assert_store_and_audit_intact(app)
    retried = post_form(client, "/admin/roster", {"file": (io.BytesIO(ROSTER_UPDATE.encode()), "roster.csv")})
    assert retried.status_code == 302 and len(roster_as_stored()) == 5
    assert ("E1", "Ames", "Captain", "Cheshire CI") in roster_as_stored()


def test_a_fault_committing_a_roster_import_leaves_the_roster_as_it_was(app, world, monkeypatch, tmp_path):
    """Fault 9: every row is written and the import's audit event added; the commit fails while chaining it.
    ``flask roster import`` fails and the roster is unchanged; run again, it imports."""
    roster.import_roster(ROSTER_BEFORE, actor=world.admin)
    before, imports = roster_as_stored(), events("roster.imported")
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER_UPDATE, encoding="utf-8")
    monkeypatch.setattr("project.services.audit.chain.row_hash", fail)
    failed = cli(app, "roster", "import", str(path))
    monkeypatch.undo()
    assert failed.exit_code != 0 and isinstance(failed.exception, Fault)
    assert roster_as_stored() == before and events("roster.imported") == imports
    assert_store_and_audit_intact(app)
    retried = cli(app, "roster", "import", str(path))
    assert retried.exit_code == 0 and "Roster: 3 added, 1 updated, 1 unchanged." in retried.output


# 10-11: rendering and keeping a packet -------------------------------------------------------------------


def test_weasyprint_failing_leaves_no_packet_a_failed_job_an_unchanged_case_and_a_retry_works(
    app, world, monkeypatch, post_form, signed_in
):
    """Fault 10: WeasyPrint raises while writing the PDF. No packet row, file or printing event; the job says
    it failed, in words; the case is untouched; printing again works. ASVS 7.4.1, 1.11.3."""
    case = world.approved(exhibit=True)
    before = case_as_stored(case.id)
    packets_dir = Path(app.config["EVIDENCE_DIR"], "packets")
    client = signed_in(app, "sup@example.test")  # the internal packet: a supervisor, not labor relations
    monkeypatch.setattr(weasyprint.Document, "write_pdf", fail)
    started = post_form(client, f"/cases/{case.number}/packet", {"variant": "full"})
    monkeypatch.undo()
    assert started.status_code == 302
    job = db.session.scalars(select(PacketJob)).one()
    assert (job.status, job.packet_print_id) == ("failed", None) and job.finished_at is not None
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "The packet could not be made because of an error, which is logged" in page and "Try again" in page
    assert count(Notification, Notification.kind == "job_failed") == 1  # its requester is told (issue 20, item 1)
    assert client.get(started.headers["Location"] + "/download").status_code == 404
    assert count(PacketPrint) == 0 and events("packet.printed") == events("exhibit.packet_included") == 0
    assert not packets_dir.exists() or not [p for p in packets_dir.rglob("*") if p.is_file()]
    assert case_as_stored(case.id) == before
    assert_store_and_audit_intact(app)
    retried = post_form(client, f"/cases/{case.number}/packet", {"variant": "full"})
    download = client.get(retried.headers["Location"] + "/download")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert count(PacketPrint) == 1 and events("packet.printed") == 1
    assert count(AuditEvent, AuditEvent.action == "exhibit.packet_included") == 1


def test_a_full_disk_keeping_the_printed_packet_records_no_printing(app, world, monkeypatch, post_form, signed_in):
    """Fault 11: the PDF is rendered, but storing the copy the person downloads fails (disk full). The printing
    is not recorded: no packet row and no custody event saying the exhibits went into a packet nobody got.
    ASVS 7.1.3 (the custody log says what happened, no more), 1.11.3."""
    case = world.approved(exhibit=True)
    client = signed_in(app, "sup@example.test")  # the internal packet: a supervisor, not labor relations

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("project.services.packets.jobs.write_atomically", disk_full)
    started = post_form(client, f"/cases/{case.number}/packet", {"variant": "full"})
    monkeypatch.undo()
    job = db.session.scalars(select(PacketJob)).one()
    assert (job.status, job.packet_print_id) == ("failed", None)
    assert "The packet could not be made" in client.get(started.headers["Location"]).get_data(as_text=True)
    assert count(PacketPrint) == 0 and events("packet.printed") == events("exhibit.packet_included") == 0
    assert_store_and_audit_intact(app)
    retried = post_form(client, f"/cases/{case.number}/packet", {"variant": "full"})
    download = client.get(retried.headers["Location"] + "/download")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert count(PacketPrint) == 1 and events("exhibit.packet_included") == 1


class WorkerDied(Exception):
    """The process printing the packet is gone (killed, out of memory) at the moment it is raised."""


class DiesOncePrinted:
    """A worker that dies at the first statement it sends after a commit that recorded a printing."""

    def __init__(self) -> None:
        self.printing_flushed = self.printing_committed = False

    def flushed(self, session, _context) -> None:
        self.printing_flushed |= any(isinstance(row, PacketPrint) for row in session.new)

    def committed(self, _session) -> None:
        self.printing_committed |= self.printing_flushed

    def sends(self, *_args) -> None:
        if self.printing_committed:
            raise WorkerDied


def test_a_worker_that_dies_just_after_recording_the_printing_is_not_made_to_print_it_twice(app, world, monkeypatch):
    """Fault 12 (issue 20): the worker dies at the first statement it sends after the printing's commit. The job
    queue tries the job again; the retry finds the job done with its packet and records no second printing."""
    case = world.approved(exhibit=True)
    monkeypatch.setattr("project.jobs.enqueue", lambda *args: None)  # queued; a worker takes it below
    job_id = packets.start_packet_job(case, packets.PacketOrder("full", None), world.actor(world.supervisor)).id
    monkeypatch.undo()
    supervisor_id = world.supervisor.id
    worker = DiesOncePrinted()
    hooks = [(db.session, "after_flush", worker.flushed), (db.session, "after_commit", worker.committed)]
    hooks.append((Engine, "before_cursor_execute", worker.sends))
    for target, name, hook in hooks:
        event.listen(target, name, hook)
    try:
        packets.run_packet_job(job_id, supervisor_id, None)
    except WorkerDied:
        pass
    finally:
        for target, name, hook in hooks:
            event.remove(target, name, hook)
    assert worker.printing_committed
    db.session.remove()  # the retry is another process: nothing of the dead one's session is left

    packets.run_packet_job(job_id, supervisor_id, None)
    job = db.session.get(PacketJob, job_id)
    assert job is not None and job.status == "done" and job.packet_print_id is not None
    assert count(PacketPrint) == 1 and events("packet.printed") == 1
    assert count(AuditEvent, AuditEvent.action == "exhibit.packet_included") == 1

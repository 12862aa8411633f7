"""Printing a packet in the background, so the person sees its progress instead of a frozen page.

A job is a row (any web worker can report on it); the rendering runs in a thread of the worker that took
the request, and writes its progress in short transactions of its own. The finished PDF is kept
content-addressed under EVIDENCE_DIR/packets/printed and served only to the person who asked for it.
"""

from __future__ import annotations

import logging
import secrets
import threading
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select, update

from project import clock, permissions
from project.extensions import db
from project.models import Case, CaseState, Exhibit, PacketJob, User
from project.services.audit import Actor
from project.services.errors import CaseworkError
from project.services.evidence import EvidenceTampered, purged_note, sha256_of, write_atomically
from project.services.packets.printing import PacketOrder, PrintRun, PrintSettings, check_order, print_packet
from project.services.visibility import visible_to
from project.transaction import committing

log = logging.getLogger(__name__)


def _printed_path(evidence_dir: str, sha256: str) -> Path:
    return Path(evidence_dir) / "packets" / "printed" / f"{sha256}.pdf"


def start_packet_job(app: Flask, case: Case, order: PacketOrder, actor: Actor, inline: bool = False) -> PacketJob:
    """Queue the printing and start it (``inline``: in this thread, as tests do). A packet this person may not
    print, a release without its recipient or a public release before its notice window is refused at once."""
    check_order(case, order, actor.user)
    job = PacketJob(
        id=secrets.token_hex(16),
        case_id=case.id,
        requested_by_id=actor.user.id,
        variant=order.variant,
        pdf_variant=order.pdf_variant,
        recipient=order.recipient.strip() or None,
        subject_id=order.subject_id,
        status="queued",
        message="Waiting to start",
        created_at=clock.now(),
    )
    with committing("this print job"):
        db.session.add(job)
    args = (app, job.id, actor.user.id, actor.remote_addr)
    if inline:
        run_packet_job(*args)
    else:
        threading.Thread(target=run_packet_job, args=args, name=f"packet-{job.id[:8]}", daemon=True).start()
    return job


def _set(job_id: str, **values: object) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(PacketJob).where(PacketJob.id == job_id).values(**values))


def run_packet_job(app: Flask, job_id: str, user_id: int, remote_addr: str | None) -> None:
    with app.app_context():
        try:
            job = db.session.get(PacketJob, job_id)
            user = db.session.get(User, user_id)
            case = db.session.get(Case, job.case_id) if job else None
            if job is None or user is None or case is None:
                return
            _set(job_id, status="rendering", message="Starting")
            config = app.config

            def keep(pdf: bytes, sha256: str) -> None:  # before the printing is committed
                path = _printed_path(config["EVIDENCE_DIR"], sha256)
                if not path.exists():
                    write_atomically(path, pdf, mode=0o640)

            run = PrintRun(
                via="web",
                keep=keep,
                progress=lambda done, total, message: _set(job_id, done=done, total=total, message=message),
            )
            printing, _ = print_packet(
                case,
                PacketOrder(job.variant, job.pdf_variant, job.recipient or "", job.subject_id),
                Actor(user, remote_addr),
                PrintSettings.from_config(config),
                run,
            )
            _set(job_id, status="done", packet_print_id=printing.id, message="Ready", finished_at=clock.now())
        except CaseworkError as refused:
            _set(job_id, status="failed", message=str(refused), finished_at=clock.now())
        except Exception:
            log.exception("packet job %s failed", job_id)
            _set(
                job_id,
                status="failed",
                finished_at=clock.now(),
                message="The packet could not be made. The error has been logged; try again or tell an administrator.",
            )
        finally:
            db.session.remove()


def queue_depth() -> dict[tuple[str, str], int]:
    """Packet jobs waiting ("queued") and being printed ("rendering"), for /metrics: (kind, state) -> jobs."""
    waiting = ("queued", "rendering")
    query = select(PacketJob.status, func.count()).where(PacketJob.status.in_(waiting)).group_by(PacketJob.status)
    counted: dict[str, int] = {status: jobs for status, jobs in db.session.execute(query)}
    return {("packet", state): counted.get(state, 0) for state in waiting}


def printable_cases(user: User) -> list[Case]:
    """The cases whose packet this person may print now (approved, or in discipline), by number."""
    query = (
        select(Case)
        .where(visible_to(user), Case.state.in_([CaseState.APPROVED.value, CaseState.DISCIPLINE.value]))
        .order_by(Case.number)
    )
    return [case for case in db.session.scalars(query) if permissions.can_print_packet(user, case)]


def job_of(job_id: str, user: User) -> PacketJob | None:
    """The job, only for the person who asked for it."""
    job = db.session.get(PacketJob, job_id)
    return job if job is not None and job.requested_by_id == user.id else None


def _purge_of(case_id: int) -> str:
    """ "Purged on <date> under <rule>" when the case's evidence (and so its packets) was purged, else ""."""
    query = select(Exhibit).where(Exhibit.case_id == case_id, Exhibit.purged_at.is_not(None))
    exhibit = db.session.scalars(query.order_by(Exhibit.purged_at)).first()
    return purged_note(exhibit) if exhibit is not None else ""


def job_pdf(job: PacketJob, evidence_dir: str) -> bytes:
    """The finished packet, checked against the hash its printing recorded."""
    if job.packet_print is None:
        raise CaseworkError("The packet is not ready yet.")
    sha256 = job.packet_print.sha256
    try:
        pdf = _printed_path(evidence_dir, sha256).read_bytes()
    except FileNotFoundError:
        pdf = b""
    if not pdf and (purged := _purge_of(job.case_id)):
        raise CaseworkError(f"This packet was deleted with the case's evidence: {purged}.")
    if sha256_of(pdf) != sha256:
        raise EvidenceTampered(f"The printed packet {sha256} is missing or altered; print it again.")
    return pdf

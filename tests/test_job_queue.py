"""The job queue (issue 20, item 1): with REDIS_URL set, packets print on a real `flask worker` process over real
Redis and the test's database; a worker whose work-horse is killed mid-packet has the job retried once, and a
job killed on both attempts ends failed with a message its requester is notified of. Without Redis the job
runs in this process, and an error there ends it failed the same way. An uploaded screenshot's text is read
on the worker too, after the upload has answered.

The jobs are real and so are the kills: SIGKILL to the work-horse RQ forked for the job, found as the
worker's child process the moment the job's row says it is rendering."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, DerivedFile, DisciplineRecord, Exhibit, Notification, PacketJob
from project.services import evidence, packets
from tests.apps import app_environ
from tests.browser.live_server import KEPT_FROM_ENVIRONMENT, ROOT
from tests.evidence_files import add, png_bytes
from tests.factories import PASSWORD
from tests.media_files import made
from tests.ocr_images import needs_font, needs_tesseract, screenshot
from tests.pdf_files import handmade_pdf
from tests.redis_server import require_redis
from tests.unit.test_retention import imported_reprimand, outside_unit_employee

JOB_TIMEOUT_SECONDS = 30  # far above a packet's second or two; a stuck test fails instead of hanging


class QueueWorker:
    def __init__(self, database_url: str, instance: Path) -> None:
        self.redis_url = require_redis()
        self.queue = f"casefile-test-{uuid.uuid4().hex[:8]}"  # this run's own: no other run's jobs
        self.evidence_dir = str(instance / "evidence")
        env = {name: os.environ[name] for name in KEPT_FROM_ENVIRONMENT if name in os.environ}
        env |= app_environ(database_url, instance) | {
            "FLASK_APP": "app",
            "PYTHONPATH": str(ROOT),
            "REDIS_URL": self.redis_url,
            "JOB_QUEUE": self.queue,
            "JOB_TIMEOUT_SECONDS": str(JOB_TIMEOUT_SECONDS),
            "JOB_RETRIES": "1",
        }
        self.env, self.log = env, instance / "worker.log"
        self.start()

    def start(self) -> None:
        from redis import Redis
        from rq import Queue, Worker

        with self.log.open("ab") as output:
            command = [sys.executable, "-m", "flask", "worker"]
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT)
        queue = Queue(self.queue, connection=Redis.from_url(self.redis_url))
        deadline = time.monotonic() + 30
        while f"casefile-{self.process.pid}" not in {worker.name for worker in Worker.all(queue=queue)}:
            assert self.process.poll() is None and time.monotonic() < deadline, self.log.read_text()[-3000:]
            time.sleep(0.05)

    def horse(self) -> int | None:
        """The work-horse RQ forked for the job in hand (the worker's only child), if any."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return int(children[0]) if children else None

    def stop(self) -> None:
        from redis import Redis
        from rq import Queue

        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        Queue(self.queue, connection=Redis.from_url(self.redis_url)).delete(delete_jobs=True)


@pytest.fixture(scope="module")
def queue_worker(database, tmp_path_factory) -> Iterator[QueueWorker]:
    """One `flask worker` per backend for this file, on the backend's database."""
    worker = QueueWorker(database.url, tmp_path_factory.mktemp("worker-instance"))
    yield worker
    worker.stop()


@pytest.fixture()
def on_queue(app, queue_worker: QueueWorker) -> QueueWorker:
    """The test's app sends its jobs to the worker's queue and shares its evidence directory."""
    app.config.update(
        REDIS_URL=queue_worker.redis_url,
        JOB_QUEUE=queue_worker.queue,
        EVIDENCE_DIR=queue_worker.evidence_dir,
        JOB_TIMEOUT_SECONDS=JOB_TIMEOUT_SECONDS,
        JOB_RETRIES=1,
    )
    return queue_worker


def job_row(job_id: str) -> PacketJob:
    db.session.expire_all()
    job = db.session.get(PacketJob, job_id)
    assert job is not None
    return job


def wait_for(job_id: str, done: object, worker: QueueWorker) -> PacketJob:
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    while not done(job := job_row(job_id)):
        assert time.monotonic() < deadline, f"job {job.status}: {job.message}\n{worker.log.read_text()[-3000:]}"
        time.sleep(0.01)
    return job


def kill_mid_packet(job_id: str, attempt: int, worker: QueueWorker) -> None:
    """SIGKILL the work-horse as soon as the job's row says this attempt is rendering."""
    wait_for(job_id, lambda job: job.status == "rendering" and job.attempts == attempt, worker)
    horse = worker.horse()
    assert horse is not None, "the job is rendering, but the worker has no work-horse"
    os.kill(horse, signal.SIGKILL)


def a_packet_job(world) -> str:
    case = world.approved(exhibit=True)
    order = packets.PacketOrder("full", None)  # the internal packet: a supervisor prints it
    return packets.start_packet_job(case, order, world.actor(world.supervisor)).id


def failure_notices(user_id: int) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user_id, Notification.kind == "job_failed")
    return list(db.session.scalars(query))


@pytest.mark.commits  # the worker reads and writes the database from another process
def test_a_packet_printed_through_the_queue_completes_and_downloads(on_queue, app, world, sign_in):
    job_id = a_packet_job(world)
    finished = wait_for(job_id, lambda job: job.status not in ("queued", "rendering"), on_queue)
    assert finished.status == "done" and finished.message == "Ready" and finished.attempts == 1
    assert finished.done == finished.total > 0
    client = app.test_client()
    sign_in(client, world.supervisor.email, PASSWORD)
    assert "The packet is ready" in client.get(f"/packets/jobs/{job_id}").get_data(as_text=True)
    pdf = client.get(f"/packets/jobs/{job_id}/download").data
    assert hashlib.sha256(pdf).hexdigest() == finished.packet_print.sha256


@pytest.mark.commits
def test_a_worker_killed_mid_packet_has_the_job_retried_and_the_packet_completes(on_queue, app, world):
    job_id = a_packet_job(world)
    kill_mid_packet(job_id, 1, on_queue)
    finished = wait_for(job_id, lambda job: job.status not in ("queued", "rendering"), on_queue)
    assert finished.status == "done", finished.message
    assert finished.attempts == 2  # the first attempt was killed while rendering, the second printed it
    pdf = packets.job_pdf(finished, app.config["EVIDENCE_DIR"])
    assert hashlib.sha256(pdf).hexdigest() == finished.packet_print.sha256
    assert failure_notices(world.supervisor.id) == []


def kill_the_whole_worker_mid_packet(job_id: str, attempt: int, worker: QueueWorker) -> None:
    """SIGKILL the worker itself, then its work-horse, while this attempt renders; then run the maintenance RQ's
    workers run on the started-job registry, as another worker would once the dead one's heartbeat expired
    (a minute and a half later: the clock is moved on instead of waited for)."""
    from redis import Redis
    from rq import Queue
    from rq.registry import StartedJobRegistry

    wait_for(job_id, lambda job: job.status == "rendering" and job.attempts == attempt, worker)
    horse = worker.horse()
    os.kill(worker.process.pid, signal.SIGKILL)
    assert horse is not None
    os.kill(horse, signal.SIGKILL)
    worker.process.wait()
    queue = Queue(worker.queue, connection=Redis.from_url(worker.redis_url))
    StartedJobRegistry(queue=queue).cleanup(timestamp=time.time() + 3600)
    worker.start()  # for the tests after this one


@pytest.mark.commits
def test_a_job_whose_worker_dies_on_both_attempts_is_failed_with_a_message_and_its_requester_notified(
    on_queue, app, world, sign_in
):
    """The work-horse killed on the first attempt (RQ's worker sees it and retries), the whole worker killed on
    the second (its job found abandoned in RQ's started-job registry): no attempt is left, so the job fails."""
    job_id = a_packet_job(world)
    kill_mid_packet(job_id, 1, on_queue)
    kill_the_whole_worker_mid_packet(job_id, 2, on_queue)
    failed = wait_for(job_id, lambda job: job.status not in ("queued", "rendering"), on_queue)
    assert failed.status == "failed" and failed.packet_print_id is None and failed.attempts == 2
    assert failed.message == (
        "The packet could not be made because the worker doing it stopped. Try again, or tell an administrator."
    )
    (notice,) = failure_notices(world.supervisor.id)
    assert notice.link == f"/packets/jobs/{job_id}" and failed.message in notice.message
    client = app.test_client()
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get(f"/packets/jobs/{job_id}").get_data(as_text=True)
    assert "the worker doing it stopped" in page and "Download the PDF" not in page


@needs_tesseract
@needs_font
@pytest.mark.commits
def test_the_text_of_an_uploaded_screenshot_is_read_on_the_worker(on_queue, app, world):
    app.config["OCR_ON_UPLOAD"] = True
    png, _ = screenshot([(30, 40, "Visiting day in the laundry room again")])
    upload = evidence.ExhibitInput(png, "visiting.png", "Screenshot of the post", None, None, "Ivy", "Snipping")
    settings = evidence.EvidenceSettings.from_config(app.config)
    exhibit_id = evidence.add_exhibit(world.open(), upload, world.actor(world.investigator), settings).id
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    while (read := exhibit_row(exhibit_id)).ocr_at is None:
        assert time.monotonic() < deadline, on_queue.log.read_text()[-3000:]
        time.sleep(0.05)
    assert "Visiting day in the laundry room" in (read.ocr_text or "")
    assert [e.action for e in evidence.custody_log(read)][-1] == "exhibit.text_read"


def fail_here(*args, **kwargs):
    raise AssertionError("made in the upload's process, not on the worker")


def print_files(sha256: str) -> list[DerivedFile]:
    db.session.expire_all()
    query = select(DerivedFile).where(DerivedFile.source_sha256 == sha256, DerivedFile.kind.in_(("print", "frame")))
    return list(db.session.scalars(query.order_by(DerivedFile.path)))


@pytest.mark.commits
def test_the_print_renditions_of_an_uploaded_pdf_and_video_are_made_on_the_worker(
    on_queue, app, world, ffmpeg, monkeypatch
):
    """The upload answers after its commit; its print pages (a PDF's three) and a video's key frames are made by
    the worker, each recorded with the SHA-256 of the file it wrote. This process cannot encode a rendition, so
    only the worker can have made them."""
    monkeypatch.setattr("project.services.evidence.renditions._jpeg", fail_here)
    case, actor = world.open(), world.actor(world.investigator)
    settings = evidence.EvidenceSettings.from_config(app.config)
    uploads = [
        (handmade_pdf(3), "capture.pdf", 3),
        (made("mp4"), "bodycam.mp4", evidence.KEY_FRAMES),
    ]
    for data, name, expected in uploads:
        upload = evidence.ExhibitInput(data, name, "The post as captured", None, None, "Ivy", "Chrome")
        exhibit = evidence.add_exhibit(case, upload, actor, settings)
        deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
        while len(rows := print_files(exhibit.sha256)) < expected:
            assert time.monotonic() < deadline, on_queue.log.read_text()[-3000:]
            time.sleep(0.05)
        assert len(rows) == expected
        for row in rows:
            assert hashlib.sha256((Path(on_queue.evidence_dir) / row.path).read_bytes()).hexdigest() == row.sha256


@pytest.mark.commits
def test_redaction_suggestions_are_found_on_the_worker_while_their_page_waits(
    on_queue, app, world, sign_in, post_form, monkeypatch
):
    """The run's page answers at once and refreshes itself until the worker has read the image (this process
    cannot); then it leads to the redaction page with what was found, and the read is the asker's view."""
    monkeypatch.setattr("project.services.evidence.redaction.suggestion_runs.suggest_regions", fail_here)
    case = world.open()
    exhibit = add(app, world, case, png_bytes((320, 200), "white"))
    client = app.test_client()
    sign_in(client, world.investigator.email, PASSWORD)
    redact = f"/cases/{case.number}/exhibits/1/redact"
    started = post_form(client, f"/cases/{case.number}/exhibits/1/suggestions", {}, page=redact)
    assert started.status_code == 302
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    while (waiting := client.get(started.location)).status_code == 200:
        assert 'http-equiv="refresh"' in waiting.get_data(as_text=True), waiting.get_data(as_text=True)
        assert time.monotonic() < deadline, on_queue.log.read_text()[-3000:]
        time.sleep(0.05)
    assert waiting.status_code == 302 and "/redact?run=" in waiting.location
    assert "No rectangles to suggest" in client.get(waiting.location).get_data(as_text=True)
    viewed = [e for e in evidence.custody_log(exhibit_row(exhibit.id)) if e.action == "exhibit.viewed"]
    assert [e.actor_id for e in viewed] == [world.investigator.id]


def reprimand_due_today() -> DisciplineRecord:
    """An employee outside any unit with a written reprimand of 400 days ago: due (12 months, C.G.S. 5-240(a))
    as of the worker's today, which is the real one."""
    outside_unit_employee("900177")
    return imported_reprimand("900177", (date.today() - timedelta(days=400)).isoformat())


@pytest.mark.commits
def test_a_retention_run_put_on_the_queue_is_applied_by_the_worker(on_queue, app):
    due = reprimand_due_today()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["retention", "apply", "--queue"])
    assert result.exit_code == 0 and "on the job queue" in result.output
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    while (sealed := db.session.get(DisciplineRecord, due.id)).expunged_on is None:
        assert time.monotonic() < deadline, on_queue.log.read_text()[-3000:]
        time.sleep(0.05)
        db.session.expire_all()
    assert sealed.expunged_rule == "reprimand_outside_unit"
    (applied,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "retention.applied").order_by(AuditEvent.id)
    ).all()
    assert applied.actor_id is None  # the system's run, as cron's


def test_without_a_queue_a_retention_run_is_not_queued_and_nothing_is_sealed(app):
    assert not app.config["REDIS_URL"]
    due = reprimand_due_today()
    result = app.test_cli_runner().invoke(args=["retention", "apply", "--queue"])
    assert result.exit_code == 1
    assert "The retention run was not queued: REDIS_URL is not set" in result.output
    assert db.session.get(DisciplineRecord, due.id).expunged_on is None


def exhibit_row(exhibit_id: int) -> Exhibit:
    db.session.expire_all()
    exhibit = db.session.get(Exhibit, exhibit_id)
    assert exhibit is not None
    return exhibit


def test_a_packet_the_queue_does_not_take_is_failed_at_once_with_a_message(app, world):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    job_id = a_packet_job(world)
    failed = job_row(job_id)
    assert failed.status == "failed" and failed.attempts == 0
    assert failed.message.startswith("The job queue is not answering, so the packet was not started.")
    assert len(failure_notices(world.supervisor.id)) == 1


def test_without_redis_a_job_that_fails_in_process_is_failed_and_its_requester_notified(app, world, monkeypatch):
    assert not app.config["REDIS_URL"]

    def broken_printer(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("project.services.packets.jobs.print_packet", broken_printer)
    job_id = a_packet_job(world)
    failed = job_row(job_id)
    assert failed.status == "failed" and failed.attempts == 1
    assert failed.message == (
        "The packet could not be made because of an error, which is logged. Try again, or tell an administrator."
    )
    (notice,) = failure_notices(world.supervisor.id)
    assert notice.link == f"/packets/jobs/{job_id}"

"""Long work (printing a packet; reading an exhibit's text and making its print renditions after its upload;
looking for faces and protected text to redact; a retention run) runs as a job: on RQ workers when REDIS_URL is
set, in this process otherwise.

A job is asked for by name with plain ids as its arguments (never ORM objects: the worker has a database
session of its own). ``KINDS`` names each job's two functions, by import path so this module imports no
service: ``run(*args)`` does the work in an app context, and ``settle(args, outcome, reason)`` records on the
job's own row that it will be tried again ("retrying") or that it has failed ("failed", with the requester
told). Progress is whatever ``run`` writes to its row, so the page that polls the row shows it in both modes.

How a dead worker is found (RQ's own mechanisms, no lease of our own):
- the work-horse (the forked child running the job) killed: the worker that forked it sees it end by a
  signal at once (waitpid) and calls ``handle_job_failure``, which ``Worker`` below extends;
- an exception or a run past JOB_TIMEOUT_SECONDS (RQ's death penalty raises in the horse): the same method;
- the whole worker killed: its job stays in the started-job registry until the heartbeat RQ keeps for it
  expires (the monitoring interval + 60 s); another worker's maintenance then calls the job's failure
  callback with ``AbandonedJobError`` (``abandoned`` below) and retries or fails it.
Each is retried JOB_RETRIES times (RQ's ``Retry``), then settled "failed".
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_app_context

log = logging.getLogger(__name__)


class QueueUnavailable(RuntimeError):
    """REDIS_URL is set but the queue did not take the job (Redis down or unreachable)."""


@dataclass(frozen=True)
class JobKind:
    run: str  # "module:function": run(*args) in an app context; raises to have the job retried
    settle: str  # "module:function": settle(args, outcome, reason) with outcome "retrying" or "failed"
    in_request: bool = False  # without a queue: run within the request (else in a thread of this process)


KINDS: dict[str, JobKind] = {
    "packet": JobKind(
        run="project.services.packets:run_packet_job", settle="project.services.packets:settle_packet_job"
    ),
    # an image exhibit's text read by Tesseract after its upload (OCR_ON_UPLOAD), for search
    "ocr": JobKind(
        run="project.services.evidence:run_ocr_job", settle="project.services.evidence:settle_ocr_job", in_request=True
    ),
    # an exhibit's print renditions (an image's JPEG, a PDF's pages, a video's key frames) after its upload
    "rendition": JobKind(
        run="project.services.evidence:run_rendition_job",
        settle="project.services.evidence:settle_rendition_job",
        in_request=True,
    ),
    # rectangles proposed for redaction (faces, and text naming a protected person) on an image exhibit
    "suggestions": JobKind(
        run="project.services.evidence:run_suggestion_job",
        settle="project.services.evidence:settle_suggestion_job",
        in_request=True,
    ),
    # a retention run (seal and purge what is due), put on the queue by `flask retention apply --queue`
    "retention": JobKind(
        run="project.services.records:run_retention_job", settle="project.services.records:settle_retention_job"
    ),
}

_worker_app: Flask | None = None  # the app of `flask worker` (or one built on first use by a plain `rq worker`)


def _function(path: str) -> Callable[..., Any]:
    module, name = path.split(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def queued() -> bool:
    """Whether jobs go to a queue (REDIS_URL set) rather than run in this process."""
    return bool(current_app.config.get("REDIS_URL"))


def enqueue(name: str, *args: int | str | None) -> None:
    """Run the job ``name`` with ``args``: on the queue when REDIS_URL is set; otherwise within this request
    (a kind ``in_request``, or any under PACKET_JOBS_INLINE, as the tests run) or in a thread of this process."""
    if name not in KINDS:
        raise ValueError(f"no job named {name!r}")
    config = current_app.config
    if config.get("REDIS_URL"):
        from redis import RedisError
        from rq import Callback, Retry

        try:
            queue(config).enqueue(
                perform,
                name,
                *args,
                job_timeout=config["JOB_TIMEOUT_SECONDS"],
                retry=Retry(max=config["JOB_RETRIES"]) if config["JOB_RETRIES"] else None,
                on_failure=Callback(abandoned),
                result_ttl=3600,
                failure_ttl=7 * 24 * 3600,
            )
        except RedisError as error:
            log.error("job %s%r not queued: %s", name, args, error)
            raise QueueUnavailable(str(error)) from error
    elif KINDS[name].in_request:
        # a database session of its own: the job's failure (and its rollback) leaves the request's records as
        # they were, so the request still answers for what it committed
        _in_own_context(current_app._get_current_object(), name, args)  # type: ignore[attr-defined]
    elif config.get("PACKET_JOBS_INLINE"):
        perform_here(name, args)
    else:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        threading.Thread(target=_in_own_context, args=(app, name, args), name=f"job-{name}", daemon=True).start()


def queue(config: Any) -> Any:
    """The RQ queue of the settings (``rq.Queue``)."""
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(config["REDIS_URL"], socket_connect_timeout=5, socket_timeout=30)
    return Queue(config["JOB_QUEUE"], connection=connection)


def _in_own_context(app: Flask, name: str, args: tuple[Any, ...]) -> None:
    from project.extensions import db

    with app.app_context():
        try:
            perform_here(name, args)
        finally:
            db.session.remove()


def perform_here(name: str, args: tuple[Any, ...]) -> None:
    """In-process: run the job once; a failure is settled at once (there is no other worker to retry on)."""
    from project.extensions import db

    try:
        _function(KINDS[name].run)(*args)
    except Exception as error:
        log.exception("job %s%r failed", name, args)
        db.session.rollback()
        _function(KINDS[name].settle)(args, "failed", reason_of(repr(error)))


def perform(name: str, *args: Any) -> None:
    """On the worker (in the forked work-horse): the job, in an app context of the worker's app, with
    database connections of its own (none inherited from the parent through the fork)."""
    from project.extensions import db

    app = worker_app()
    with app.app_context():
        db.engine.dispose(close=False)
        try:
            _function(KINDS[name].run)(*args)
        finally:
            db.session.remove()


def worker_app() -> Flask:
    global _worker_app
    if _worker_app is None:
        from project import create_app

        _worker_app = create_app()
    return _worker_app


def reason_of(exc_string: str) -> str:
    """What to tell the person, from RQ's account of the failure (never the traceback itself)."""
    if "Work-horse terminated unexpectedly" in exc_string or "AbandonedJobError" in exc_string:
        return "the worker doing it stopped"
    if "JobTimeoutException" in exc_string:
        return f"it ran longer than the limit of {worker_app().config['JOB_TIMEOUT_SECONDS']} seconds"
    return "of an error, which is logged"


def _settle(job: Any, outcome: str, reason: str) -> None:
    name, *args = job.args
    app = current_app._get_current_object() if has_app_context() else worker_app()  # type: ignore[attr-defined]
    with app.app_context():
        _function(KINDS[name].settle)(tuple(args), outcome, reason)


def abandoned(job: Any, connection: Any, kind: type[BaseException], value: BaseException, tb: Any) -> None:
    """RQ's failure callback: acts only for a job abandoned by a dead worker (found by another worker's
    registry maintenance; RQ retries it after this returns while retries are left). Failures a living worker
    saw are settled by ``Worker.handle_job_failure``."""
    from rq.exceptions import AbandonedJobError

    if issubclass(kind, AbandonedJobError):
        retrying = bool(job.retries_left and job.retries_left > 0)
        _settle(job, "retrying" if retrying else "failed", reason_of(kind.__name__))


def worker_class() -> type:
    from rq import Worker as RQWorker
    from rq.job import JobStatus

    class Worker(RQWorker):
        """RQ's worker, telling the job's row what became of a failed attempt once RQ has retried it or not."""

        def handle_job_failure(
            self, job: Any, queue: Any, started_job_registry: Any = None, exc_string: str = "", execution: Any = None
        ) -> None:
            super().handle_job_failure(job, queue, started_job_registry, exc_string, execution)
            try:
                status = job.get_status(refresh=True)
                outcome = "failed" if status in (JobStatus.FAILED, JobStatus.STOPPED) else "retrying"
                _settle(job, outcome, reason_of(exc_string))
            except Exception:
                log.exception("job %s: could not record its failure", job.id)

    return Worker


def work(app: Flask, burst: bool = False) -> None:
    """`flask worker`: take jobs from the queue until stopped (SIGTERM: after the job in hand)."""
    global _worker_app
    _worker_app = app
    from project import pdf_engine  # noqa: F401 - WeasyPrint loaded once here, not in each forked job

    config = app.config
    rq_queue = queue(config)
    worker = worker_class()([rq_queue], connection=rq_queue.connection, name=f"casefile-{os.getpid()}")
    worker.work(burst=burst, with_scheduler=False)

"""A retention run as a job (issue 20, item 1): ``flask retention apply --queue`` (the deployment's cron, with
REDIS_URL set) puts the run on the job queue, so a worker applies it and a worker that dies mid-run has it tried
again. A run is safe to repeat: what it sealed or purged is not due any more, and the files a run could not
delete are deleted by the next. Its account is the run's ``retention.applied`` audit event and the worker's log."""

from __future__ import annotations

import logging
from typing import Any

from project import clock, jobs
from project.extensions import db
from project.models import User
from project.services.records.retention import apply_retention

log = logging.getLogger(__name__)


def queue_retention_run(user_id: int | None = None) -> None:
    """Ask a worker to apply the retention rules as of its today. Raises ``jobs.QueueUnavailable`` (and, without
    REDIS_URL, RuntimeError: there is no queue to put it on)."""
    if not jobs.queued():
        raise RuntimeError("REDIS_URL is not set: there is no job queue; run `flask retention apply` here instead")
    jobs.enqueue("retention", user_id)


def run_retention_job(user_id: int | None = None) -> None:
    """The job: one retention run, audited as run by ``user_id`` (None: the system)."""
    actor = db.session.get(User, user_id) if user_id is not None else None
    run = apply_retention(clock.local_today(), actor)
    exhibits = sum(len(item.exhibits) for item in run.purged)
    log.info(
        "retention run: sealed %d record(s), kept %d on hold; purged %d case(s) (%d exhibit(s)), kept %d on hold; "
        "deleted %d file(s)",
        len(run.sealed),
        len(run.held),
        len(run.purged),
        exhibits,
        len(run.purges_held),
        len(run.files.removed),
    )
    for line in run.files.failed:
        log.warning("retention run: not deleted (the next run tries again): %s", line)


def settle_retention_job(args: tuple[Any, ...], outcome: str, reason: str) -> None:
    """A run that failed changed nothing (its one transaction rolled back, or committed and the retry finds it
    done); it is logged for the operator, and the next scheduled run applies what is due."""
    if outcome == "failed":
        log.error("retention run not applied because %s; the next scheduled run applies what is due", reason)

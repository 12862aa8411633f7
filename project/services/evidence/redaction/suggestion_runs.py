"""Redaction suggestions as a job: "Suggest rectangles" asks for a run, and the job (``project.jobs``: on a
worker when REDIS_URL is set, else within the request that asked) reads the original and keeps what the
detectors proposed on the run's row, for the redaction page to show. Tesseract takes a second or more per
screenshot, so on a queue-backed server the person sees the run's progress instead of a page that hangs.

The job reads the original as the person who asked (``suggest_regions``: their permission checked again when it
runs, and the ``exhibit.viewed`` custody event theirs). A run belongs to its exhibit; the page shows it to anyone
who may redact the case, because a proposal holds only a rectangle and the kind of what it covers."""

from __future__ import annotations

import dataclasses
import logging
import secrets
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from project import clock, jobs, permissions
from project.extensions import db
from project.models import Case, Exhibit, NotificationKind, SuggestionRun, User
from project.services.audit import Actor
from project.services.casework import protected_identifiers
from project.services.errors import InvalidInput
from project.services.evidence.redaction.suggestions import (
    Detector,
    Proposal,
    SuggestionInput,
    Suggestions,
    suggest_regions,
)
from project.services.notifications import notify
from project.transaction import committing

log = logging.getLogger(__name__)

WAITING = ("queued", "running")


def start_suggestions(case: Case, exhibit: Exhibit, actor: Actor) -> SuggestionRun:
    """Ask for rectangles on an image exhibit: the run's row, committed, then its job. When the queue does not
    take it, the run ends failed with a message at once."""
    permissions.require(
        exhibit.case_id == case.id and permissions.can_redact(actor.user, case),
        "Only the assigned investigator, a supervisor or labor relations may redact this case's exhibits.",
    )
    if not exhibit.is_image:
        raise InvalidInput({"regions": f"{exhibit.label} is not an image: only images can be redacted here."})
    with committing(f"the suggestions for {exhibit.label}"):
        run = SuggestionRun(
            id=secrets.token_hex(16), exhibit_id=exhibit.id, requested_by_id=actor.user.id, created_at=clock.now()
        )
        db.session.add(run)
    try:
        jobs.enqueue("suggestions", run.id, actor.remote_addr)
    except jobs.QueueUnavailable:
        _fail(run.id, "The job queue is not answering, so no rectangles were looked for. Try again in a minute.")
    db.session.refresh(run)
    return run


def run_of(exhibit: Exhibit, run_id: str) -> SuggestionRun | None:
    """The exhibit's run ``run_id``, or None when there is none of that id on this exhibit."""
    run = db.session.get(SuggestionRun, run_id)
    return run if run is not None and run.exhibit_id == exhibit.id else None


def found(run: SuggestionRun) -> Suggestions | None:
    """What a finished run proposed, as the page shows it; None while it waits or when it failed."""
    if run.status != "done" or run.proposals is None or run.detectors is None:
        return None
    return Suggestions(
        [Proposal(**proposal) for proposal in run.proposals],
        [Detector(**detector) for detector in run.detectors],
        (run.width or 0, run.height or 0),
    )


def run_suggestion_job(run_id: str, remote_addr: str | None) -> None:
    """The job: run the detectors as the person who asked and keep what they proposed on the row."""
    run = db.session.get(SuggestionRun, run_id)
    if run is None or run.status in ("done", "failed"):
        return
    with committing("the suggestion run"):
        run.status, run.attempts, run.message = "running", run.attempts + 1, "Reading the image"
    exhibit, user = db.session.get(Exhibit, run.exhibit_id), db.session.get(User, run.requested_by_id)
    if exhibit is None or user is None:
        raise LookupError(f"the exhibit or the person of suggestion run {run_id} is gone")
    case = db.session.get(Case, exhibit.case_id)
    assert case is not None
    config = current_app.config
    wanted = SuggestionInput(config["EVIDENCE_DIR"], tuple(protected_identifiers(case)), config["TESSERACT_CMD"])
    suggested = suggest_regions(case, exhibit, Actor(user, remote_addr), wanted)
    with committing("the suggestion run"):
        run.proposals = [dataclasses.asdict(proposal) for proposal in suggested.proposals]
        run.detectors = [dataclasses.asdict(detector) for detector in suggested.detectors]
        run.width, run.height = suggested.size
        run.status, run.message, run.finished_at = "done", "Ready", clock.now()


def settle_suggestion_job(args: tuple[Any, ...], outcome: str, reason: str) -> None:
    """After a failed attempt: the run waits again (its page says why), or ends failed and its requester is told."""
    run_id = args[0]
    if outcome == "retrying":
        run = db.session.get(SuggestionRun, run_id)
        if run is not None and run.status not in ("done", "failed"):
            with committing("the suggestion run"):
                run.status, run.message = "queued", f"Trying again: the last attempt stopped because {reason}."
        return
    _fail(run_id, f"No rectangles could be suggested because {reason}. Try again, or draw them yourself.")


def queue_depth() -> dict[tuple[str, str], int]:
    """Suggestion runs waiting ("queued") and being read ("running"), for /metrics: (kind, state) -> runs."""
    query = select(SuggestionRun.status, func.count()).where(SuggestionRun.status.in_(WAITING))
    counted = {status: runs for status, runs in db.session.execute(query.group_by(SuggestionRun.status))}
    return {("suggestions", state): counted.get(state, 0) for state in WAITING}


def _fail(run_id: str, message: str) -> None:
    """End the run "failed" with ``message`` and tell the person who asked, in one transaction."""
    run = db.session.get(SuggestionRun, run_id)
    if run is None or run.status in ("done", "failed"):
        return
    with committing("the failed suggestion run"):
        run.status, run.message, run.finished_at = "failed", message, clock.now()
        exhibit, requester = db.session.get(Exhibit, run.exhibit_id), db.session.get(User, run.requested_by_id)
        case = db.session.get(Case, exhibit.case_id) if exhibit is not None else None
        if requester is not None and case is not None and exhibit is not None:
            link = f"/cases/{case.number}/exhibits/{exhibit.number}/suggestions/{run.id}"
            notify(requester, NotificationKind.JOB_FAILED, case, f"Suggestions for {exhibit.label}: {message}", link)

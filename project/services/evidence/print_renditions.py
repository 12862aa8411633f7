"""An exhibit's print renditions (an image's JPEG, a PDF's pages, a video's key frames), made after its upload
as a job (``project.jobs``: on a worker when REDIS_URL is set, else right after the upload's commit in the same
request), so a 200-page PDF or an hour of video never holds the upload's request on a queue-backed server.

Each file is written with its row in ``derived_files`` (its own commit, see ``DerivedFiles``) and is read back
by every packet while it matches. The job is safe to run twice: what is already made and still matches is kept.
A rendition that cannot be made here is only logged: the first packet that needs it makes it, or prints a page
that says why it could not. The original is read through the verified read (its SHA-256 checked); making a copy
for print is not a view by a person, so no custody event is written, as at upload before this was a job."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app

from project import jobs
from project.extensions import db
from project.models import Exhibit
from project.services.evidence import renditions
from project.services.evidence.custody import open_original
from project.services.evidence.derived import DerivedFiles
from project.services.evidence.media import MediaRules
from project.services.evidence.pdf_worker import PdfLimits

log = logging.getLogger(__name__)


def make_print_renditions(
    exhibit: Exhibit, evidence_dir: str, pdf_limits: PdfLimits | None = None, media_rules: MediaRules | None = None
) -> None:
    """Make (or check) every print rendition of the exhibit. A video's key frames need ffmpeg and its length;
    audio has none. Raises what the decoder or ffmpeg raised."""
    if exhibit.is_audio or exhibit.purged_at is not None:
        return
    tools = (media_rules or MediaRules()).tools
    if exhibit.is_video and (not tools.available() or exhibit.duration_ms is None):
        return
    data, files = open_original(exhibit, evidence_dir), DerivedFiles(evidence_dir)
    if exhibit.is_video:
        renditions.video_frames(
            evidence_dir, exhibit.sha256, data, exhibit.media_type, tools, exhibit.duration_ms, files
        )
    elif exhibit.media_type == "application/pdf":
        renditions.pdf_renditions(evidence_dir, exhibit.sha256, data, files, pdf_limits)
    elif exhibit.is_image:
        renditions.image_rendition(evidence_dir, exhibit.sha256, data, files)


def queue_print_renditions(exhibit: Exhibit) -> None:
    """After the upload's commit: ask for the exhibit's print renditions. It never fails the upload."""
    if exhibit.is_audio:
        return
    try:
        jobs.enqueue("rendition", exhibit.id)
    except jobs.QueueUnavailable:
        log.warning("print renditions of exhibit %s not queued; the first packet will make them", exhibit.id)


def run_rendition_job(exhibit_id: int) -> None:
    """The job: the exhibit's print renditions, with the limits of this server's settings."""
    config = current_app.config
    exhibit = db.session.get(Exhibit, exhibit_id)
    if exhibit is None:
        return
    make_print_renditions(
        exhibit, config["EVIDENCE_DIR"], PdfLimits.from_config(config), MediaRules.from_config(config)
    )


def settle_rendition_job(args: tuple[Any, ...], outcome: str, reason: str) -> None:
    """A failed rendition is only logged: the packet that needs it makes it again, or says why it cannot."""
    if outcome == "failed":
        log.warning("print renditions of exhibit %s not made because %s; the first packet will try", args[0], reason)

"""The text inside image exhibits, read by Tesseract, so searching finds words inside screenshots.

The text is kept on the exhibit (``ocr_text``, with ``ocr_at``); the search index takes it from there in the
flush that writes it (services/search), masked: see ``search.index``. OCR runs after upload when
``OCR_ON_UPLOAD`` is on and Tesseract is installed (about a second or two per screenshot: on a worker when
REDIS_URL is set, else in the upload's request); otherwise ``flask evidence ocr`` reads every image exhibit
not read yet. PDF captures are not read (their pages are rasterised only for print). Reading the original is
a custody event (``exhibit.text_read``), by the uploader or, from the command, by nobody (the system).
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from project import clock, jobs
from project.extensions import db
from project.models import Exhibit, User
from project.services.audit import Actor, record
from project.services.evidence.custody import open_original
from project.services.evidence.redaction.copies import _decoded_upright
from project.services.evidence.redaction.suggestions import _module, ocr_words
from project.transaction import committing

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OcrSettings:
    """Where the evidence store is and the Tesseract program to run."""

    evidence_dir: str
    tesseract_cmd: str = "tesseract"


def ocr_available(tesseract_cmd: str = "tesseract") -> bool:
    """Whether text can be read at all here: pytesseract importable and the program found."""
    return _module("pytesseract") is not None and shutil.which(tesseract_cmd) is not None


def read_text(exhibit: Exhibit, settings: OcrSettings) -> str:
    """The words Tesseract reads in the exhibit's original, one printed line per line of text."""
    image = _decoded_upright(open_original(exhibit, settings.evidence_dir), exhibit)
    lines: dict[tuple[int, int, int], list[str]] = {}
    for word in ocr_words(image, settings.tesseract_cmd):
        lines.setdefault(word.line, []).append(word.text)
    return "\n".join(" ".join(words) for words in lines.values())


def index_exhibit_text(exhibit: Exhibit, settings: OcrSettings, actor: Actor | None = None) -> None:
    """Read the exhibit's text and keep it on the exhibit, with its custody event, in one commit (the search
    index follows in the same flush). Tesseract runs before the transaction opens."""
    text = read_text(exhibit, settings)
    with committing(f"{exhibit.label} of its case"):
        exhibit.ocr_text = text
        exhibit.ocr_at = clock.now()
        record(
            "exhibit.text_read",
            actor=actor.user if actor else None,
            remote_addr=actor.remote_addr if actor else None,
            case_id=exhibit.case_id,
            object_type="exhibit",
            object_id=exhibit.id,
            detail={"number": exhibit.number, "characters": len(text)},
        )


def index_text_on_upload(exhibit: Exhibit, actor: Actor) -> None:
    """At upload, after the exhibit is committed: read its text, as a job (``project.jobs``: on a worker when
    REDIS_URL is set, else within the upload's request). It never fails the upload."""
    if exhibit.is_image:
        try:
            jobs.enqueue("ocr", exhibit.id, actor.user.id, actor.remote_addr)
        except jobs.QueueUnavailable:
            log.warning("OCR of exhibit %s not queued; `flask evidence ocr` will read it", exhibit.id)


def run_ocr_job(exhibit_id: int, user_id: int, remote_addr: str | None) -> None:
    """The job: read the exhibit's text if Tesseract is here and it was not read yet (a retried job reads it once)."""
    config = current_app.config
    settings = OcrSettings(config["EVIDENCE_DIR"], config.get("TESSERACT_CMD") or "tesseract")
    exhibit, user = db.session.get(Exhibit, exhibit_id), db.session.get(User, user_id)
    if exhibit is None or exhibit.ocr_at is not None or not ocr_available(settings.tesseract_cmd):
        return
    index_exhibit_text(exhibit, settings, Actor(user, remote_addr) if user else None)


def settle_ocr_job(args: tuple[Any, ...], outcome: str, reason: str) -> None:
    """A failed reading is only logged: the exhibit stays unread, for ``flask evidence ocr``."""
    if outcome == "failed":
        log.warning("OCR of exhibit %s failed because %s; `flask evidence ocr` will retry", args[0], reason)


def exhibits_not_read() -> list[Exhibit]:
    """Image exhibits whose text has not been read yet (and whose file was not purged), oldest first."""
    query = select(Exhibit).where(
        Exhibit.ocr_at.is_(None), Exhibit.media_type.like("image/%"), Exhibit.purged_at.is_(None)
    )
    query = query.order_by(Exhibit.id)
    return list(db.session.scalars(query))


def index_pending_texts(settings: OcrSettings) -> tuple[int, list[str]]:
    """Read every image exhibit not read yet: (how many were read, a line per exhibit that failed)."""
    done, failed = 0, []
    for exhibit in exhibits_not_read():
        try:
            index_exhibit_text(exhibit, settings)
            done += 1
        except Exception as error:
            failed.append(f"exhibit {exhibit.id} ({exhibit.sha256[:12]}): {error}")
    return done, failed

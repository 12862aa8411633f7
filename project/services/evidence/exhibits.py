"""Evidence exhibits: taking in an original file, deciding what it is from its bytes (``evidence_inspection``),
storing it unchanged under its SHA-256, numbering it within the case, and the chain of custody of every later
view and download.

An upload either ends with the file in the store, the exhibit row and its custody event committed together,
or with none of them: a failure after the file is written removes a file this upload created (unless another
exhibit already refers to the same bytes) and rolls the transaction back.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from sqlalchemy import func, select

from project import clock, permissions
from project.extensions import db
from project.models import Case, Exhibit
from project.services.audit import Actor, record_for
from project.services.casework import content_changed
from project.services.errors import CaseworkError, InvalidInput, StaleEdit
from project.services.evidence.derived import DerivedFiles
from project.services.evidence.inspection import (
    InspectedFile,
    inspect_file,
    read_limited,
)
from project.services.evidence.media import MediaRules
from project.services.evidence.pdf_worker import PdfLimits
from project.services.evidence.store import READ_ONLY, EvidenceStore
from project.transaction import committing

log = logging.getLogger(__name__)


EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "application/pdf": ".pdf",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "audio/wav": ".wav",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
}
CUSTODY_ACTIONS = {
    "exhibit.uploaded": "Uploaded",
    "exhibit.viewed": "Viewed the original",
    "exhibit.downloaded": "Downloaded the original",
    "exhibit.thumbnail_viewed": "Viewed the thumbnail",
    "exhibit.integrity_failed": "Integrity check FAILED: the stored file does not match its SHA-256",
    "exhibit.redacted": "Made a redacted working copy",
    "exhibit.redacted_viewed": "Viewed the redacted copy",
    "exhibit.redacted_integrity_failed": "Integrity check FAILED: the redacted copy does not match its SHA-256",
    "exhibit.packet_included": "Included in a printed case packet",
    "exhibit.release_reviewed": "Reviewed for release",
    "exhibit.withdrawn": "Withdrawn from the case",
    "exhibit.leak_refused": "Found in a release packet that was refused: the original's pixels",
    "exhibit.text_read": "Text read by OCR for search",
    "exhibit.derived_remade": "A derived copy did not match its recorded SHA-256 and was made again from the verified "
    "original",
    "exhibit.packet_refused": "In a packet whose printing was refused",
    "exhibit.played": "Played the recording (the original, streamed; seeking within 10 minutes is the same playing)",
    "exhibit.transcript_edited": "Changed the transcript",
    "exhibit.duration_read": "Duration read by ffprobe (ffmpeg was not installed at upload)",
    "exhibit.purged": "Purged under the retention rules: the file and every copy made from it deleted",
}


# The details typed by the person ----------------------------------------------------------------------


_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}  # controls, bidi overrides, zero-widths ...


def display_filename(name: str | None) -> str:
    """The uploaded file's name, for display only: no directories, control characters or direction
    overrides, at most 255 characters (the extension kept). The stored file is named by its hash."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _UNSAFE_CATEGORIES)
    name = PurePosixPath(name.replace("\\", "/")).name.strip().lstrip(".")
    if not name:
        return "unnamed"
    if len(name) > 255:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if len(suffix) <= 16 else ""
        name = name[: 255 - len(suffix)] + suffix
    return name


def _check_details(
    description: str, source_url: str | None, captured_at: datetime | None, captured_by: str, capture_method: str
) -> dict[str, str]:
    errors = {}
    if not (description or "").strip():
        errors["description"] = "Describe what the exhibit shows."
    elif len(description.strip()) > 10_000:
        errors["description"] = "The description must be at most 10,000 characters."
    for field, value, what in (
        ("captured_by", captured_by, "who captured it"),
        ("capture_method", capture_method, "how it was captured (method or tool)"),
    ):
        if not (value or "").strip():
            errors[field] = f"Say {what}."
        elif len(value.strip()) > 200:
            errors[field] = "At most 200 characters."
    if problem := _source_url_problem((source_url or "").strip()):
        errors["source_url"] = problem
    if problem := _captured_at_problem(captured_at):
        errors["captured_at"] = problem
    return errors


def _source_url_problem(url: str) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "The source URL must start with http:// or https://."
    if len(url) > 2048:
        return "The source URL must be at most 2,048 characters."
    return None


def _captured_at_problem(captured_at: datetime | None) -> str | None:
    if captured_at is None:
        return None
    if captured_at.tzinfo is None:
        return "The capture time must say its time zone."
    if captured_at > clock.now():
        return "The capture time is in the future."
    return None


# Adding an exhibit ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExhibitInput:
    """An upload as the exhibit form gives it (the field names are the form's): the file and its name,
    and what the investigator says of the capture."""

    file: bytes | BinaryIO
    filename: str | None
    description: str
    source_url: str | None
    captured_at: datetime | None
    captured_by: str
    capture_method: str


@dataclass(frozen=True)
class EvidenceSettings:
    """Where the evidence store is, the largest upload it takes (bytes, and pixels of an image), and whether an
    image's text is read by OCR at upload (``OCR_ON_UPLOAD``, with the ``TESSERACT_CMD`` program), the
    limits on a PDF's pages and on the worker that reads it (None: 200 pages of at most ``max_pixels``), and
    the sizes of audio and video with the ffmpeg programs (None: as large as ``max_bytes``)."""

    evidence_dir: str
    max_bytes: int
    max_pixels: int
    ocr_on_upload: bool = False
    tesseract_cmd: str = "tesseract"
    pdf_limits: PdfLimits | None = None
    media_rules: MediaRules | None = None

    @property
    def largest_bytes(self) -> int:
        rules = self.media_rules
        return max(self.max_bytes, rules.max_audio_bytes, rules.max_video_bytes) if rules else self.max_bytes

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> EvidenceSettings:
        return cls(
            config["EVIDENCE_DIR"],
            config["EVIDENCE_MAX_BYTES"],
            config["EVIDENCE_MAX_PIXELS"],
            bool(config.get("OCR_ON_UPLOAD")),
            config.get("TESSERACT_CMD") or "tesseract",
            PdfLimits.from_config(config),
            MediaRules.from_config(config),
        )


def add_exhibit(
    case: Case, upload: ExhibitInput, actor: Actor, settings: EvidenceSettings, after_decision: bool = False
) -> Exhibit:
    """Take in an original file as the case's next exhibit. Refuses bad input with every message at once,
    writing nothing; stores the file, the row and the custody event together, or none of them.

    ``after_decision``: a document of what followed the decision (an arbitration award), added by labor
    relations while the case is in discipline. It is not a change to what the case says, so the approval
    stands and the content version does not move."""
    if after_decision:
        permissions.require(
            permissions.can_work_grievances(actor.user, case),
            "Only labor relations adds an award document, while the case is in discipline.",
        )
    else:
        permissions.require(
            permissions.can_edit_case(actor.user, case),
            "Only the assigned investigator adds exhibits, while the case is under investigation.",
        )
    errors = _check_details(
        upload.description, upload.source_url, upload.captured_at, upload.captured_by, upload.capture_method
    )
    inspected = None
    evidence_dir, filename = settings.evidence_dir, upload.filename
    try:
        inspected = inspect_file(
            read_limited(upload.file, settings.largest_bytes),
            filename or "",
            settings.max_bytes,
            settings.max_pixels,
            settings.pdf_limits,
            settings.media_rules,
        )
    except InvalidInput as refused:
        errors |= refused.errors
    if inspected is not None and (twin := _same_file_in(case, inspected.sha256)) is not None:
        errors["file"] = _identical_message(twin)
    if errors or inspected is None:
        raise InvalidInput(errors)
    details: dict[str, object] = {
        "original_filename": display_filename(filename),
        "description": upload.description.strip(),
        "source_url": (upload.source_url or "").strip() or None,
        "captured_at": upload.captured_at,
        "captured_by": upload.captured_by.strip(),
        "capture_method": upload.capture_method.strip(),
    }
    store = EvidenceStore(evidence_dir)
    derived = DerivedFiles(evidence_dir, deferred=True)  # their hashes are committed with the exhibit
    with store.exclusive():
        created: list[Path] = []
        try:
            if store.put_original(inspected.sha256, inspected.data):
                created.append(store.original_path(inspected.sha256))
            _prepare_derived(store, derived, inspected)
            exhibit = _save_exhibit(case, inspected, details, actor, derived, after_decision)
        except BaseException:  # the transaction was rolled back: remove the files no committed exhibit holds
            _discard_unreferenced(store, inspected.sha256, created + derived.created)
            raise
    # imported here: these jobs read the original through custody, which imports this module
    from project.services.evidence.ocr import index_text_on_upload
    from project.services.evidence.print_renditions import queue_print_renditions

    queue_print_renditions(exhibit)
    if settings.ocr_on_upload:
        index_text_on_upload(exhibit, actor)
    return exhibit


def _prepare_derived(store: EvidenceStore, derived: DerivedFiles, inspected: InspectedFile) -> None:
    """Write the thumbnail, whose hash is recorded with the upload's commit. The print renditions are a job
    after the commit (``print_renditions``); audio has neither."""
    sha256 = inspected.sha256
    if inspected.thumbnail and derived.read(store.thumbnail_path(sha256), sha256) is None:
        derived.write("thumbnail", store.thumbnail_path(sha256), inspected.thumbnail, sha256, mode=READ_ONLY)


def _save_exhibit(
    case: Case,
    inspected: InspectedFile,
    details: dict[str, object],
    actor: Actor,
    derived: DerivedFiles,
    after_decision: bool = False,
) -> Exhibit:
    """Insert the row under the case's lock; if someone else changed the case meanwhile, try once more."""
    for attempt in (1, 2):
        try:
            return _insert_exhibit(case, inspected, details, actor, derived, after_decision)
        except StaleEdit:
            if attempt == 2:
                raise CaseworkError(
                    f"Case {case.number} was being changed by someone else at the same moment, so the exhibit "
                    "was not saved. Upload it again."
                ) from None
    raise AssertionError("unreachable")


def _insert_exhibit(
    case: Case,
    inspected: InspectedFile,
    details: dict[str, object],
    actor: Actor,
    derived: DerivedFiles,
    after_decision: bool = False,
) -> Exhibit:
    with committing(f"case {case.number}", duplicate_is_conflict=True):
        if after_decision:
            case.updated_at = clock.now()  # the case row is still written first, so additions queue
        else:
            content_changed(case, actor, "exhibit added")
        db.session.flush()  # the case row is written (and locked) first: concurrent additions queue here
        twin = _same_file_in(case, inspected.sha256)
        if twin is not None:
            raise InvalidInput({"file": _identical_message(twin)})
        number = (db.session.scalar(select(func.max(Exhibit.number)).where(Exhibit.case_id == case.id)) or 0) + 1
        exhibit = Exhibit(
            case_id=case.id,
            number=number,
            sha256=inspected.sha256,
            media_type=inspected.media_type,
            size_bytes=len(inspected.data),
            width=inspected.width,
            height=inspected.height,
            page_count=inspected.page_count,
            active_content=inspected.active_content,
            duration_ms=inspected.duration_ms,
            uploaded_by_id=actor.user.id,
            uploaded_at=clock.now(),
            **details,
        )
        db.session.add(exhibit)
        db.session.flush()
        record_for(
            actor,
            "exhibit.uploaded",
            case_id=case.id,
            object_type="exhibit",
            object_id=exhibit.id,
            detail={
                "sha256": exhibit.sha256,
                "number": number,
                "media_type": exhibit.media_type,
                "size_bytes": exhibit.size_bytes,
                "filename": exhibit.original_filename,
            }
            | ({"duration_ms": exhibit.duration_ms} if exhibit.duration_ms is not None else {})
            | ({"active_content": exhibit.active_content} if exhibit.active_content else {}),
        )
        derived.record_pending()  # the thumbnail's SHA-256, in the same commit
    return exhibit


def _discard_unreferenced(store: EvidenceStore, sha256: str, created: list[Path]) -> None:
    """After a failed upload, remove the files it created, unless a committed exhibit refers to them."""
    if not created:
        return
    try:
        referenced = db.session.scalar(select(Exhibit.id).where(Exhibit.sha256 == sha256).limit(1)) is not None
    except Exception:
        return
    if not referenced:
        for path in created:
            store.remove(path)


def _same_file_in(case: Case, sha256: str) -> Exhibit | None:
    return db.session.scalars(select(Exhibit).where(Exhibit.case_id == case.id, Exhibit.sha256 == sha256)).first()


def _identical_message(twin: Exhibit) -> str:
    when = twin.uploaded_at.astimezone(clock.zone()).strftime("%Y-%m-%d %H:%M %Z")
    return (
        f"This file is identical to {twin.label}, uploaded {when} by {twin.uploaded_by.name} "
        f"(same SHA-256). It is not stored twice."
    )

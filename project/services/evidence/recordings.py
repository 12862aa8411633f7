"""Audio and video exhibits in use (issue 17, item 3): playing the original in the page, and its transcript.

Playing streams the stored original in byte ranges (a player asks for many while it seeks). Each range leaves
only after the file is checked against its SHA-256 and access is checked, and it is covered by an
``exhibit.played`` custody event of the same person on the same exhibit within the last ``PLAYING_WINDOW``:
the first range of a playing writes one, the ranges of the same playing are part of it (ranges asked for at
the same moment, before the first event is committed, may each write one: never none). The check of the hash
reads the whole file once; it is read again only when the file's inode, size, modification or change time
differ from when it was last found whole (any write to the file changes its change time).

The transcript is typed by the assigned investigator while the case is under investigation; every change is
a custody event with the text before and after, and a change of the case's content (voiding an approval)."""

from __future__ import annotations

import hashlib
import os
import threading
from datetime import timedelta
from typing import BinaryIO

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import AuditEvent, Case, Exhibit
from project.services.audit import Actor, record, record_for
from project.services.casework import content_changed
from project.services.errors import InvalidInput
from project.services.evidence.custody import _check_access, custody_event, open_original
from project.services.evidence.media import DEMUXERS, MEDIA_KINDS
from project.services.evidence.media_tools import MediaLimits, MediaToolFailed, media_file, probe
from project.services.evidence.purge import refuse_if_purged
from project.services.evidence.store import EvidenceStore, EvidenceTampered
from project.transaction import committing

PLAYING_WINDOW = timedelta(minutes=10)
TRANSCRIPT_MAX = 200_000
_verified: dict[str, tuple[int, int, int, int]] = {}  # sha256: (inode, size, mtime_ns, ctime_ns) found whole
_lock = threading.Lock()


def play_recording(case: Case, exhibit: Exhibit, actor: Actor, evidence_dir: str) -> BinaryIO:
    """The stored original, opened for reading, once it is known to match its SHA-256 and the playing is in
    the chain of custody. The caller serves the ranges asked for from it and closes it."""
    _check_access(case, exhibit, actor)
    if not exhibit.is_media:
        raise InvalidInput({"file": f"{exhibit.label} is not an audio recording or a video."})
    handle = _open_verified(case, exhibit, actor, evidence_dir)
    try:
        if not _playing_recorded(exhibit, actor):
            custody_event(case, exhibit, actor, "exhibit.played")
    except BaseException:
        handle.close()
        raise
    return handle


def _open_verified(case: Case, exhibit: Exhibit, actor: Actor, evidence_dir: str) -> BinaryIO:
    refuse_if_purged(exhibit)
    path = EvidenceStore(evidence_dir).original_path(exhibit.sha256)
    try:
        handle: BinaryIO = open(path, "rb")
    except FileNotFoundError:
        return _tampered(case, exhibit, actor, "is missing from the evidence store")
    stat = os.fstat(handle.fileno())
    key = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    with _lock:
        known = _verified.get(exhibit.sha256) == key
    if not known:
        digest = hashlib.sha256()
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
        handle.seek(0)
        if digest.hexdigest() != exhibit.sha256:
            handle.close()
            return _tampered(
                case,
                exhibit,
                actor,
                f"no longer matches the SHA-256 recorded when it was uploaded (recorded {exhibit.sha256}, the "
                f"stored file now hashes to {digest.hexdigest()})",
            )
        with _lock:
            _verified[exhibit.sha256] = key
    return handle


def _tampered(case: Case, exhibit: Exhibit, actor: Actor, what: str) -> BinaryIO:
    message = f"The stored original of {exhibit.label} {what}. It has not been played; report this to an administrator."
    with _lock:
        _verified.pop(exhibit.sha256, None)
    custody_event(case, exhibit, actor, "exhibit.integrity_failed", {"problem": message})
    raise EvidenceTampered(message)


def _playing_recorded(exhibit: Exhibit, actor: Actor) -> bool:
    """Whether the person's playing of this exhibit was recorded within the last ``PLAYING_WINDOW``."""
    since = clock.now() - PLAYING_WINDOW
    return (
        db.session.scalar(
            select(AuditEvent.id)
            .where(
                AuditEvent.object_type == "exhibit",
                AuditEvent.object_id == str(exhibit.id),
                AuditEvent.action == "exhibit.played",
                AuditEvent.actor_id == actor.user.id,
                AuditEvent.occurred_at >= since,
            )
            .limit(1)
        )
        is not None
    )


# The transcript ------------------------------------------------------------------------------------------


def transcript_version(exhibit: Exhibit) -> str:
    """What the edit form says it started from: the time of the last change ("" when never typed)."""
    return exhibit.transcript_at.isoformat() if exhibit.transcript_at else ""


def save_transcript(case: Case, exhibit: Exhibit, text: str, actor: Actor, started_from: str | None = None) -> bool:
    """Keep the typed transcript of an audio or video exhibit, with a custody event holding the text before
    and after, in one commit. Returns False (writing nothing) when the text did not change. ``started_from``
    (``transcript_version`` when the form was opened): refused when someone changed it meanwhile."""
    permissions.require(
        exhibit.case_id == case.id and permissions.can_edit_case(actor.user, case),
        "Only the assigned investigator changes a transcript, while the case is under investigation.",
    )
    if not exhibit.is_media:
        raise InvalidInput(
            {"transcript": f"{exhibit.label} is not an audio recording or a video: it has no transcript."}
        )
    if exhibit.is_withdrawn:
        raise InvalidInput({"transcript": f"{exhibit.label} is withdrawn: its transcript is kept as it was."})
    text = "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    text = text.strip("\n")
    if len(text) > TRANSCRIPT_MAX:
        raise InvalidInput({"transcript": f"The transcript must be at most {TRANSCRIPT_MAX:,} characters."})
    if started_from is not None and started_from != transcript_version(exhibit):
        who = exhibit.transcript_by.name if exhibit.transcript_by else "someone"
        raise InvalidInput(
            {
                "transcript": f"{who} changed this transcript after you opened it. Nothing was saved: reload the "
                "page to see their text, then make your change again."
            }
        )
    before = exhibit.transcript or ""
    if text == before:
        return False
    with committing(f"the transcript of {exhibit.label}"):
        content_changed(case, actor, "transcript changed")
        exhibit.transcript = text or None
        exhibit.transcript_by_id, exhibit.transcript_at = actor.user.id, clock.now()
        record_for(
            actor,
            "exhibit.transcript_edited",
            case_id=case.id,
            object_type="exhibit",
            object_id=exhibit.id,
            detail={"sha256": exhibit.sha256, "number": exhibit.number, "before": before, "after": text},
        )
    return True


# Durations read later ------------------------------------------------------------------------------------


def read_missing_durations(evidence_dir: str, tools: MediaLimits) -> tuple[int, list[str]]:
    """Read the duration (and a video's picture size) of every audio or video exhibit uploaded while ffmpeg was
    not installed, from its verified original, each with an ``exhibit.duration_read`` custody event by the
    system: (how many were read, a line per exhibit that failed)."""
    waiting = db.session.scalars(
        select(Exhibit)
        .where(Exhibit.media_type.in_(MEDIA_KINDS), Exhibit.duration_ms.is_(None), Exhibit.purged_at.is_(None))
        .order_by(Exhibit.case_id, Exhibit.number)
    ).all()
    done, failed = 0, []
    for exhibit in waiting:
        try:
            with media_file(open_original(exhibit, evidence_dir)) as path:
                facts = probe(path, DEMUXERS[exhibit.media_type], tools)
            if facts.duration_ms is None:
                raise MediaToolFailed("ffprobe found no duration in it")
            with committing(f"{exhibit.label} of its case"):
                exhibit.duration_ms, exhibit.width, exhibit.height = facts.duration_ms, facts.width, facts.height
                record(
                    "exhibit.duration_read",
                    object_type="exhibit",
                    object_id=exhibit.id,
                    case_id=exhibit.case_id,
                    detail={"sha256": exhibit.sha256, "number": exhibit.number, "duration_ms": facts.duration_ms},
                )
            done += 1
        except (MediaToolFailed, EvidenceTampered) as failure:
            failed.append(f"exhibit {exhibit.id} ({exhibit.sha256[:12]}): {failure}")
    return done, failed

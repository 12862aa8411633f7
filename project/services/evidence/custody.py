"""Reading exhibits, and releasing their originals with the chain of custody: every view, download and
integrity failure is recorded before a byte leaves the system."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from project import permissions
from project.extensions import db
from project.models import AuditEvent, Case, Exhibit
from project.services.audit import Actor, record_for
from project.services.evidence.derived import DerivedFiles
from project.services.evidence.exhibits import EXTENSIONS
from project.services.evidence.inspection import (
    make_thumbnail,
    pillow_formats,
)
from project.services.evidence.purge import refuse_if_purged
from project.services.evidence.store import READ_ONLY, EvidenceStore, EvidenceTampered, sha256_of
from project.transaction import committing

# Reading exhibits and their chain of custody ----------------------------------------------------------


def exhibits_of(case: Case) -> list[Exhibit]:
    return list(db.session.scalars(select(Exhibit).where(Exhibit.case_id == case.id).order_by(Exhibit.number)))


def exhibit_of(case: Case, number: int) -> Exhibit | None:
    return db.session.scalars(select(Exhibit).where(Exhibit.case_id == case.id, Exhibit.number == number)).first()


def custody_log(exhibit: Exhibit) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "exhibit", AuditEvent.object_id == str(exhibit.id))
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
            .options(selectinload(AuditEvent.actor))
        )
    )


def download_name(case: Case, exhibit: Exhibit) -> str:
    return f"{case.number}-exhibit-{exhibit.number}{EXTENSIONS[exhibit.media_type]}"


def open_original(exhibit: Exhibit, evidence_dir: str) -> bytes:
    """The stored original, after checking that it still hashes to the SHA-256 recorded at upload; a purged
    exhibit's is refused (``ExhibitPurged``), saying when and under which rule."""
    refuse_if_purged(exhibit)
    data = EvidenceStore(evidence_dir).read_original(exhibit.sha256)
    if data is None:
        raise EvidenceTampered(
            f"The stored original of {exhibit.label} is missing from the evidence store. It cannot be shown; "
            "report this to an administrator."
        )
    found = sha256_of(data)
    if found != exhibit.sha256:
        raise EvidenceTampered(
            f"The stored original of {exhibit.label} no longer matches the SHA-256 recorded when it was uploaded "
            f"(recorded {exhibit.sha256}, the stored file now hashes to {found}). It has not been shown; "
            "report this to an administrator."
        )
    return data


def view_original(case: Case, exhibit: Exhibit, actor: Actor, evidence_dir: str) -> bytes:
    return _release(case, exhibit, actor, evidence_dir, "exhibit.viewed")


def download_original(case: Case, exhibit: Exhibit, actor: Actor, evidence_dir: str) -> bytes:
    return _release(case, exhibit, actor, evidence_dir, "exhibit.downloaded")


def view_thumbnail(case: Case, exhibit: Exhibit, actor: Actor, evidence_dir: str) -> bytes | None:
    """The exhibit's thumbnail (None for a PDF), shown only while the original still matches its SHA-256 (no
    thumbnail of an altered original). A thumbnail missing, altered or without its recorded hash is made again
    from the verified original, with a custody event."""
    _check_access(case, exhibit, actor)
    if not exhibit.is_image:
        return None
    original = verified_original(case, exhibit, actor, evidence_dir)
    derived = DerivedFiles(evidence_dir)
    path = EvidenceStore(evidence_dir).thumbnail_path(exhibit.sha256)
    png = derived.read(path, exhibit.sha256)
    if png is None:
        with Image.open(io.BytesIO(original), formats=pillow_formats(exhibit.media_type)) as image:
            image.load()
            png = make_thumbnail(image)
        derived.write("thumbnail", path, png, exhibit.sha256, mode=READ_ONLY)
    custody_event(case, exhibit, actor, "exhibit.thumbnail_viewed")
    return png


def _release(case: Case, exhibit: Exhibit, actor: Actor, evidence_dir: str, action: str) -> bytes:
    """The verified original, with its custody event committed before a byte leaves the system."""
    _check_access(case, exhibit, actor)
    data = verified_original(case, exhibit, actor, evidence_dir)
    custody_event(case, exhibit, actor, action)
    return data


def verified_original(case: Case, exhibit: Exhibit, actor: Actor, evidence_dir: str) -> bytes:
    try:
        return open_original(exhibit, evidence_dir)
    except EvidenceTampered as failure:
        custody_event(case, exhibit, actor, "exhibit.integrity_failed", {"problem": str(failure)})
        raise


def _check_access(case: Case, exhibit: Exhibit, actor: Actor) -> None:
    permissions.require(
        exhibit.case_id == case.id and permissions.can_view_evidence(actor.user, case),
        "You may not see the evidence of this case.",
    )


def custody_event(case: Case, exhibit: Exhibit, actor: Actor, action: str, extra: dict | None = None) -> None:
    """An event in the exhibit's chain of custody, committed on its own."""
    with committing("the chain of custody"):
        record_custody(case, exhibit, actor, action, extra)


def record_custody(case: Case, exhibit: Exhibit, actor: Actor, action: str, extra: dict | None = None) -> None:
    """An event in the exhibit's chain of custody, in the transaction already open: the exhibit's hash and
    number, and ``extra``."""
    record_for(
        actor,
        action,
        case_id=case.id,
        object_type="exhibit",
        object_id=exhibit.id,
        detail={"sha256": exhibit.sha256, "number": exhibit.number} | (extra or {}),
    )

"""Redacting an exhibit image: rectangles blacked out of a working copy whose pixels are really replaced,
saved as a metadata-free PNG in the evidence store. The original file is never touched and keeps its hash.

Coordinates. A region is ``{"x", "y", "w", "h"}`` in whole pixels of the original image *as shown upright*,
that is after its EXIF orientation tag (if any) is applied, the way browsers show it and the way the
exhibit's thumbnail is made; (0, 0) is the top-left corner. For an image without an orientation tag (every
screenshot) these are exactly the pixel coordinates of the stored file. The redacted copy is stored upright,
with no orientation tag, so the same coordinates address the same pixels in it.

    EVIDENCE_DIR/derived/redacted/<sha256>.png    the redacted copy, named by its own SHA-256, read-only

A redaction is a working copy, not a change to what the case says: it does not move the case's content
version (``workflow.content_changed`` is not called), so it voids no approval and can be made on an
approved case before release.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import Case, Exhibit, ExhibitRedaction
from project.permissions import can_view_evidence, require
from project.services.audit import Actor
from project.services.errors import CaseworkError, InvalidInput
from project.services.evidence import derived
from project.services.evidence.custody import custody_event, open_original, record_custody, verified_original
from project.services.evidence.inspection import pillow_formats
from project.services.evidence.purge import refuse_if_purged
from project.services.evidence.redaction.regions import KEYS, bounds_problems, reason_problem, shape_problems
from project.services.evidence.store import SHA256_HEX, EvidenceStore, EvidenceTampered, sha256_of, write_atomically
from project.transaction import committing

# EXIF orientation -> the transposition that shows the image upright (the table ImageOps.exif_transpose uses)
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
ORIENTATION_TAG = 0x0112


class RedactedCopyTampered(EvidenceTampered):
    """The redacted copy in the store is missing or no longer hashes to the SHA-256 recorded for it."""


# Who may redact --------------------------------------------------------------------------------------


# Making the redacted copy ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RedactionInput:
    """What the redaction form gives: the rectangles to black out (``{"x", "y", "w", "h"}`` in upright
    original pixels) and the reason for the redaction."""

    regions: list[dict[str, Any]]
    reason: str


def redact_exhibit(
    case: Case, exhibit: Exhibit, entry: RedactionInput, actor: Actor, evidence_dir: str
) -> ExhibitRedaction:
    """Black out ``regions`` (upright original pixels, see the module's docstring) in a new working copy of
    an image exhibit and record it, with its ``exhibit.redacted`` audit event, in one commit.

    Bad input (a PDF, no region, a region malformed or outside the image, no reason) is refused with
    ``InvalidInput`` by field ("regions", "reason") and writes nothing. The original is read through the
    verified read: a tampered original refuses with ``EvidenceTampered`` (recorded in its custody log).
    The copy is a PNG of the decoded pixels only: no EXIF, GPS, text chunks or ICC profile. This does not
    call ``workflow.content_changed``: a working copy is not a change to what the case says."""
    require(
        exhibit.case_id == case.id and permissions.can_redact(actor.user, case),
        "Only the assigned investigator, a supervisor or labor relations may redact this case's exhibits.",
    )
    if not exhibit.is_image:
        raise InvalidInput(
            {"regions": f"{exhibit.label} is a PDF: only images (PNG, JPEG, WebP) can be redacted here."}
        )
    errors = {}
    regions, reason = entry.regions, (entry.reason or "").strip()
    if problem := reason_problem(reason):
        errors["reason"] = problem
    if problem := shape_problems(regions):
        errors["regions"] = problem
        raise InvalidInput(errors)
    image = _decoded_upright(verified_original(case, exhibit, actor, evidence_dir), exhibit)
    if problem := bounds_problems(regions, *image.size):
        errors["regions"] = problem
    if errors:
        raise InvalidInput(errors)
    clean = [{key: region[key] for key in KEYS} for region in regions]
    png = _blacked_out(image, clean)
    return _save_redaction(case, exhibit, clean, reason, png, actor, evidence_dir)


def _opened(data: bytes, exhibit: Exhibit) -> Image.Image:
    with warnings.catch_warnings(action="ignore", category=Image.DecompressionBombWarning):
        return Image.open(io.BytesIO(data), formats=pillow_formats(exhibit.media_type))


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(ORIENTATION_TAG, 1)
    except Exception:
        return 1
    return value if value in UPRIGHT else 1


def _decoded_upright(data: bytes, exhibit: Exhibit) -> Image.Image:
    """Every pixel decoded (first frame of an animation), turned upright, as RGB or RGBA; nothing else."""
    try:
        with _opened(data, exhibit) as image:
            image.load()
            orientation = _orientation(image)
            alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            decoded: Image.Image = image
            if image.mode.startswith("I") and not alpha:  # 16-bit grey: scale to 8 bits, not clip to white
                decoded = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
            pixels = decoded.convert("RGBA" if alpha else "RGB")
    except Exception:
        raise CaseworkError(
            f"{exhibit.label} could not be decoded for redaction. Report this to an administrator."
        ) from None
    if orientation in UPRIGHT:
        pixels = pixels.transpose(UPRIGHT[orientation])
    return pixels


def _blacked_out(image: Image.Image, regions: Iterable[dict[str, int]]) -> bytes:
    """The pixels inside each rectangle replaced by opaque black, saved as a PNG from a fresh image so no
    metadata of the original (EXIF, GPS, text, ICC profile) can follow the pixels."""
    black = (0, 0, 0, 255) if image.mode == "RGBA" else (0, 0, 0)
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    for region in regions:
        clean.paste(black, (region["x"], region["y"], region["x"] + region["w"], region["y"] + region["h"]))
    out = io.BytesIO()
    clean.save(out, "PNG")
    return out.getvalue()


def upright_size(case: Case, exhibit: Exhibit, actor: Actor, evidence_dir: str) -> tuple[int, int]:
    """The (width, height) region coordinates refer to: the verified original's, after its orientation.
    Reads only the header; no bytes leave the system, so no custody event unless the check fails."""
    require(
        exhibit.case_id == case.id and can_view_evidence(actor.user, case), "You may not see the evidence of this case."
    )
    with _opened(verified_original(case, exhibit, actor, evidence_dir), exhibit) as image:
        width, height = image.size
        if _orientation(image) in (5, 6, 7, 8):  # turned a quarter: the sides swap
            width, height = height, width
    return width, height


def redacted_path(evidence_dir: str, sha256: str) -> Path:
    if not SHA256_HEX.fullmatch(sha256):
        raise ValueError(f"not a SHA-256: {sha256!r}")
    return Path(evidence_dir) / "derived" / "redacted" / f"{sha256}.png"


def _save_redaction(
    case: Case,
    exhibit: Exhibit,
    regions: list[dict[str, int]],
    reason: str,
    png: bytes,
    actor: Actor,
    evidence_dir: str,
) -> ExhibitRedaction:
    """Store the copy (reused when the same redaction was made before) and commit the row with its event;
    on failure remove a file this call created that no committed redaction refers to."""
    sha = sha256_of(png)
    path = redacted_path(evidence_dir, sha)
    store = EvidenceStore(evidence_dir)
    with store.exclusive():
        created, remade = False, None
        try:
            if not path.exists():
                write_atomically(path, png)
                created = True
            elif (found := sha256_of(path.read_bytes())) != sha:  # altered: replaced by the copy just made
                write_atomically(path, png)
                remade = f"was altered (the stored file hashed to {found})"
            with committing(f"the redaction of {exhibit.label}"):
                redaction = ExhibitRedaction(
                    exhibit_id=exhibit.id,
                    regions=regions,
                    redacted_sha256=sha,
                    reason=reason,
                    created_by_id=actor.user.id,
                    created_at=clock.now(),
                )
                db.session.add(redaction)
                db.session.flush()
                record_custody(
                    case,
                    exhibit,
                    actor,
                    "exhibit.redacted",
                    {
                        "redaction_id": redaction.id,
                        "redacted_sha256": sha,
                        "region_count": len(regions),
                        "reason": reason,
                    },
                )
                if remade is not None:
                    derived.record_remade("redacted", derived.relative_name(evidence_dir, path), sha, remade)
            return redaction
        except BaseException:  # the transaction was rolled back: the copy goes unless a committed row holds it
            if created and not _referenced(sha):
                store.remove(path)
            raise


def _referenced(sha256: str) -> bool:
    try:
        found = (
            db.session.scalar(select(ExhibitRedaction.id).where(ExhibitRedaction.redacted_sha256 == sha256).limit(1))
            is not None
        )
    except Exception:
        return True
    return found


# Reading redactions ----------------------------------------------------------------------------------


def redactions_of(exhibit: Exhibit) -> list[ExhibitRedaction]:
    """The exhibit's redactions, newest first."""
    return list(
        db.session.scalars(
            select(ExhibitRedaction)
            .where(ExhibitRedaction.exhibit_id == exhibit.id)
            .order_by(ExhibitRedaction.created_at.desc(), ExhibitRedaction.id.desc())
        )
    )


def current_redaction(exhibit: Exhibit) -> ExhibitRedaction | None:
    """The newest redaction of the exhibit: the one redacted packets use (None when there is none)."""
    return db.session.scalars(
        select(ExhibitRedaction)
        .where(ExhibitRedaction.exhibit_id == exhibit.id)
        .order_by(ExhibitRedaction.created_at.desc(), ExhibitRedaction.id.desc())
        .limit(1)
    ).first()


def redaction_of(exhibit: Exhibit, redaction_id: int) -> ExhibitRedaction | None:
    return db.session.scalars(
        select(ExhibitRedaction).where(ExhibitRedaction.id == redaction_id, ExhibitRedaction.exhibit_id == exhibit.id)
    ).first()


def redacted_bytes(redaction: ExhibitRedaction, evidence_dir: str) -> bytes:
    """The redacted copy's PNG bytes, checked against the recorded SHA-256. A copy missing or altered is made
    again from the verified original and its regions (with an ``exhibit.derived_remade`` custody event) when
    that gives the recorded bytes; otherwise ``RedactedCopyTampered`` (an ``EvidenceTampered``) names the
    exhibit, and an altered original refuses with ``EvidenceTampered``."""
    exhibit = db.session.get(Exhibit, redaction.exhibit_id)
    label = exhibit.label if exhibit is not None else f"exhibit #{redaction.exhibit_id}"
    path = redacted_path(evidence_dir, redaction.redacted_sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = None
    if data is not None and sha256_of(data) == redaction.redacted_sha256:
        return data
    if data is None:
        failure = RedactedCopyTampered(
            f"The redacted copy of {label} (SHA-256 {redaction.redacted_sha256}) is missing from the evidence "
            "store. It cannot be used; redact the exhibit again or report this to an administrator."
        )
        problem = "was missing"
    else:
        failure = _altered(data, redaction.redacted_sha256, exhibit)
        problem = f"was altered (the stored file hashed to {sha256_of(data)})"
    if exhibit is None:
        raise failure
    png = _blacked_out(_decoded_upright(open_original(exhibit, evidence_dir), exhibit), redaction.regions)
    if sha256_of(png) != redaction.redacted_sha256:  # this Pillow no longer makes the same bytes
        raise failure
    write_atomically(path, png)
    with committing("the chain of custody"):
        derived.record_remade("redacted", derived.relative_name(evidence_dir, path), redaction.redacted_sha256, problem)
    return png


def _altered(data: bytes, sha256: str, exhibit: Exhibit | None) -> RedactedCopyTampered:
    label = exhibit.label if exhibit is not None else "an exhibit"
    return RedactedCopyTampered(
        f"The redacted copy of {label} no longer matches the SHA-256 recorded when it was made (recorded "
        f"{sha256}, the stored file now hashes to {sha256_of(data)}). It has not been used; report this to an "
        "administrator."
    )


def view_redacted(
    case: Case, exhibit: Exhibit, actor: Actor, evidence_dir: str, redaction_id: int | None = None
) -> tuple[ExhibitRedaction, bytes] | None:
    """The newest (or the named) redacted copy of the exhibit, verified, with its ``exhibit.redacted_viewed``
    custody event committed before a byte leaves; None when there is no such redaction."""
    require(
        exhibit.case_id == case.id and can_view_evidence(actor.user, case), "You may not see the evidence of this case."
    )
    refuse_if_purged(exhibit)
    redaction = current_redaction(exhibit) if redaction_id is None else redaction_of(exhibit, redaction_id)
    if redaction is None:
        return None
    detail = {"redaction_id": redaction.id, "redacted_sha256": redaction.redacted_sha256}
    try:
        data = redacted_bytes(redaction, evidence_dir)
    except EvidenceTampered as failure:  # the copy, or the original it would be made again from
        action = "exhibit.redacted_integrity_failed" if isinstance(failure, RedactedCopyTampered) else None
        custody_event(case, exhibit, actor, action or "exhibit.integrity_failed", detail | {"problem": str(failure)})
        raise
    custody_event(case, exhibit, actor, "exhibit.redacted_viewed", detail)
    return redaction, data

"""What a case packet holds, gathered from the case as it stands: the sections, the exhibits with their
print renditions, and what the redacted variant masks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from project import clock
from project.extensions import db
from project.models import AuditEvent, Case, Exhibit
from project.services import discipline, evidence
from project.services.casework import CaseFile, case_file
from project.services.deadlines import Deadline, case_deadlines
from project.services.errors import CaseworkError
from project.services.masking import Identifier, classify_contact

REDACTED = "[REDACTED]"
log = logging.getLogger(__name__)


class PacketRefused(CaseworkError):
    """The packet cannot be printed; the message says why, naming the exhibit when one is at fault."""


@dataclass
class PacketExhibit:
    """An exhibit as the packet shows it: its rendered pages, or (``problem``) why it could not be rendered,
    in which case it takes one page that says so."""

    exhibit: Exhibit
    page_urls: list[str]
    redacted: bool
    attachment_name: str
    problem: str | None = None

    @property
    def pages(self) -> list[str | None]:
        """One entry per printed page: an image URL, or None for the page that says it could not be rendered."""
        return list(self.page_urls) or [None]

    @property
    def anchor(self) -> str:
        return f"exhibit-{self.exhibit.number}"

    @property
    def last_anchor(self) -> str:
        return f"exhibit-{self.exhibit.number}-page-{len(self.pages)}"


@dataclass
class PacketData:
    file: CaseFile
    variant: str
    bates_prefix: str
    as_of: datetime
    exhibits: list[PacketExhibit]
    custody: list[AuditEvent]
    prior: dict[int, list[discipline.ActiveDiscipline]]
    deadlines: list[Deadline]
    masked: list[Identifier]
    images: dict[str, tuple[bytes, str]] = field(default_factory=dict, repr=False)
    originals: dict[str, tuple[bytes, datetime]] = field(default_factory=dict, repr=False)

    @property
    def case(self) -> Case:
        return self.file.case

    @property
    def as_of_date(self) -> date:
        return clock.local_date(self.as_of)


def _redaction_of(exhibit: Exhibit, evidence_dir: str) -> tuple[str, bytes] | None:
    """The newest redacted working copy of an exhibit (its SHA-256 and bytes), when redaction exists."""
    current = evidence.current_redaction(exhibit)
    if current is None:
        return None
    return current.redacted_sha256, evidence.redacted_bytes(current, evidence_dir)


Progress = Callable[[int, int, str], None]


def _renditions(exhibit: Exhibit, evidence_dir: str, sha256: str, source: bytes) -> tuple[list[bytes], str | None]:
    """The exhibit's print pages, or none and why: a stored file that cannot be rendered (a "PDF" that holds
    HTML, say) is shown as a page that says so, and never stops the packet. Its integrity was checked before."""
    try:
        if exhibit.is_image:
            return [evidence.image_rendition(evidence_dir, sha256, source)], None
        pages = evidence.pdf_renditions(evidence_dir, sha256, source)
        if not pages:
            raise ValueError("the PDF has no page")
    except Exception as failure:  # any decoder's error: the file, not the packet, is at fault
        log.warning("%s (%s) of case %s cannot be rendered: %r", exhibit.label, sha256, exhibit.case_id, failure)
        kind = "image" if exhibit.is_image else "PDF"
        return [], (
            f"The stored file could not be rendered for printing: it is not a readable {kind} "
            f"({exhibit.media_type}). The original is kept unchanged in the evidence store under the SHA-256 below."
        )
    return pages, None


def _exhibits(case: Case, variant: str, evidence_dir: str, data: PacketData, progress: Progress) -> None:
    exhibits = evidence.exhibits_of(case)
    for index, exhibit in enumerate(exhibits, start=1):
        progress(index - 1, len(exhibits) + 2, f"Checking and preparing {exhibit.label} of {len(exhibits)}")
        try:
            original = evidence.open_original(exhibit, evidence_dir)
        except evidence.EvidenceTampered as exc:
            raise PacketRefused(f"The packet was not printed: {exc}") from exc
        extension = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}.get(exhibit.media_type, "pdf")
        source_sha, source = exhibit.sha256, original
        redacted = False
        if variant == "redacted" and exhibit.is_image:
            try:
                copy = _redaction_of(exhibit, evidence_dir)
            except evidence.EvidenceTampered as exc:
                raise PacketRefused(f"The packet was not printed: {exc}") from exc
            if copy is not None:
                (source_sha, source), redacted = copy, True
        renditions, problem = _renditions(exhibit, evidence_dir, source_sha, source)
        urls = []
        for page, rendition in enumerate(renditions, start=1):
            url = f"casefile:exhibit/{exhibit.number}/page/{page}"
            data.images[url] = (rendition, "image/jpeg")
            urls.append(url)
        data.exhibits.append(PacketExhibit(exhibit, urls, redacted, f"{exhibit.sha256}.{extension}", problem))
        if variant == "full":
            data.originals[f"{exhibit.sha256}.{extension}"] = (original, exhibit.uploaded_at)


def _custody(case: Case, until: datetime) -> list[AuditEvent]:
    """Custody events of the case's exhibits up to the moment the case reached its content version."""
    ids = [str(e.id) for e in evidence.exhibits_of(case)]
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "exhibit", AuditEvent.object_id.in_(ids), AuditEvent.occurred_at <= until)
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
            .options(selectinload(AuditEvent.actor))
        )
    )


def _no_progress(done: int, total: int, message: str) -> None:
    return None


def _protected(case: Case) -> list[Identifier]:
    """What the redacted variant masks: the reporter's name and contact (an e-mail or a phone)."""
    found = []
    if case.reporter_name and case.reporter_name.strip():
        found.append(Identifier("name", case.reporter_name.strip()))
    if case.reporter_contact and case.reporter_contact.strip():
        found.append(classify_contact(case.reporter_contact))
    return found


def gather(
    case: Case, variant: str, evidence_dir: str, bates_prefix: str, progress: Progress = _no_progress
) -> PacketData:
    if variant not in ("full", "redacted"):
        raise PacketRefused(f"Unknown packet variant {variant!r}: full or redacted.")
    as_of = case.content_changed_at or case.updated_at
    on = clock.local_date(as_of)
    file = case_file(case)
    masked = _protected(case)
    data = PacketData(
        file=file,
        variant=variant,
        bates_prefix=bates_prefix,
        as_of=as_of,
        exhibits=[],
        custody=_custody(case, as_of),
        prior={
            s.subject.id: discipline.prior_active_discipline(s.subject.employee, on, exclude_case_id=case.id)
            for s in file.subjects
        },
        deadlines=case_deadlines(case, on),
        masked=masked if variant == "redacted" else [],
    )
    _exhibits(case, variant, evidence_dir, data, progress)
    return data

"""A printed packet's kept copy: the key of the content it was printed from, reading it back for a reprint
while it still matches its recorded SHA-256, and its pages.

A reprint of unchanged content is this file, not a new layout: the same content gives the same bytes."""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

from sqlalchemy import select

from project.extensions import db
from project.models import Case, PacketPrint
from project.services import evidence
from project.services.audit import Actor, record
from project.services.evidence import sha256_of
from project.services.packets.contents import PacketData
from project.transaction import committing

WEASYPRINT_VERSION = version("weasyprint")  # in the cache key: a new WeasyPrint lays out afresh


def kept_path(evidence_dir: str, key: str) -> Path:
    return Path(evidence_dir) / "packets" / f"{key}.pdf"


def kept_packet(case: Case, kept: evidence.DerivedFiles, cached: Path, key: str, actor: Actor | None) -> bytes | None:
    """The packet rendered before from the same content, while it still matches its recorded SHA-256; one
    altered (or kept without a hash) is discarded, with an audit event, and the packet is rendered afresh."""
    pdf = kept.read(cached, key)
    problem = kept.problems.get(kept.relative(cached))
    if pdf is not None or problem is None or not cached.exists():
        return pdf  # a cached packet left out of a backup is simply rendered again
    with committing("the audit trail"):
        record(
            "packet.cache_discarded",
            actor=actor.user if actor else None,
            object_type="case",
            object_id=case.id,
            remote_addr=actor.remote_addr if actor else None,
            case_id=case.id,
            detail={"key": key, "problem": f"cached packet {key} {problem}"},
        )
    cached.unlink(missing_ok=True)
    return None


def content_key(html: str, data: PacketData, pdf_variant: str | None) -> str:
    digest = hashlib.sha256()
    for part in (html, data.variant, pdf_variant or "", WEASYPRINT_VERSION, evidence.RENDITION_VERSION):
        digest.update(part.encode())
        digest.update(b"\x00")
    for name in sorted(data.originals):
        digest.update(name.encode())
    for url in sorted(data.images):
        digest.update(url.encode() + sha256_of(data.images[url][0]).encode())
    return digest.hexdigest()


def kept_page_count(case: Case, pdf: bytes, sha256: str) -> int:
    """A reprint's pages, as recorded when these bytes were first printed (reading the PDF to count them cost
    a reprint 0.15 s); counted in the file if that printing was never recorded."""
    recorded = db.session.scalar(
        select(PacketPrint.page_count).where(PacketPrint.case_id == case.id, PacketPrint.sha256 == sha256).limit(1)
    )
    return recorded if recorded is not None else _counted_pages(pdf)


def _counted_pages(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)

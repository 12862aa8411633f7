"""Checking the evidence store against the database: every original re-hashed, the missing and the altered
named, and files no exhibit refers to (left by a crash between writing and committing) listed: originals,
and the thumbnails, redacted copies and print renditions derived from them."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from project.extensions import db
from project.models import Case, Exhibit, ExhibitRedaction
from project.services.audit import record
from project.services.evidence.store import EvidenceStore, sha256_of
from project.transaction import committing

# Where each kind of stored file lives, how it is named after the SHA-256 it belongs to, and which rows
# may own it: an exhibit's original (or its thumbnail), a redaction's copy, or either (a print rendition).
_AREAS = (
    (("originals",), re.compile(r"([0-9a-f]{64})"), "exhibits"),
    (("derived", "thumbs"), re.compile(r"([0-9a-f]{64})\.png"), "exhibits"),
    (("derived", "redacted"), re.compile(r"([0-9a-f]{64})\.png"), "redactions"),
    (("derived", "print"), re.compile(r"([0-9a-f]{64})(?:-p\d{4})?\.jpg"), "either"),
)
# Derived files of committed rows are also written outside the store's lock (a thumbnail made again, a print
# rendition): a temporary younger than this may still be being written, so it is not yet an orphan.
IN_FLIGHT_SECONDS = 600


@dataclass
class StoreReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    orphans: list[Path] = field(default_factory=list)


def verify_store(evidence_dir: str) -> StoreReport:
    store = EvidenceStore(evidence_dir)
    report = StoreReport()
    rows = db.session.execute(
        select(Exhibit.sha256, Exhibit.number, Case.number)
        .join(Case, Case.id == Exhibit.case_id)
        .order_by(Case.number, Exhibit.number)
    ).all()
    known = set()
    for sha256, number, case_number in rows:
        known.add(sha256)
        data = store.read_original(sha256)
        report.checked += 1
        if data is None:
            report.problems.append(f"{case_number} Exhibit {number}: the original {sha256} is missing")
        elif sha256_of(data) != sha256:
            report.problems.append(
                f"{case_number} Exhibit {number}: the original {sha256} was altered "
                f"(it now hashes to {sha256_of(data)})"
            )
    report.orphans = _orphans(store.root, known, _redacted_shas())
    report.problems.extend(f"file {p} belongs to no exhibit" for p in report.orphans)
    return report


def _redacted_shas() -> set[str]:
    return set(db.session.scalars(select(ExhibitRedaction.redacted_sha256)))


def _orphans(root: Path, exhibits: set[str], redactions: set[str]) -> list[Path]:
    """Stored files no committed row refers to, temporary files a crash left behind included."""
    owners = {"exhibits": exhibits, "redactions": redactions, "either": exhibits | redactions}
    found: list[Path] = []
    for parts, name, owner in _AREAS:
        folder = root.joinpath(*parts)
        for path in sorted(folder.rglob("*")) if folder.exists() else []:
            named = name.fullmatch(path.name)
            if not path.is_file() or (named is not None and named.group(1) in owners[owner]):
                continue
            if named is None and parts[0] == "derived" and time.time() - path.stat().st_mtime < IN_FLIGHT_SECONDS:
                continue
            found.append(path)
    return found


def collect_garbage(evidence_dir: str) -> list[Path]:
    """Remove files no exhibit refers to, and temporary files a crash left behind, under the store's lock
    (so no upload is between writing its file and committing its row). Returns what was removed."""
    store = EvidenceStore(evidence_dir)
    removed: list[Path] = []
    with store.exclusive():
        for path in _orphans(store.root, set(db.session.scalars(select(Exhibit.sha256))), _redacted_shas()):
            store.remove(path)
            removed.append(path)
        if removed:
            with committing("the audit trail"):
                record(
                    "evidence.garbage_collected",
                    object_type="evidence_store",
                    detail={"removed": [p.name for p in removed]},
                )
    return removed

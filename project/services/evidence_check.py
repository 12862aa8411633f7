"""Checking the evidence store against the database: every original re-hashed, the missing and the altered
named, and files no exhibit refers to (left by a crash between writing and committing) listed."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from project.extensions import db
from project.models import Case, Exhibit
from project.services.evidence_store import EvidenceStore, sha256_of


@dataclass
class StoreReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    orphans: list[Path] = field(default_factory=list)


def verify_store(evidence_dir: str) -> StoreReport:
    store = EvidenceStore(evidence_dir)
    report = StoreReport()
    rows = db.session.execute(
        select(Exhibit.sha256, Exhibit.number, Case.number).join(Case, Case.id == Exhibit.case_id)
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
            report.problems.append(f"{case_number} Exhibit {number}: the original {sha256} was altered "
                                   f"(it now hashes to {sha256_of(data)})")
    originals = store.root / "originals"
    if originals.exists():
        report.orphans = sorted(p for p in originals.rglob("*") if p.is_file() and p.name not in known)
        report.problems.extend(f"file {p} belongs to no exhibit" for p in report.orphans)
    return report


def collect_garbage(evidence_dir: str) -> list[Path]:
    """Remove originals no exhibit refers to, and temporary files a crash left behind, under the store's lock
    (so no upload is between writing its file and committing its row). Returns what was removed."""
    from project.services.audit import record  # noqa: PLC0415

    store = EvidenceStore(evidence_dir)
    removed: list[Path] = []
    with store.exclusive():
        known = set(db.session.scalars(select(Exhibit.sha256)))
        originals = store.root / "originals"
        candidates = sorted(p for p in originals.rglob("*") if p.is_file()) if originals.exists() else []
        for path in candidates:
            if path.name not in known:
                store.remove(path)
                removed.append(path)
        if removed:
            record("evidence.garbage_collected", object_type="evidence_store",
                   detail={"removed": [p.name for p in removed]})
            db.session.commit()
    return removed

"""Checking the evidence store against the database: every original re-hashed, the missing and the altered
named; every derived file (thumbnail, print rendition, redacted copy, cached packet) checked against its
recorded SHA-256; and files no exhibit refers to (left by a crash between writing and committing) listed:
originals, and the thumbnails, redacted copies and print renditions derived from them."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select

from project.extensions import db
from project.models import Case, DerivedFile, Exhibit, ExhibitRedaction
from project.services.audit import record
from project.services.evidence.derived import describe, owners_of
from project.services.evidence.purge import purged_note
from project.services.evidence.renditions import RENDITION_VERSION
from project.services.evidence.store import EvidenceStore, sha256_of
from project.transaction import committing

# Where each kind of stored file lives, how it is named after the SHA-256 it belongs to, and which rows
# may own it: an exhibit's original (or its thumbnail), a redaction's copy, or either (a print rendition).
_AREAS = (
    (("originals",), re.compile(r"([0-9a-f]{64})"), "exhibits"),
    (("derived", "thumbs"), re.compile(r"([0-9a-f]{64})\.png"), "exhibits"),
    (("derived", "redacted"), re.compile(r"([0-9a-f]{64})\.png"), "redactions"),
    (("derived", "print", RENDITION_VERSION), re.compile(r"([0-9a-f]{64})(?:-[pf]\d{4})?\.jpg"), "either"),
    (("derived", "print"), re.compile(r"(?!)"), "either"),  # renditions of an older encoding: never used again
)
_RECORDED = (("derived", "thumbs"), ("derived", "print", RENDITION_VERSION), ("packets",))
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
        select(Exhibit, Case.number).join(Case, Case.id == Exhibit.case_id).order_by(Case.number, Exhibit.number)
    ).all()
    live = {exhibit.sha256 for exhibit, _ in rows if not exhibit.is_purged}
    known = set(live)
    for exhibit, case_number in rows:
        sha256, number = exhibit.sha256, exhibit.number
        if exhibit.is_purged:  # no file to check; one still stored that no other exhibit holds is awaited
            report.problems += _purged_problem(store, exhibit, case_number, live)
            if exhibit.files_removed_at is None:
                known.add(sha256)  # its files are not orphans: the next run deletes them
            continue
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
    report.problems.extend(_derived_problems(store.root, set(report.orphans)))
    return report


def _purged_problem(store: EvidenceStore, exhibit: Exhibit, case_number: str, live: set[str]) -> list[str]:
    """A purged exhibit's original still in the store though no exhibit holds it: its deletion failed after the
    purge's commit and awaits the next retention run."""
    if (
        exhibit.sha256 in live
        or exhibit.files_removed_at is not None
        or not store.original_path(exhibit.sha256).exists()
    ):
        return []
    return [
        f"{case_number} Exhibit {exhibit.number}: {purged_note(exhibit).lower()}, but its original "
        f"{exhibit.sha256} awaits deletion by the next `flask retention apply`"
    ]


def _derived_problems(root: Path, orphans: set[Path]) -> list[str]:
    """Each derived file that no longer matches its recorded SHA-256, or is kept without one. A recorded file
    that is gone is no problem: it is made again (from the verified original) when next used."""
    problems = []
    rows = {row.path: row for row in db.session.scalars(select(DerivedFile).order_by(DerivedFile.path))}
    for row in rows.values():
        path = root / row.path
        if path.is_file() and (found := sha256_of(path.read_bytes())) != row.sha256:
            problems += _named(row.kind, row.path, row.source_sha256, f"was altered (it now hashes to {found})")
    for redaction, number, case_number in db.session.execute(
        select(ExhibitRedaction.redacted_sha256, Exhibit.number, Case.number)
        .join(Exhibit, Exhibit.id == ExhibitRedaction.exhibit_id)
        .join(Case, Case.id == Exhibit.case_id)
        .order_by(Case.number, Exhibit.number)
    ):
        copy = root / "derived" / "redacted" / f"{redaction}.png"
        if copy.is_file() and sha256_of(copy.read_bytes()) != redaction:
            problems.append(f"{case_number} Exhibit {number}: the redacted copy {redaction} was altered")
    for parts in _RECORDED:
        folder = root.joinpath(*parts)
        for path in sorted(folder.glob("*")) if folder.exists() else []:
            name = path.relative_to(root).as_posix()
            if path.is_file() and not path.name.startswith(".") and path not in orphans and name not in rows:
                kind = {"thumbs": "thumbnail", "packets": "packet"}.get(parts[-1], "print")
                problems += _named(kind, name, path.name[:64], "has no recorded SHA-256")
    return problems


def _named(kind: str, path: str, source_sha256: str, problem: str) -> list[str]:
    """The problem in words, once for each exhibit the file belongs to ("SM-2026-0001 Exhibit 2: the print
    rendition page 1 was altered"), or for the cached packet."""
    what = describe(kind, path)
    if kind == "packet":
        return [f"{what} {problem}"]
    owners = owners_of(source_sha256)
    if not owners:
        return [f"{what} ({path}) {problem}"]
    numbers = dict(
        db.session.execute(select(Case.id, Case.number).where(Case.id.in_({e.case_id for e, _ in owners}))).all()
    )
    return [
        f"{numbers[exhibit.case_id]} Exhibit {exhibit.number}: {what}{' of the redacted copy' if of_redaction else ''} "
        f"{problem}"
        for exhibit, of_redaction in owners
    ]


def _redacted_shas() -> set[str]:
    return set(db.session.scalars(select(ExhibitRedaction.redacted_sha256)))


def _orphans(root: Path, exhibits: set[str], redactions: set[str]) -> list[Path]:
    """Stored files no committed row refers to, temporary files a crash left behind included."""
    owners = {"exhibits": exhibits, "redactions": redactions, "either": exhibits | redactions}
    found: list[Path] = []
    for parts, name, owner in _AREAS:
        folder = root.joinpath(*parts)
        for path in sorted(folder.rglob("*")) if folder.exists() else []:
            if parts == ("derived", "print") and path.parent.name == RENDITION_VERSION:
                continue  # the current renditions: their own area above
            named = name.fullmatch(path.name)
            if not path.is_file() or (named is not None and named.group(1) in owners[owner]):
                continue
            if named is None and parts[0] == "derived" and time.time() - path.stat().st_mtime < IN_FLIGHT_SECONDS:
                continue
            found.append(path)
    return found


def collect_garbage(evidence_dir: str, dry_run: bool = False) -> list[Path]:
    """Remove files no exhibit refers to, and temporary files a crash left behind, with their derived-file
    rows, under the store's lock (so no upload is between writing its file and committing its row). Returns
    what was removed, or with ``dry_run`` what would be, removing nothing."""
    store = EvidenceStore(evidence_dir)
    removed: list[Path] = []
    with store.exclusive():
        found = _orphans(store.root, set(db.session.scalars(select(Exhibit.sha256))), _redacted_shas())
        if dry_run:
            return found
        for path in found:
            store.remove(path)
            removed.append(path)
        if removed:
            names = [p.relative_to(store.root).as_posix() for p in removed]
            with committing("the audit trail"):
                db.session.execute(delete(DerivedFile).where(DerivedFile.path.in_(names)))
                record(
                    "evidence.garbage_collected",
                    object_type="evidence_store",
                    detail={"removed": [p.name for p in removed]},
                )
    return removed

"""Purging exhibits under a retention rule (issue 18, item 5): the rows are marked in the caller's transaction,
and the files are deleted only after it has committed.

``mark_purged`` sets when and under which rule, clears the text read from the file (OCR, transcript: the search
index follows in the same flush) and writes an ``exhibit.purged`` custody event; the SHA-256 and the facts of the
exhibit stay, so the record still says what existed. ``remove_purged_files`` then deletes, under the store's lock,
every file of each purged exhibit whose files are not yet removed: the original, its thumbnail, print renditions
and key frames, its redacted copies and their renditions, and the case's printed and cached packets. A file an
exhibit not purged still needs (the same bytes uploaded to another case) is kept. A file that cannot be deleted
leaves ``files_removed_at`` empty: it is reported, with an audit event, and the next run tries again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, or_, select

from project import clock
from project.extensions import db
from project.models import DerivedFile, Exhibit, ExhibitRedaction, PacketPrint
from project.services.audit import record
from project.services.errors import CaseworkError
from project.services.evidence.store import EvidenceStore
from project.transaction import committing


class ExhibitPurged(CaseworkError):
    """The exhibit's file was purged under a retention rule: there is nothing to show, by design."""


def purged_note(exhibit: Exhibit) -> str:
    """ "Purged on 2029-03-02 under evidence_not_sustained", or "" for an exhibit not purged."""
    if exhibit.purged_at is None:
        return ""
    return f"Purged on {clock.local_date(exhibit.purged_at).isoformat()} under {exhibit.purge_rule}"


def refuse_if_purged(exhibit: Exhibit) -> None:
    if exhibit.purged_at is not None:
        raise ExhibitPurged(
            f"{exhibit.label}: {purged_note(exhibit)}. Its file and every copy made from it were deleted under the "
            "retention rules; the SHA-256 and the facts of the exhibit are kept."
        )


def mark_purged(exhibits: Iterable[Exhibit], rule: str, source: str, at: datetime) -> list[Exhibit]:
    """Mark each exhibit purged in the current transaction, with an ``exhibit.purged`` custody event each."""
    marked = []
    for exhibit in exhibits:
        exhibit.purged_at, exhibit.purge_rule = at, rule
        exhibit.ocr_text = exhibit.transcript = None  # read from the file: they go with it
        record(
            "exhibit.purged",
            object_type="exhibit",
            object_id=exhibit.id,
            case_id=exhibit.case_id,
            detail={"sha256": exhibit.sha256, "number": exhibit.number, "rule": rule, "source": source},
        )
        marked.append(exhibit)
    return marked


@dataclass
class FileRemoval:
    """What a pass over the purged exhibits deleted, and each file it could not delete ("path: error")."""

    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    exhibits: list[int] = field(default_factory=list)  # whose files are all gone now


def _pending() -> list[Exhibit]:
    query = select(Exhibit).where(Exhibit.purged_at.is_not(None), Exhibit.files_removed_at.is_(None))
    return list(db.session.scalars(query.order_by(Exhibit.case_id, Exhibit.number)))


def _still_needed() -> tuple[set[str], set[str]]:
    """The originals and the redacted copies that exhibits not purged still hold."""
    live = select(Exhibit.id).where(Exhibit.purged_at.is_(None))
    originals = set(db.session.scalars(select(Exhibit.sha256).where(Exhibit.purged_at.is_(None))))
    copies = set(
        db.session.scalars(select(ExhibitRedaction.redacted_sha256).where(ExhibitRedaction.exhibit_id.in_(live)))
    )
    return originals, copies


def files_of(exhibit: Exhibit, root: Path, needed: tuple[set[str], set[str]]) -> list[Path]:
    """Every stored file of the purged exhibit that no exhibit still needs (they may already be gone)."""
    originals, copies = needed
    store = EvidenceStore(root)
    sources = [exhibit.sha256] if exhibit.sha256 not in originals else []
    paths = [store.original_path(sha) for sha in sources] + [store.thumbnail_path(sha) for sha in sources]
    redactions = db.session.scalars(
        select(ExhibitRedaction.redacted_sha256).where(ExhibitRedaction.exhibit_id == exhibit.id)
    )
    for copy in (sha for sha in redactions if sha not in copies):
        sources.append(copy)
        paths.append(root / "derived" / "redacted" / f"{copy}.png")
    for sha in sources:  # print renditions and key frames, of every encoding, recorded or not
        paths += sorted(root.joinpath("derived", "print").rglob(f"{sha}*.jpg"))
    printed = list(db.session.scalars(select(PacketPrint.sha256).where(PacketPrint.case_id == exhibit.case_id)))
    paths += [root / "packets" / "printed" / f"{sha}.pdf" for sha in printed]
    recorded = select(DerivedFile.path).where(
        or_(DerivedFile.source_sha256.in_(sources), (DerivedFile.kind == "packet") & DerivedFile.sha256.in_(printed))
    )
    paths += [root / path for path in db.session.scalars(recorded)]
    return sorted(set(paths))


def remove_purged_files(evidence_dir: str) -> FileRemoval:
    """Delete the files of every purged exhibit whose files are not all removed yet (this run's, and those an
    earlier run could not delete), then record it: ``files_removed_at`` and the derived-file rows gone, or an
    ``retention.purge_files_pending`` audit event naming each file that is still there and why."""
    store = EvidenceStore(evidence_dir)
    result = FileRemoval()
    pending = _pending()
    if not pending:
        return result
    stuck: list[int] = []
    with store.exclusive():  # no upload of the same bytes is between writing its file and committing its row
        needed = _still_needed()
        for exhibit in pending:
            failed = False
            for path in files_of(exhibit, store.root, needed):
                name = path.relative_to(store.root).as_posix()
                try:
                    if path.exists():
                        store.remove(path)
                except OSError as error:
                    result.failed.append(f"{name}: {error.strerror or error}")
                    failed = True
                    continue
                result.removed.append(name)
            (stuck if failed else result.exhibits).append(exhibit.id)
    with committing("the removal of purged files"):
        now = clock.now()
        for exhibit in pending:
            if exhibit.id in result.exhibits:
                exhibit.files_removed_at = now
        if result.removed:
            db.session.execute(delete(DerivedFile).where(DerivedFile.path.in_(result.removed)))
        if stuck:
            record(
                "retention.purge_files_pending",
                object_type="retention",
                detail={"exhibits": stuck, "failed": result.failed},
            )
    return result

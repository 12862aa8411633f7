"""Derived files with known hashes: thumbnails, print renditions and cached packets are recorded in
``derived_files`` with the SHA-256 they had when written, and read back only when they still match.

A derived file that is missing, altered, or found without its row is not used: the caller makes it again from
the verified original (or redacted copy), and the new file's row is written with an ``exhibit.derived_remade``
custody event on each exhibit it belongs to. At upload the thumbnail's row waits (``deferred``) for the upload's
own transaction; the print renditions are made by a job after it (``print_renditions``), each with its row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from project import clock
from project.extensions import db
from project.models import DerivedFile, Exhibit, ExhibitRedaction
from project.services.audit import record
from project.services.evidence.store import sha256_of, write_atomically
from project.transaction import committing

_PAGE = re.compile(r"-p(\d{4})\.jpg$")
_FRAME = re.compile(r"-f(\d{4})\.jpg$")


@dataclass(frozen=True)
class Made:
    """A derived file just written: its row to record, and why it was made again (None: made the first time)."""

    kind: str
    path: str  # relative to EVIDENCE_DIR
    sha256: str
    source_sha256: str
    problem: str | None = None


@dataclass
class DerivedFiles:
    """Reads derived files verified against their rows and writes them with their rows. ``deferred``: the rows
    wait for ``record_pending`` inside the caller's transaction; otherwise each write commits its own row."""

    evidence_dir: str
    deferred: bool = False
    pending: list[Made] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)  # files that did not exist before this writer
    problems: dict[str, str] = field(default_factory=dict)

    def relative(self, path: Path) -> str:
        return relative_name(self.evidence_dir, path)

    def read(self, path: Path, source_sha256: str) -> bytes | None:
        """The file's bytes when they hash to its row's SHA-256 and were made from ``source_sha256``; None
        when it must be made (again): never made, missing, altered, or written without a row."""
        name = self.relative(path)
        row = recorded(name)
        try:
            data: bytes | None = path.read_bytes()
        except FileNotFoundError:
            data = None
        if data is None and row is None:
            return None
        problem = mismatch(row, data, source_sha256)
        if problem is None:
            return data
        self.problems[name] = problem
        return None

    def write(self, kind: str, path: Path, data: bytes, source_sha256: str, mode: int = 0o640) -> None:
        """Write the file (replacing a bad one) and record its hash: now, or with the caller's transaction."""
        name = self.relative(path)
        existed = path.exists()
        write_atomically(path, data, mode=mode)
        if not existed:
            self.created.append(path)
        made = Made(kind, name, sha256_of(data), source_sha256, self.problems.pop(name, None))
        if self.deferred:
            self.pending.append(made)
            return
        try:
            with committing(f"the SHA-256 of {name}"):
                note(made)
        except IntegrityError:  # another worker recorded the same file at the same moment: its row stands
            pass

    def record_pending(self) -> None:
        """Add the rows (and custody events) of the deferred writes to the current transaction."""
        for made in self.pending:
            note(made)


def relative_name(evidence_dir: str, path: Path) -> str:
    return path.relative_to(evidence_dir).as_posix()


def recorded(path: str) -> DerivedFile | None:
    return db.session.scalars(select(DerivedFile).where(DerivedFile.path == path)).first()


def mismatch(row: DerivedFile | None, data: bytes | None, source_sha256: str | None = None) -> str | None:
    """Why the stored file cannot be trusted, or None when it matches its row."""
    if row is None:
        return "was found without a recorded SHA-256"
    if data is None:
        return "was missing"
    if source_sha256 is not None and row.source_sha256 != source_sha256:
        return f"was recorded as made from {row.source_sha256}, not {source_sha256}"
    found = sha256_of(data)
    if found != row.sha256:
        return f"was altered (recorded SHA-256 {row.sha256}, the stored file now hashes to {found})"
    return None


def note(made: Made) -> None:
    """Record the file's hash in the current transaction, with a custody event when it was made again."""
    row = recorded(made.path)
    if row is None:
        db.session.add(
            DerivedFile(
                kind=made.kind,
                path=made.path,
                sha256=made.sha256,
                source_sha256=made.source_sha256,
                made_at=clock.now(),
            )
        )
    else:
        row.kind, row.sha256, row.source_sha256, row.made_at = made.kind, made.sha256, made.source_sha256, clock.now()
    if made.problem is not None:
        record_remade(made.kind, made.path, made.source_sha256, made.problem)


def record_remade(kind: str, path: str, source_sha256: str, problem: str) -> None:
    """An ``exhibit.derived_remade`` custody event on each exhibit the file belongs to (by the system)."""
    what = describe(kind, path)
    for exhibit, of_redaction in owners_of(source_sha256):
        if kind == "redacted":  # the redacted copy itself: made from the exhibit's original
            of_redaction = False
        record(
            "exhibit.derived_remade",
            object_type="exhibit",
            object_id=exhibit.id,
            case_id=exhibit.case_id,
            detail={
                "sha256": exhibit.sha256,
                "number": exhibit.number,
                "kind": kind,
                "path": path,
                "problem": f"{what}{' of the redacted copy' if of_redaction else ''} {problem}",
            },
        )


def owners_of(source_sha256: str) -> list[tuple[Exhibit, bool]]:
    """The exhibits a derived file belongs to: those whose original it was made from, and those whose
    redacted copy it was made from (flagged True)."""
    redacted = select(ExhibitRedaction.exhibit_id).where(ExhibitRedaction.redacted_sha256 == source_sha256)
    exhibits = db.session.scalars(
        select(Exhibit)
        .where(or_(Exhibit.sha256 == source_sha256, Exhibit.id.in_(redacted)))
        .order_by(Exhibit.case_id, Exhibit.number)
    )
    return [(exhibit, exhibit.sha256 != source_sha256) for exhibit in exhibits]


def describe(kind: str, path: str) -> str:
    """The derived file in words: "the thumbnail", "the print rendition page 2", "cached packet <key>"."""
    if kind == "packet":
        return f"cached packet {Path(path).stem}"
    if kind == "frame" or _FRAME.search(path):
        frame = _FRAME.search(path)
        return f"the video's key frame {int(frame.group(1))}" if frame else "a key frame of the video"
    if kind == "print":
        page = _PAGE.search(path)
        return f"the print rendition page {int(page.group(1))}" if page else "the print rendition"
    return {"thumbnail": "the thumbnail", "redacted": "the redacted copy"}.get(kind, f"the {kind}")

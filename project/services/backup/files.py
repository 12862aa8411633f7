"""Which stored files a snapshot's rows name. Every file of the evidence folder is one of: named by a row of the
snapshot (backed up; a thumbnail or print rendition by its ``derived_files`` row, so the restored store holds
no derived file without its recorded SHA-256), a cached packet (remade on demand, left out), or an orphan (named
by no row: written by a worker that died before its commit, a temporary file, a file of a row committed after
the snapshot, the file of a purged exhibit still awaiting deletion), left out and reported. A purged exhibit
names no file: its original is neither backed up nor missing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from project.services.backup.manifest import Query

_HEX = "[0-9a-f]{64}"
# Who may own each kind of file: the SQL giving the SHA-256 values that name such files.
_OWNERS = {
    "exhibits": "SELECT sha256 FROM exhibits WHERE purged_at IS NULL",  # a purged exhibit's file is not kept
    "redactions": "SELECT redacted_sha256 FROM exhibit_redactions",
    "letters": "SELECT sha256 FROM letters",
    "packet_prints": "SELECT sha256 FROM packet_prints",
    "derived_files": "SELECT path FROM derived_files",  # thumbnails and renditions: named by their path
}
# Where each kind of file lives (relative to the evidence folder), the hash in its name, and its owners.
_AREAS = (
    (re.compile(rf"originals/[0-9a-f]{{2}}/({_HEX})"), ("exhibits",)),
    (re.compile(rf"(derived/thumbs/{_HEX}\.png)"), ("derived_files",)),
    (re.compile(rf"derived/redacted/({_HEX})\.png"), ("redactions",)),
    (re.compile(rf"(derived/print/[a-z0-9]+/{_HEX}(?:-p\d{{4}})?\.jpg)"), ("derived_files",)),
    (re.compile(rf"letters/[0-9a-f]{{2}}/({_HEX})\.pdf"), ("letters",)),
    (re.compile(rf"packets/printed/({_HEX})\.pdf"), ("packet_prints",)),
)
_CACHED_PACKET = re.compile(rf"packets/{_HEX}\.pdf")  # keyed by the packet's content, named by no row


@dataclass
class Selection:
    named: list[str] = field(default_factory=list)  # relative paths, backed up
    orphans: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # originals a row names that the store does not hold


def named_hashes(query: Query) -> dict[str, set[str]]:
    return {owner: {str(row[0]) for row in query(sql)} for owner, sql in _OWNERS.items()}


def select_files(evidence_dir: Path, names: dict[str, set[str]]) -> Selection:
    selection = Selection()
    files = sorted(p for p in evidence_dir.rglob("*") if p.is_file()) if evidence_dir.exists() else []
    for path in files:
        relative = path.relative_to(evidence_dir).as_posix()
        if relative == ".lock":
            continue
        if _CACHED_PACKET.fullmatch(relative):
            selection.cached.append(relative)
            continue
        for pattern, owners in _AREAS:
            matched = pattern.fullmatch(relative)
            if matched and any(matched.group(1) in names[owner] for owner in owners):
                selection.named.append(relative)
                break
        else:
            selection.orphans.append(relative)
    held = set(selection.named)
    selection.missing = sorted(
        f"originals/{sha[:2]}/{sha}" for sha in names["exhibits"] if f"originals/{sha[:2]}/{sha}" not in held
    )
    return selection

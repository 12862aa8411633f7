"""The backup's manifest (what the snapshot holds: row counts, the database file's hash, each evidence file's
hash) and the check of a backup folder against it, made before anything is written."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from project.extensions import db

MANIFEST = "manifest.json"
EVIDENCE = "evidence"
FORMAT = 2  # 2: counts and files from the snapshot itself; orphans left out (issue 15)

# A query against one snapshot: SQL in, rows out (a SQLAlchemy connection or a sqlite3 one).
Query = Callable[[str], Iterable[tuple[Any, ...]]]


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message says why."""


def file_hash(path: Path) -> str:
    """The file's SHA-256, read in blocks (a database dump may be larger than memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def row_counts(query: Query) -> dict[str, int]:
    """Rows in each of the application's tables, as the given snapshot holds them."""
    counts = {}
    for table in db.metadata.sorted_tables:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", table.name):
            raise BackupError(f"unexpected table name {table.name!r}")
        counts[table.name] = int(next(iter(query(f'SELECT count(*) FROM "{table.name}"')))[0])  # noqa: S608
    return counts


def write_manifest(target: Path, manifest: dict[str, Any]) -> None:
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))


def check_backup(source: Path) -> dict[str, Any]:
    """The manifest, once the database file and every evidence file match their hashes and the evidence folder
    holds no file the manifest does not list. Nothing is written."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
        database_file = source / manifest["database_file"]
        expected_db, evidence, tables = manifest["database_sha256"], manifest["evidence"], manifest["tables"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{source} holds no readable {MANIFEST}") from exc
    if not isinstance(evidence, dict) or not isinstance(tables, dict):
        raise BackupError(f"{source / MANIFEST} is not a backup manifest")
    if not database_file.is_file() or file_hash(database_file) != expected_db:
        raise BackupError(f"{database_file.name} is missing or does not match its SHA-256 in the manifest")
    root = source / EVIDENCE
    for name, sha in sorted(evidence.items()):
        path = root / name
        if ".." in Path(name).parts or not path.is_file() or file_hash(path) != sha:
            raise BackupError(f"evidence file {name} is missing or does not match its SHA-256 in the manifest")
    extra = sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and str(p.relative_to(root)) not in evidence
    )
    if extra:
        raise BackupError(f"the backup's evidence folder holds {len(extra)} file(s) not in the manifest: {extra[:5]}")
    return manifest

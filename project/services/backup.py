"""Backups: the database (SQLite's online backup API, or pg_dump), the evidence store, and a manifest of
hashes; restore into an empty instance, checking every hash first and the audit chain and evidence after.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select

from project import clock
from project.extensions import db
from project.services.audit import record, verify_chain
from project.services.evidence import sha256_of, verify_store
from project.transaction import committing

MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message says why."""


@dataclass(frozen=True)
class RestoreReport:
    tables: dict[str, int]
    audit_rows: int
    evidence_files: int


def _files(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): sha256_of(p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def _row_counts() -> dict[str, int]:
    return {
        table.name: int(db.session.scalar(select(func.count()).select_from(table)) or 0)
        for table in db.metadata.sorted_tables
    }


def _pg_url(url: Any) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def create_backup(target: Path, evidence_dir: str) -> dict[str, Any]:
    """Write the backup into ``target`` (a new or empty folder) and return its manifest."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new folder.")
    target.mkdir(parents=True, exist_ok=True)
    engine = db.engine
    if engine.dialect.name == "sqlite":
        database_file = target / "database.sqlite"
        raw = engine.raw_connection()
        try:
            destination = sqlite3.connect(database_file)
            source_connection: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
            source_connection.backup(destination)  # a consistent copy while the app runs
            destination.close()
        finally:
            raw.close()
    else:
        database_file = target / "database.pgdump"
        command = [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={database_file}",
            _pg_url(engine.url),
        ]
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603
    if Path(evidence_dir).exists():
        shutil.copytree(evidence_dir, target / "evidence", ignore=shutil.ignore_patterns(".lock"))
    else:
        (target / "evidence").mkdir()
    manifest = {
        "created_at": clock.now().isoformat(),
        "database": engine.dialect.name,
        "database_file": database_file.name,
        "database_sha256": sha256_of(database_file.read_bytes()),
        "tables": _row_counts(),
        "evidence": _files(target / "evidence"),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    with committing("the audit trail"):
        record(
            "backup.created",
            object_type="backup",
            detail={"folder": str(target), "tables": manifest["tables"], "evidence_files": len(manifest["evidence"])},
        )
    return manifest


def _check_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} holds no readable {MANIFEST}") from exc
    database_file = source / manifest["database_file"]
    if not database_file.exists() or sha256_of(database_file.read_bytes()) != manifest["database_sha256"]:
        raise BackupError(f"{database_file.name} is missing or does not match its SHA-256 in the manifest")
    found = _files(source / "evidence")
    for name, sha in manifest["evidence"].items():
        if found.get(name) != sha:
            raise BackupError(f"evidence file {name} is missing or does not match its SHA-256 in the manifest")
    return manifest


def restore_backup(source: Path, evidence_dir: str) -> RestoreReport:
    """Restore into an empty instance (no tables, no evidence), after checking every hash of the backup."""
    manifest = _check_manifest(source)
    engine = db.engine
    if manifest["database"] != engine.dialect.name:
        raise BackupError(f"the backup is of {manifest['database']}; this instance runs {engine.dialect.name}")
    if set(inspect(engine).get_table_names()) - {"alembic_version"}:
        raise BackupError("this instance's database is not empty: restore into a new, empty database")
    evidence = Path(evidence_dir)
    if evidence.exists() and any(p.is_file() and p.name != ".lock" for p in evidence.rglob("*")):
        raise BackupError(f"{evidence} is not empty: restore into a new instance")
    db.session.remove()
    engine.dispose()
    if engine.dialect.name == "sqlite":
        source_db = sqlite3.connect(source / manifest["database_file"])
        raw = engine.raw_connection()
        try:
            target_connection: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
            source_db.backup(target_connection)
        finally:
            raw.close()
            source_db.close()
    else:
        command = [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={_pg_url(engine.url)}",
            str(source / manifest["database_file"]),
        ]
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603
    engine.dispose()
    shutil.copytree(source / "evidence", evidence, dirs_exist_ok=True)
    counts = _row_counts()
    if counts != manifest["tables"]:
        raise BackupError("the restored row counts differ from the manifest's")
    chain = verify_chain()
    store = verify_store(evidence_dir)
    if not chain.intact or store.problems:
        raise BackupError("after the restore: " + "; ".join(chain.problems + store.problems))
    return RestoreReport(tables=counts, audit_rows=chain.rows, evidence_files=len(manifest["evidence"]))

"""Taking a backup: one snapshot of the database, and the evidence files its rows name, hashed as copied.

SQLite: the online backup API copies the database inside one read transaction of the source, so the copy is one
moment of it; the counts and file names are then read from the copy. PostgreSQL: a repeatable-read transaction
exports its snapshot, ``pg_dump --snapshot`` dumps exactly that, and the counts and names are read in the same
transaction, so they describe the dump and not the live database."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from project import clock
from project.extensions import db
from project.services.audit import record
from project.services.backup.files import named_hashes, select_files
from project.services.backup.manifest import EVIDENCE, FORMAT, BackupError, file_hash, row_counts, write_manifest
from project.transaction import committing


def create_backup(target: Path, evidence_dir: str) -> dict[str, Any]:
    """Write the backup into ``target`` (a new or empty folder) and return its manifest, whose ``left_out``
    names the orphan files and cached packets that were not backed up."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new folder.")
    engine = db.engine
    if engine.dialect.name == "postgresql":
        pg_tool("pg_dump", engine)
    target.mkdir(parents=True, exist_ok=True, mode=0o700)  # it holds every case: owner-only
    target.chmod(0o700)
    if engine.dialect.name == "sqlite":
        database_file = target / "database.sqlite"
        counts, names = _sqlite_snapshot(engine, database_file)
    else:
        database_file = target / "database.pgdump"
        counts, names = _postgres_snapshot(engine, database_file)
    selection = select_files(Path(evidence_dir), names)
    if selection.missing:
        raise BackupError(
            f"the evidence store lacks {len(selection.missing)} original(s) that exhibits name "
            f"({', '.join(selection.missing[:5])}): run `flask evidence verify`; no backup was made."
        )
    evidence = _copy(Path(evidence_dir), target / EVIDENCE, selection.named)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": clock.now().isoformat(),
        "database": engine.dialect.name,
        "database_file": database_file.name,
        "database_sha256": file_hash(database_file),
        "tables": counts,
        "evidence": evidence,
        "left_out": {"orphans": selection.orphans, "cached_packets": selection.cached},
    }
    write_manifest(target, manifest)
    with committing("the audit trail"):
        record(
            "backup.created",
            object_type="backup",
            detail={
                "folder": str(target),
                "tables": counts,
                "evidence_files": len(evidence),
                "orphans_left_out": selection.orphans[:50],
            },
        )
    return manifest


def _copy(source: Path, destination: Path, names: list[str]) -> dict[str, str]:
    destination.mkdir()
    hashes = {}
    for name in names:
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, destination / name)
        hashes[name] = file_hash(destination / name)  # the copy's own hash: what the restore will check
    return hashes


def _sqlite_snapshot(engine: Engine, copy: Path) -> tuple[dict[str, int], dict[str, set[str]]]:
    path = engine.url.database
    if not path or path == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    with closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as source:
        source.execute("BEGIN")  # one read transaction: the backup copies this moment of the database
        source.execute("SELECT count(*) FROM sqlite_master").fetchall()
        with closing(sqlite3.connect(copy)) as destination:
            source.backup(destination)
        source.execute("COMMIT")
    with closing(sqlite3.connect(copy)) as snapshot:
        check = snapshot.execute("PRAGMA integrity_check").fetchone()
        if not check or check[0] != "ok":
            raise BackupError(f"the database copy fails SQLite's integrity check: {check}")

        def query(sql: str) -> list[tuple[Any, ...]]:
            return snapshot.execute(sql).fetchall()

        return row_counts(query), named_hashes(query)


def _postgres_snapshot(engine: Engine, dump: Path) -> tuple[dict[str, int], dict[str, set[str]]]:
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot_id = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}"]
            run_pg([*command, f"--file={dump}", pg_url(engine)], "pg_dump")

            def query(sql: str) -> list[tuple[Any, ...]]:
                return [tuple(row) for row in connection.exec_driver_sql(sql)]

            counts, names = row_counts(query), named_hashes(query)
    run_pg(["pg_restore", "--list", str(dump)], "pg_restore --list")  # the dump's table of contents reads
    return counts, names


# PostgreSQL's client programs ---------------------------------------------------------------------------


def pg_url(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def run_pg(command: list[str], what: str) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    except subprocess.CalledProcessError as exc:
        lines = (exc.stderr or "").strip().splitlines()
        errors = [line.strip() for line in lines if "error" in line.lower()] or lines[-1:] or [str(exc.returncode)]
        raise BackupError(f"{what} failed: {' '.join(errors[:3])}") from exc


def pg_tool(name: str, engine: Engine) -> None:
    """Refuse, with the fix, when the program is not on PATH or is older than the server (pg_dump refuses to
    dump a newer server, and a dump it made could not be read by an older pg_restore)."""
    if shutil.which(name) is None:
        raise BackupError(f"{name} is not on PATH: install the PostgreSQL client programs (postgresql-client).")
    found = re.search(r"\)\s*(\d+)", subprocess.run([name, "--version"], capture_output=True, text=True).stdout)  # noqa: S603
    with engine.connect() as connection:
        server = int(connection.dialect.server_version_info[0]) if connection.dialect.server_version_info else 0
    if found is None or int(found.group(1)) < server:
        version = found.group(1) if found else "of unknown version"
        raise BackupError(
            f"{name} {version} is older than the PostgreSQL {server} server: install postgresql-client-{server} "
            f"and put its {name} first on PATH."
        )

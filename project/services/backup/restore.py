"""Restoring a backup: check it all, build it in staging, verify it there, then switch the target over.

1. The manifest, the database file's hash and every evidence file's hash are checked; nothing is written yet.
2. The database is restored into a staging database (a new SQLite file beside the target's, or a new PostgreSQL
   database on the same server) and the evidence into a staging folder beside the target's.
3. The staged instance is verified: row counts against the manifest, the audit chain, the evidence store.
4. Only then the target takes it: the evidence folders are moved in, and the database is copied in one
   transaction (SQLite's backup API, or ``pg_restore --single-transaction``); if that fails the evidence is
   moved back. Staging is removed whatever happens, so a failed restore leaves the target as it was."""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import inspect, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from project.extensions import db
from project.services.audit import verify_chain
from project.services.backup.manifest import EVIDENCE, BackupError, check_backup, file_hash, row_counts
from project.services.backup.snapshot import pg_tool, pg_url, run_pg
from project.services.evidence import verify_store


@dataclass(frozen=True)
class RestoreReport:
    tables: dict[str, int]
    audit_rows: int
    evidence_files: int


def restore_backup(source: Path, evidence_dir: str) -> RestoreReport:
    """Restore into an empty instance (no tables, no evidence files); the target is changed only once the whole
    backup has been restored and verified in staging."""
    manifest = check_backup(source)
    engine = db.engine
    if manifest["database"] != engine.dialect.name:
        raise BackupError(f"the backup is of {manifest['database']}; this instance runs {engine.dialect.name}")
    if set(inspect(engine).get_table_names()) - {"alembic_version"}:
        raise BackupError("this instance's database is not empty: restore into a new, empty database")
    evidence = Path(evidence_dir)
    if evidence.exists() and any(p.is_file() and p.name != ".lock" for p in evidence.rglob("*")):
        raise BackupError(f"{evidence} is not empty: restore into a new instance")
    if engine.dialect.name == "postgresql":
        pg_tool("pg_restore", engine)
    dump = source / manifest["database_file"]
    db.session.remove()
    staged_evidence = evidence.with_name(f"{evidence.name}.restore-{secrets.token_hex(4)}")
    try:
        with _staged_database(engine, dump) as staged_url:
            _stage_evidence(source / EVIDENCE, staged_evidence, manifest["evidence"])
            audit_rows = _verify_staged(staged_url, staged_evidence, manifest["tables"])
            verified = Path(str(make_url(staged_url).database)) if engine.dialect.name == "sqlite" else dump
            _switch_over(engine, verified, staged_evidence, evidence)
    finally:
        shutil.rmtree(staged_evidence, ignore_errors=True)
    engine.dispose()
    counts = row_counts(lambda sql: db.session.execute(text(sql)).all())
    if counts != manifest["tables"]:
        raise BackupError("the restored row counts differ from the manifest's")
    return RestoreReport(tables=counts, audit_rows=audit_rows, evidence_files=len(manifest["evidence"]))


@contextmanager
def _staged_database(engine: Engine, dump: Path) -> Iterator[str]:
    """A new database holding the backup, beside the target; removed afterwards."""
    suffix = secrets.token_hex(4)
    if engine.dialect.name == "sqlite":
        target = Path(str(engine.url.database))
        staged = target.with_name(f"{target.name}.restore-{suffix}")
        try:
            shutil.copyfile(dump, staged)
            with closing(sqlite3.connect(staged)) as connection:
                check = connection.execute("PRAGMA integrity_check").fetchone()
            if not check or check[0] != "ok":
                raise BackupError(f"the backup's database fails SQLite's integrity check: {check}")
            yield f"sqlite:///{staged}"
        finally:
            for leftover in (staged, staged.with_name(staged.name + "-wal"), staged.with_name(staged.name + "-shm")):
                leftover.unlink(missing_ok=True)
        return
    name = f"{engine.url.database}_restore_{suffix}"[-63:]
    staged_url = engine.url.set(database=name)
    try:
        with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except DBAPIError as exc:
        raise BackupError(f"cannot create the staging database {name} (the role needs CREATEDB): {exc.orig}") from exc
    try:
        restore = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        run_pg([*restore, f"--dbname={_plain(staged_url)}", str(dump)], "restoring the dump into staging")
        yield staged_url.render_as_string(hide_password=False)
    finally:
        with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _plain(url: Any) -> str:
    return str(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False))


def _stage_evidence(source: Path, staged: Path, hashes: dict[str, str]) -> None:
    staged.mkdir(parents=True, mode=0o750)
    for name, sha in hashes.items():
        (staged / name).parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        shutil.copyfile(source / name, staged / name)
        os.chmod(staged / name, 0o440)
        if file_hash(staged / name) != sha:
            raise BackupError(f"evidence file {name} changed while it was copied: nothing was restored")


def _verify_staged(url: str, staged_evidence: Path, tables: dict[str, int]) -> int:
    """Row counts, the audit chain and the evidence store of the staged instance; the chain's row count."""
    staging = Flask("casefile-restore-staging")
    staging.config.from_mapping(current_app.config)
    staging.config.update(SQLALCHEMY_DATABASE_URI=url, EVIDENCE_DIR=str(staged_evidence))
    db.init_app(staging)
    with staging.app_context():
        try:
            counts = row_counts(lambda sql: db.session.execute(text(sql)).all())
            chain = verify_chain()
            store = verify_store(str(staged_evidence))
        finally:
            db.session.remove()
            db.engine.dispose()
    problems = list(chain.problems) + list(store.problems)
    if counts != tables:
        differ = sorted(name for name in tables if counts.get(name) != tables[name])
        problems.insert(0, f"the row counts of {', '.join(differ)} differ from the manifest's")
    if problems or not chain.intact:
        raise BackupError("nothing was restored; the staged copy fails its checks: " + "; ".join(problems[:10]))
    return chain.rows


def _switch_over(engine: Engine, dump: Path, staged_evidence: Path, evidence: Path) -> None:
    evidence.mkdir(parents=True, exist_ok=True, mode=0o750)
    moved: list[str] = []
    try:
        for child in sorted(staged_evidence.iterdir()):
            if (evidence / child.name).is_dir():  # folders without files (checked above), left by an earlier run
                shutil.rmtree(evidence / child.name)
            os.replace(child, evidence / child.name)  # an empty folder of the same name is replaced
            moved.append(child.name)
        engine.dispose()
        if engine.dialect.name == "sqlite":
            with closing(sqlite3.connect(dump)) as backup:  # the staged copy, as verified
                raw = engine.raw_connection()
                try:
                    backup.backup(raw.driver_connection)  # type: ignore[arg-type]  # one transaction
                finally:
                    raw.close()
        else:
            restore = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
            run_pg([*restore, f"--dbname={pg_url(engine)}", str(dump)], "restoring the dump into the target")
    except BaseException as exc:
        for name in reversed(moved):
            os.replace(evidence / name, staged_evidence / name)
        if isinstance(exc, sqlite3.Error):
            raise BackupError(f"copying the database into the target failed ({exc}); nothing was changed") from exc
        if isinstance(exc, BackupError):
            raise BackupError(f"{exc}; nothing was changed") from exc
        raise

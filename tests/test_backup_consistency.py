"""Backups taken while people work restore; orphan files are left out; a failed restore leaves the target as it
was and a retry works (issue 15, items 1 and 2)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask, current_app
from sqlalchemy import func, inspect, select, text

from project import clock, create_app
from project.demo import post_screenshot
from project.extensions import db
from project.models import Case, Exhibit, Note, User
from project.services import casework, evidence
from project.services.audit import Actor
from project.services.evidence import sha256_of
from tests.apps import app_environ
from tests.transactions import empty_all_tables

pytestmark = pytest.mark.commits


class Writer(threading.Thread):
    """Adds notes and exhibits to a case, one after another, until told to stop."""

    def __init__(self, app: Flask, case_id: int, investigator_id: int) -> None:
        super().__init__(daemon=True)
        self.app, self.case_id, self.investigator_id = app, case_id, investigator_id
        self.stop = threading.Event()
        self.writes = 0
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            with self.app.app_context():
                config = self.app.config
                settings = evidence.EvidenceSettings(
                    config["EVIDENCE_DIR"], config["EVIDENCE_MAX_BYTES"], config["EVIDENCE_MAX_PIXELS"]
                )
                while not self.stop.is_set():
                    case = db.session.get(Case, self.case_id)
                    actor = Actor(user=db.session.get(User, self.investigator_id), remote_addr="192.0.2.11")
                    casework.add_note(case, "interview", f"Note {self.writes}", actor)
                    shot = post_screenshot("facebook", "@co_pat", "Pat S.", "Mar 1, 2026", f"post {self.writes}")
                    upload = evidence.ExhibitInput(
                        shot, "capture.png", "Screenshot", None, clock.now() - timedelta(days=1), "Ivy", "Browser"
                    )
                    evidence.add_exhibit(case, upload, actor, settings)
                    self.writes += 1
                    db.session.remove()
        except BaseException as exc:
            self.failure = exc


def clean(target: Flask) -> None:
    with target.app_context():
        db.session.remove()
        if set(inspect(db.engine).get_table_names()) - {"alembic_version"}:
            with db.engine.begin() as connection:
                empty_all_tables(connection)
        db.engine.dispose()


def test_a_backup_taken_while_notes_and_exhibits_are_added_restores(
    app, world, runner, empty_database, backend, tmp_path, monkeypatch
):
    case = world.open(exhibit=True)
    writer = Writer(app, case.id, world.investigator.id)
    real_copy, after_snapshot = shutil.copyfile, []

    def copy_once_more_was_written(*args):  # type: ignore[no-untyped-def]
        if not after_snapshot:  # the snapshot is taken: the first file is copied only after another write
            after_snapshot.append(writer.writes)
            while writer.writes < after_snapshot[0] + 1 and writer.is_alive():
                threading.Event().wait(0.02)
        return real_copy(*args)

    monkeypatch.setattr(shutil, "copyfile", copy_once_more_was_written)
    db.session.commit()
    writer.start()
    try:
        while writer.writes < 2 and writer.is_alive():
            threading.Event().wait(0.05)
        folder = tmp_path / "backup"
        before = writer.writes
        created = runner.invoke(args=["backup", "create", str(folder)])
        during = writer.writes
        assert during > before  # a note and an exhibit were committed between the snapshot and the file copy
        while writer.writes < during + 2 and writer.is_alive():
            threading.Event().wait(0.05)
    finally:
        writer.stop.set()
        writer.join(60)
    assert writer.failure is None, repr(writer.failure)
    assert created.exit_code == 0, created.output
    manifest = json.loads((folder / "manifest.json").read_text())
    db.session.expire_all()
    live_notes = db.session.scalar(select(func.count()).select_from(Note))
    assert manifest["tables"]["notes"] < live_notes  # the writer went on after the snapshot
    shas = set(db.session.scalars(select(Exhibit.sha256)))
    backed_up = {Path(name).name for name in manifest["evidence"] if name.startswith("originals/")}
    assert backed_up < shas  # exactly the originals the snapshot's rows name, none written after it
    assert len(backed_up) == manifest["tables"]["exhibits"]

    target = create_app(app_environ(empty_database(backend), tmp_path / "restored"))
    try:
        with target.app_context():
            result = target.test_cli_runner().invoke(args=["backup", "restore", str(folder)])
            assert result.exit_code == 0, result.output
            assert "intact" in result.output
            assert db.session.scalar(select(func.count()).select_from(Note)) == manifest["tables"]["notes"]
            verified = target.test_cli_runner().invoke(args=["evidence", "verify"])
            assert verified.exit_code == 0, verified.output
    finally:
        clean(target)


def test_orphan_files_are_reported_and_left_out(app, world, runner, empty_database, backend, tmp_path):
    world.open(exhibit=True)
    store = Path(current_app.config["EVIDENCE_DIR"])
    orphan_bytes = b"written, then the worker was killed before the commit"
    orphan = store / "originals" / sha256_of(orphan_bytes)[:2] / sha256_of(orphan_bytes)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(orphan_bytes)
    temporary = orphan.parent / ".incoming-abc123"
    temporary.write_bytes(b"half")
    folder = tmp_path / "backup"
    created = runner.invoke(args=["backup", "create", str(folder)])
    assert created.exit_code == 0, created.output
    assert "left out: 2 orphan files:" in created.output
    assert orphan.name in created.output and temporary.name in created.output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert not any(orphan.name in name or temporary.name in name for name in manifest["evidence"])
    assert not any(p.name in (orphan.name, temporary.name) for p in (folder / "evidence").rglob("*"))

    target = create_app(app_environ(empty_database(backend), tmp_path / "restored"))
    try:
        with target.app_context():
            result = target.test_cli_runner().invoke(args=["backup", "restore", str(folder)])
            assert result.exit_code == 0, result.output
            assert target.test_cli_runner().invoke(args=["evidence", "verify"]).exit_code == 0
    finally:
        clean(target)


def test_a_restore_that_fails_midway_leaves_the_target_as_it_was_and_a_retry_works(
    app, world, runner, empty_database, backend, tmp_path
):
    world.open(exhibit=True)
    folder = tmp_path / "backup"
    assert runner.invoke(args=["backup", "create", str(folder)]).exit_code == 0
    # An altered original whose manifest entry was altered to match: every hash in the manifest checks out,
    # and only the evidence check of the staged restore (exhibit rows against the files) finds it.
    manifest_path = folder / "manifest.json"
    good_manifest = manifest_path.read_text()
    manifest = json.loads(good_manifest)
    name = next(n for n in manifest["evidence"] if n.startswith("originals/"))
    good_bytes = (folder / "evidence" / name).read_bytes()
    (folder / "evidence" / name).chmod(0o640)
    (folder / "evidence" / name).write_bytes(b"altered")
    manifest["evidence"][name] = sha256_of(b"altered")
    manifest_path.write_text(json.dumps(manifest))

    instance = tmp_path / "restored"
    target = create_app(app_environ(empty_database(backend), instance))
    try:
        with target.app_context():
            failed = target.test_cli_runner().invoke(args=["backup", "restore", str(folder)])
            assert failed.exit_code != 0 and "was altered" in failed.output, failed.output
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            evidence_dir = Path(target.config["EVIDENCE_DIR"])
            assert not evidence_dir.exists() or not [p for p in evidence_dir.rglob("*") if p.is_file()]
            assert not [p for p in instance.rglob("*") if ".restore-" in p.name]  # the staging copy is gone

            (folder / "evidence" / name).write_bytes(good_bytes)
            manifest_path.write_text(good_manifest)
            retried = target.test_cli_runner().invoke(args=["backup", "restore", str(folder)])
            assert retried.exit_code == 0, retried.output
            assert target.test_cli_runner().invoke(args=["evidence", "verify"]).exit_code == 0
    finally:
        clean(target)


def test_a_pg_dump_older_than_the_server_is_refused_with_the_fix(app, runner, backend, tmp_path, monkeypatch):
    if backend != "postgresql":
        pytest.skip("pg_dump backs up PostgreSQL only")
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "pg_dump").write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    (tools / "pg_dump").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}:{os.environ['PATH']}")
    server = int(db.session.scalar(text("SHOW server_version_num"))) // 10000
    db.session.rollback()
    folder = tmp_path / "backup"
    result = runner.invoke(args=["backup", "create", str(folder)])
    assert result.exit_code != 0
    assert f"pg_dump 9 is older than the PostgreSQL {server} server" in result.output
    assert f"postgresql-client-{server}" in result.output
    assert not folder.exists()


def set_page_size(size: int) -> None:
    db.session.remove()
    db.engine.dispose()
    with closing(sqlite3.connect(str(db.engine.url.database), isolation_level=None)) as connection:
        for pragma in ("journal_mode=DELETE", f"page_size={size}", "journal_mode=WAL"):
            connection.execute(f"PRAGMA {pragma}")
            if pragma.startswith("page_size"):
                connection.execute("VACUUM")


def test_a_switch_over_that_fails_puts_the_evidence_back_and_a_retry_works(
    app, world, runner, empty_database, backend, tmp_path
):
    world.open(exhibit=True)
    folder = tmp_path / "backup"
    assert runner.invoke(args=["backup", "create", str(folder)]).exit_code == 0
    target = create_app(app_environ(empty_database(backend), tmp_path / "restored"))
    try:
        with target.app_context():
            # Something in the way once staging has verified: the database copy into the target fails.
            if backend == "sqlite":  # a page size other than the backup's: a WAL database cannot take the copy
                set_page_size(8192)
            else:
                db.session.execute(text("CREATE SEQUENCE cases_id_seq"))  # the dump creates it too
                db.session.commit()
            failed = target.test_cli_runner().invoke(args=["backup", "restore", str(folder)])
            assert failed.exit_code != 0, failed.output
            assert "into the target failed" in failed.output and "nothing was changed" in failed.output
            if backend == "sqlite":
                set_page_size(4096)
            else:
                db.session.execute(text("DROP SEQUENCE cases_id_seq"))
                db.session.commit()
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            evidence_dir = Path(target.config["EVIDENCE_DIR"])
            assert not [p for p in evidence_dir.rglob("*") if p.is_file() and p.name != ".lock"]
            db.session.remove()

            retried = target.test_cli_runner().invoke(args=["backup", "restore", str(folder)])
            assert retried.exit_code == 0, retried.output
            assert target.test_cli_runner().invoke(args=["evidence", "verify"]).exit_code == 0
    finally:
        clean(target)

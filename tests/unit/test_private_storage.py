"""Finding F16 of issue 15: the instance folder and the SQLite database files are the owner's alone."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy import text

from project import create_app
from project.extensions import db
from tests.apps import app_environ


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _app_over(instance: Path):
    database = instance / "casefile.sqlite"
    return create_app(app_environ(f"sqlite:///{database}", instance)), database


def test_f16_a_new_instance_folder_and_database_are_owner_only(tmp_path: Path):
    instance = tmp_path / "new" / "instance"
    app, database = _app_over(instance)
    with app.app_context():
        db.session.execute(text("CREATE TABLE probe (id INTEGER)"))
        db.session.commit()
        assert mode(instance) == 0o700
        assert mode(database) == 0o600
        for companion in (Path(f"{database}-wal"), Path(f"{database}-shm")):
            assert not companion.exists() or mode(companion) == 0o600, companion
        db.engine.dispose()


def test_f16_an_existing_world_readable_folder_and_database_are_tightened(tmp_path: Path):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    os.chmod(instance, 0o755)  # noqa: S103 - the world-readable folder an older version made
    database = instance / "casefile.sqlite"
    database.touch()
    os.chmod(database, 0o644)
    app, _ = _app_over(instance)
    with app.app_context():
        assert mode(instance) == 0o700
        assert mode(database) == 0o600
        db.engine.dispose()

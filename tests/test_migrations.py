"""The migrations: one head, named revisions, and the same chain upgrading and downgrading both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from project import ROOT, create_app
from project.extensions import db
from project.models.search import described_by_models
from tests.apps import app_environ


def script_directory() -> ScriptDirectory:
    config = Config(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return ScriptDirectory.from_config(config)


def test_exactly_one_head():
    assert len(script_directory().get_heads()) == 1


def test_every_revision_is_named_and_the_chain_is_linear():
    revisions = list(script_directory().walk_revisions())
    assert revisions, "there are no migrations"
    for revision in revisions:
        assert revision.doc and len(revision.doc.strip()) >= 10, f"revision {revision.revision} has no name"
        assert not isinstance(revision.down_revision, tuple), f"{revision.revision} is a merge point"
    assert revisions[-1].down_revision is None


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_check_and_downgrade_on_an_empty_database(backend, empty_database, tmp_path):
    app = create_app(app_environ(empty_database(backend), tmp_path))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {table.name for table in db.metadata.sorted_tables} <= tables

        result = app.test_cli_runner().invoke(args=["db", "check"])
        assert result.exit_code == 0, result.output
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": lambda obj, name, *_: described_by_models(name)}
            )
            assert compare_metadata(context, db.metadata) == []

        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        with db.engine.connect() as conn:  # the comparison does see a schema that differs
            assert compare_metadata(MigrationContext.configure(conn), db.metadata) != []
        db.engine.dispose()


def test_constraints_carry_the_naming_convention(app):
    """Stable names let later migrations alter constraints on both databases."""
    inspector = inspect(db.engine)
    wrong = []
    for table in db.metadata.sorted_tables:
        pk = inspector.get_pk_constraint(table.name)["name"]
        if pk != f"pk_{table.name}" and db.engine.dialect.name != "sqlite":  # SQLite does not keep pk names
            wrong.append(pk)
        for fk in inspector.get_foreign_keys(table.name):
            if not fk["name"].startswith(f"fk_{table.name}_"):
                wrong.append(fk["name"])
        for uq in inspector.get_unique_constraints(table.name):
            if not uq["name"].startswith(f"uq_{table.name}_"):
                wrong.append(uq["name"])
        for ck in inspector.get_check_constraints(table.name):
            if not ck["name"].startswith(f"ck_{table.name}_"):
                wrong.append(ck["name"])
    assert wrong == []

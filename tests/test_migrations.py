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
from project.models.recordkeeping.search import described_by_models
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


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_0030_fills_the_keys_of_the_posts_stored_before_it(backend, empty_database, tmp_path):
    """Issue 17, "seen before": posts stored before migration 0030 are matched by the same keys as new ones."""
    from sqlalchemy import text

    app = create_app(app_environ(empty_database(backend), tmp_path))
    with app.app_context():
        upgrade(revision="0026")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, name, password_hash, created_at, password_changed_at, "
                    "failed_sign_ins) VALUES (1, 'a@example.test', 'A', '!', :t, :t, 0)"
                ),
                {"t": "2026-01-01 00:00:00"},
            )
            conn.execute(
                text(
                    "INSERT INTO cases (id, number, year, sequence, state, title, narrative, complaint_source, "
                    "received_at, created_by_id, created_at, updated_at, content_version, row_version) VALUES "
                    "(1, 'SM-2026-0001', 2026, 1, 'intake', 't', '', 'audit', :t, 1, :t, :t, 1, 1)"
                ),
                {"t": "2026-01-01 00:00:00"},
            )
            conn.execute(
                text(
                    "INSERT INTO reported_posts (case_id, platform, url, account_handle, text, attribution, "
                    "created_by_id, created_at, row_version) VALUES (1, 'x', "
                    "'https://www.twitter.com/co_pat/status/17/?s=20', '@CO_Pat', '', '', 1, :t, 1)"
                ),
                {"t": "2026-01-01 00:00:00"},
            )
        upgrade()
        with db.engine.connect() as conn:
            keys = conn.execute(text("SELECT url_key, handle_key FROM reported_posts")).one()
        assert tuple(keys) == ("x.com/co_pat/status/17", "co_pat")
        db.engine.dispose()


def a_user_and_a_case(conn, state: str, t: dict[str, str]) -> None:
    """User 1 and case 1 (in ``state``, created by user 1), inserted as rows: a data migration's test starts from
    the schema before it, which the models do not describe."""
    from sqlalchemy import text

    conn.execute(
        text(
            "INSERT INTO users (id, email, name, password_hash, created_at, password_changed_at, "
            "failed_sign_ins) VALUES (1, 'a@example.test', 'A', '!', :t, :t, 0)"
        ),
        t,
    )
    conn.execute(
        text(
            "INSERT INTO cases (id, number, year, sequence, state, title, narrative, complaint_source, "
            "received_at, created_by_id, created_at, updated_at, content_version, row_version) VALUES "
            "(1, 'SM-2026-0001', 2026, 1, :state, 't', '', 'audit', :t, 1, :t, :t, 1, 1)"
        ),
        t | {"state": state},
    )


def test_0031_moves_the_grievance_status_and_notes_to_grievances_and_back(backend, empty_database, tmp_path):
    """Issue 18: the labor record's single grievance status and notes become a grievance of their own, marked as
    kept before grievances were tracked; a record with neither gets none; the downgrade puts them back."""
    from sqlalchemy import text

    app = create_app(app_environ(empty_database(backend), tmp_path))
    t = {"t": "2026-01-01 00:00:00"}
    with app.app_context():
        upgrade(revision="0030")
        with db.engine.begin() as conn:
            a_user_and_a_case(conn, "discipline", t)
            for n, (status, notes) in enumerate((("arbitration", "Union grievance 26-114."), ("none", "")), 1):
                conn.execute(
                    text(
                        "INSERT INTO employees (id, employee_number, last_name, first_name, title, facility, status, "
                        "created_at, updated_at) VALUES (:n, :number, 'L', 'F', 'CO', 'X', 'active', :t, :t)"
                    ),
                    t | {"n": n, "number": f"E{n}"},
                )
                conn.execute(
                    text(
                        "INSERT INTO case_subjects (id, case_id, employee_id, added_by_id, added_at) "
                        "VALUES (:n, 1, :n, 1, :t)"
                    ),
                    t | {"n": n},
                )
                conn.execute(
                    text(
                        "INSERT INTO labor_actions (subject_id, grievance_status, grievance_notes, updated_by_id, "
                        "updated_at, row_version) VALUES (:n, :status, :notes, 1, :t, 1)"
                    ),
                    t | {"n": n, "status": status, "notes": notes},
                )
        upgrade()
        with db.engine.connect() as conn:
            moved = conn.execute(text("SELECT subject_id, state, notes, before_tracking FROM grievances")).all()
        assert [tuple(row) for row in moved] == [(1, "arbitration", "Union grievance 26-114.", True)]
        downgrade(revision="0030")
        with db.engine.connect() as conn:
            back = conn.execute(
                text("SELECT subject_id, grievance_status, grievance_notes FROM labor_actions ORDER BY subject_id")
            ).all()
        assert [tuple(row) for row in back] == [(1, "arbitration", "Union grievance 26-114."), (2, "none", "")]
        db.engine.dispose()


def test_0037_gives_the_leave_notices_already_sent_their_own_kind_and_back(backend, empty_database, tmp_path):
    """Issue 18: leave notices were sent as deadline notices; those already in an inbox take the leave kinds
    (by their dedupe key), a real deadline's notice keeps its kind, and the downgrade puts them back."""
    from sqlalchemy import text

    app = create_app(app_environ(empty_database(backend), tmp_path))
    t = {"t": "2026-01-01 00:00:00"}
    with app.app_context():
        upgrade(revision="0036")
        with db.engine.begin() as conn:
            a_user_and_a_case(conn, "approved", t)
            sent = (("leave:7:near", "deadline_due"), ("leave:7:over", "deadline_overdue"), ("d:3:due", "deadline_due"))
            for n, (key, kind) in enumerate(sent, 1):
                conn.execute(
                    text(
                        "INSERT INTO notifications (id, user_id, kind, case_id, message, link, created_at, "
                        "dedupe_key) VALUES (:n, 1, :kind, 1, 'm', '/', :t, :key)"
                    ),
                    t | {"n": n, "kind": kind, "key": key},
                )
        kinds = text("SELECT kind FROM notifications ORDER BY id")
        upgrade()
        with db.engine.connect() as conn:
            assert list(conn.scalars(kinds)) == ["leave_limit_near", "leave_limit_over", "deadline_due"]
        downgrade(revision="0036")
        with db.engine.connect() as conn:
            assert list(conn.scalars(kinds)) == ["deadline_due", "deadline_overdue", "deadline_due"]
        db.engine.dispose()

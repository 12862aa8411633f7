"""``flask db``: Flask-Migrate's commands, with Alembic imported only when a migration runs.

Importing Flask-Migrate imports Alembic, about 0.15 s on this project's 2-core machine. Every ``flask``
command, test process and worker used to pay it at start-up, though only ``flask db`` and the test set-up
migrate (issue 19). Here the app gets two stand-ins: a ``db`` command group that loads the real one when it
is run (or its help is shown), and an ``app.extensions["migrate"]`` entry that loads the real settings on
first use, so ``flask_migrate.upgrade()`` and ``migrations/env.py`` work as before.
"""

from __future__ import annotations

import logging
from typing import Any

import click
from flask import Flask

from project import ROOT

MIGRATIONS = ROOT / "migrations"
# Batch mode lets SQLite alter tables; compare_type lets autogenerate see a changed column type.
ALEMBIC_OPTIONS = {"render_as_batch": True, "compare_type": True}


def init_app(app: Flask) -> None:
    app.extensions["migrate"] = _MigrationsNotLoaded(app)
    app.cli.add_command(_MigrationCommands(app))


def load_migrations(app: Flask) -> Any:
    """Flask-Migrate's settings for ``app``, set up the first time they are needed."""
    settings = app.extensions.get("migrate")
    if not isinstance(settings, _MigrationsNotLoaded):
        return settings
    # Alembic announces each plugin it sets up at INFO, and the app's log is already set up by now.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    from flask_migrate import Migrate

    from project.extensions import db

    Migrate(app, db, directory=str(MIGRATIONS), **ALEMBIC_OPTIONS)  # replaces both stand-ins
    return app.extensions["migrate"]


class _MigrationsNotLoaded:
    """Stands in ``app.extensions["migrate"]`` until something reads it."""

    def __init__(self, app: Flask) -> None:
        self._app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(load_migrations(self._app), name)


class _MigrationCommands(click.Group):
    """``flask db``, listed with its help; Flask-Migrate's own group answers once it is used."""

    def __init__(self, app: Flask) -> None:
        super().__init__("db", help="Perform database migrations.")
        self._app = app

    def _loaded(self) -> click.Group:
        load_migrations(self._app)
        from flask_migrate.cli import db as migration_commands

        return migration_commands

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        # The real group parses the arguments, so its own options (--directory, -x) and callback take effect.
        return self._loaded().make_context(info_name, args, parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._loaded().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._loaded().get_command(ctx, cmd_name)

"""The ``flask`` commands an administrator runs: seeding, users, the roster, packets and letters, backups,
the audit trail, retention, the stored deadlines, the worker, and ``flask db`` (loaded only when used).

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.commands.tasks import SEED_DIR, init_app

__all__ = ["SEED_DIR", "init_app"]

"""Connection settings the ORM cannot express: SQLite pragmas and a UTC-always datetime type."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

SQLITE_BUSY_TIMEOUT_MS = 5000


def listen_once(target: Any, identifier: str, fn: Any) -> None:
    """Register an event listener unless it is registered already (``create_app`` may run many times)."""
    if not event.contains(target, identifier, fn):
        event.listen(target, identifier, fn)


def keep_with_each_commit(note: Any, store: Any, forget: Any) -> None:
    """Register the listeners of figures stored by the commit that changes them (once per process): ``note``
    after each flush (what it changed), ``store`` just before the commit, ``forget`` after a rollback."""
    listen_once(Session, "after_flush", note)
    listen_once(Session, "before_commit", store)
    listen_once(Session, "after_rollback", forget)


def install_sqlite_pragmas() -> None:
    """Every new SQLite connection gets the pragmas below (PostgreSQL connections are left alone)."""
    listen_once(Engine, "connect", _configure_sqlite)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL for concurrent readers, enforced foreign keys, a busy timeout and fully synced commits."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS:d}")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware.

    PostgreSQL keeps ``timestamp with time zone``; SQLite keeps the naive UTC value.
    Naive datetimes are refused on the way in: every time in a personnel record must say its zone.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: pass a timezone-aware value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

"""How a test's database work is undone: rolled back, or (tests marked ``commits``) put back.

Each backend's database is migrated and given the catalogue once per run; the rows it then holds are the
*starting rows* every test begins from (``Database.starting_rows``).

Most tests run on one connection inside a transaction that is rolled back when they end (SQLAlchemy's
"joining a session into an external transaction"). The connection, a ``SharedConnection``, takes the place
of the app's engine in Flask-SQLAlchemy's ``db.engines``, so that:

- every session joins it, each on a savepoint of its own (``join_transaction_mode="create_savepoint"``): the
  test's session, each request's (``RequestClient`` opens an app context per request), each CLI command's, and
  one opened with ``Session(bind=db.session.get_bind())``. A session's commit releases its savepoint; its
  rollback returns to it, as a rollback of its own transaction would;
- code that uses ``db.engine`` as an engine gets the same connection: ``db.engine.begin()`` is a block on a
  savepoint; ``db.engine.connect()`` reads through the shared connection.

On a real database a commit cannot be undone by another transaction's rollback. Here the savepoints nest (a
request's inside the test session's; a ``db.engine.begin()`` block inside a request's), so after each
savepoint is released the enclosing ones are released and set again at that point: what was committed stays,
whoever rolls back later. Nothing is committed to the database itself: the test's transaction is rolled back,
and each test checks that it left the starting row counts and held no other connection.

A test whose work must reach the database for real - threads or processes using the database, a backup taken
by ``pg_dump`` or SQLite's backup API, a check from another connection after a crash - is marked
``@pytest.mark.commits``: it runs as before this module (its own app and engine, real commits) and the
starting rows are put back afterwards (``Database.restore``). A shared connection used from another thread
raises, saying to mark the test.

SQLite: pysqlite begins transactions on its own and mishandles savepoints (a RELEASE of a savepoint it did not
know about commits), so the engine for shared connections takes SQLAlchemy's documented remedy: the driver
begins nothing (``isolation_level = None``) and the engine emits BEGIN itself.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, Select, Table, create_engine, event, func, insert, select, text
from sqlalchemy.engine import Connection

from project.extensions import db

Rows = dict[str, list[dict[str, Any]]]


class SharedConnection(Connection):
    """The one connection of a rolled-back test, standing where the app's engine stands."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self._thread = threading.get_ident()
        self._savepoints: list[str] = []  # open, outermost first
        self._names = itertools.count(1)

    @property
    def url(self) -> Any:
        return self.engine.url

    def begin(self) -> Any:  # type: ignore[override]
        """The test's own transaction when none is open; otherwise ``db.engine.begin()``: a savepoint block."""
        if not self.in_transaction():
            return super().begin()
        return self._block()

    @contextmanager
    def _block(self) -> Iterator[SharedConnection]:
        with self.begin_nested():
            yield self

    def connect(self) -> EngineConnection:
        """``db.engine.connect()``."""
        return EngineConnection(self)

    def commit(self) -> None:
        raise AssertionError("a rolled-back test's transaction cannot be committed; mark the test commits")

    # Savepoints are sent on the driver's cursor, as SQLAlchemy would send them but unseen by the listeners of
    # ``before_cursor_execute``: the machinery of the test, not statements of the app (which tests count and
    # explain), as BEGIN and COMMIT on a connection of its own would be.

    def check_thread(self) -> None:
        if threading.get_ident() != self._thread:
            raise RuntimeError("the database is used from another thread: mark the test @pytest.mark.commits")

    def _savepoint_impl(self, name: str | None = None) -> str:
        self.check_thread()
        if self._has_events or self.engine._has_events:
            self.dispatch.savepoint(self, name)
        name = name or f"test_savepoint_{next(self._names)}"
        self._send(f"SAVEPOINT {name}")
        self._savepoints.append(name)
        return name

    def _rollback_to_savepoint_impl(self, name: str) -> None:
        if self._has_events or self.engine._has_events:
            self.dispatch.rollback_savepoint(self, name, None)
        if self._still_open_and_dbapi_connection_is_valid:
            self._send(f"ROLLBACK TO SAVEPOINT {name}")
        self._forget(name)

    def _release_savepoint_impl(self, name: str) -> None:
        if self._has_events or self.engine._has_events:
            self.dispatch.release_savepoint(self, name, None)
        self._send(f"RELEASE SAVEPOINT {name}")
        self._forget(name)
        self.keep_committed()

    def _forget(self, name: str) -> None:
        if name in self._savepoints:
            del self._savepoints[self._savepoints.index(name) :]

    def keep_committed(self) -> None:
        """Release the open savepoints and set them again here, so no later rollback to them undoes what is
        committed now."""
        if self._savepoints:
            self._send(f"RELEASE SAVEPOINT {self._savepoints[0]}", *(f"SAVEPOINT {n}" for n in self._savepoints))

    def _send(self, *statements: str) -> None:
        cursor = self.connection.cursor()
        try:
            for statement in statements:
                cursor.execute(statement)
        finally:
            cursor.close()


class EngineConnection:
    """What ``db.engine.connect()`` gives in a rolled-back test: reads through the shared connection.

    It reads only (an insert, update or delete through ``execute`` is refused: write in ``db.engine.begin()``, or
    mark the test ``commits``), so its rollback and close have nothing of their own to undo, and its commit only
    keeps what others committed so far (``SharedConnection.keep_committed``).
    """

    def __init__(self, shared: SharedConnection) -> None:
        self._shared = shared

    def __enter__(self) -> EngineConnection:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        self._shared.check_thread()
        if getattr(statement, "is_dml", False):
            raise NotImplementedError(
                "a write through db.engine.connect(): use db.engine.begin(), or mark the test commits"
            )
        return self._shared.execute(statement, *args, **kwargs)

    def scalar(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        return self.execute(statement, *args, **kwargs).scalar()

    def scalars(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        return self.execute(statement, *args, **kwargs).scalars()

    def begin(self) -> Any:
        return self._shared.begin()

    def commit(self) -> None:
        self._shared.keep_committed()

    def rollback(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._shared, name)


@contextmanager
def standing_in(connection: SharedConnection) -> Iterator[None]:
    """The app of the current app context takes ``connection`` as its engine (Flask-SQLAlchemy's ``db.engines``
    of the app, a dict); its own engine back at the end, checked never to have connected."""
    engines = db.engines
    own_engine = engines[None]
    engines[None] = connection  # type: ignore[index]
    try:
        yield
    finally:
        db.session.remove()
        engines[None] = own_engine  # type: ignore[index]
    assert own_engine.pool.checkedin() + own_engine.pool.checkedout() == 0, "the app's own engine connected"


def engine_for_shared_connections(url: Any, options: dict[str, Any]) -> Engine:
    """The app's engine settings, but no ping at each checkout (a local database, a checkout a test)."""
    engine = create_engine(url, **(options | {"pool_pre_ping": False}))
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _driver_begins_nothing(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN")

    return engine


def read_rows(connection: Connection) -> Rows:
    return {
        table.name: [dict(row._mapping) for row in connection.execute(select(table))]
        for table in db.metadata.sorted_tables
    }


@functools.cache
def _counting() -> Select[Any]:
    tables = db.metadata.sorted_tables
    return select(*(select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables))


def count_rows(connection: Connection) -> dict[str, int]:
    return dict(connection.execute(_counting()).one()._mapping)


def empty_all_tables(connection: Connection) -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if connection.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            connection.execute(table.delete())


def _integer_key(table: Table) -> str | None:
    keys = list(table.primary_key.columns)
    if len(keys) == 1 and keys[0].type.python_type is int:
        return keys[0].name
    return None


def put_back(connection: Connection, rows: Rows) -> None:
    """Empty every table and insert ``rows``; on PostgreSQL, each id sequence goes on from the largest id."""
    empty_all_tables(connection)
    for table in db.metadata.sorted_tables:
        if rows[table.name]:
            connection.execute(insert(table), rows[table.name])
            key = _integer_key(table)
            if key and connection.dialect.name == "postgresql":
                largest = select(func.max(table.c[key])).scalar_subquery()
                connection.execute(select(func.setval(func.pg_get_serial_sequence(table.name, key), largest)))


class Database:
    """One backend's database for the run: its URL, an engine for shared connections, its starting rows."""

    def __init__(self, url: Any, engine_options: dict[str, Any], catalogue_tables: frozenset[str]) -> None:
        self.url: str = url.render_as_string(hide_password=False)
        self.engine = engine_for_shared_connections(url, engine_options)
        self.catalogue_tables = catalogue_tables
        with self.engine.connect() as connection:
            self.starting_rows = read_rows(connection)
        self.starting_counts = {name: len(rows) for name, rows in self.starting_rows.items()}

    @contextmanager
    def rolled_back(self) -> Iterator[SharedConnection]:
        """A shared connection in a transaction rolled back at the end; then the checks that the test held no
        other connection and left the starting row counts."""
        connection = SharedConnection(self.engine)
        transaction = connection.begin()
        try:
            yield connection
        finally:
            others = self.engine.pool.checkedout() - 1
            if transaction.is_active:
                transaction.rollback()
            if connection.in_transaction():  # one begun after something ended the test's
                connection.rollback()
            counts = count_rows(connection)  # in a transaction of its own, closed with the connection
            connection.close()
        assert others == 0, f"{others} other connection(s) to the test database were open during the test"
        self.check_counts(counts)

    def check_counts(self, counts: dict[str, int]) -> None:
        changed = {
            name: (self.starting_counts[name], n) for name, n in counts.items() if n != self.starting_counts[name]
        }
        assert not changed, f"the test left rows in the database (table: (rows before, rows after)): {changed}"

    def check_rows(self) -> None:
        with self.engine.connect() as connection:
            assert read_rows(connection) == self.starting_rows, "the database no longer holds its starting rows"

    def restore(self) -> None:
        """Put the starting rows back after a test that committed."""
        with self.engine.begin() as connection:
            put_back(connection, self.starting_rows)

    def dispose(self) -> None:
        self.engine.dispose()

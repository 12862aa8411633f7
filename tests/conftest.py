"""Fixtures: every test that touches the database runs once on SQLite and once on PostgreSQL.

PostgreSQL is used when TEST_DATABASE_URL is set (a server URL; the suite creates and drops its own
database there). Without it the PostgreSQL half is skipped with a visible reason, unless
REQUIRE_POSTGRES=1 (as in .ci/run), which turns the skip into a failure.

Each backend's database is migrated and given the catalogue once per run (``database``): every test starts
from those rows. A test's work is rolled back at its end; a test marked ``commits`` commits for real and the
starting rows are put back after it (tests/transactions.py).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.test import TestResponse

from project import create_app
from project.extensions import db
from project.services import dashboard, deadlines
from tests import factories
from tests.apps import DEMO_PASSWORD, app_environ, as_new, build_app
from tests.browser.environment import report_line as browser_report_line
from tests.transactions import Database, count_rows, standing_in

# ``ffmpeg`` and ``ldap_directory`` (skip or fail without them), and ``oidc_provider``
pytest_plugins = ["tests.media_files", "tests.ldap_server", "tests.oidc_provider"]

# A session joins a rolled-back test's connection on a savepoint of its own (tests/transactions.py); bound to an
# engine (tests marked commits) it has no connection to join and the setting does nothing.
db.session.session_factory.configure(join_transaction_mode="create_savepoint")


def pytest_report_header(config: pytest.Config) -> list[str]:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        databases = f"databases: SQLite and PostgreSQL ({make_url(url).render_as_string(hide_password=True)})"
    else:
        databases = "databases: SQLite only - PostgreSQL run SKIPPED (set TEST_DATABASE_URL to include it)"
    return [databases, browser_report_line()]


def postgres_server_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        message = "PostgreSQL run skipped: TEST_DATABASE_URL is not set"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(message + " but REQUIRE_POSTGRES=1", pytrace=False)
        pytest.skip(message)
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def maintenance_url(server_url: str) -> str:
    """CREATE/DROP DATABASE run from the server's ``postgres`` database, which every cluster has."""
    return make_url(server_url).set(database="postgres").render_as_string(hide_password=False)


def create_postgres_database(server_url: str) -> str:
    """Create an empty, uniquely named database on the server and return its URL."""
    name = f"casefile_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(maintenance_url(server_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(server_url: str, url: str) -> None:
    name = make_url(url).database
    engine = create_engine(maintenance_url(server_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """A factory of brand-new empty databases of a backend; each is removed at the end of the run."""
    made: list[tuple[str, str]] = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'casefile.sqlite'}"
        server = postgres_server_url()
        assert server is not None
        url = create_postgres_database(server)
        made.append((server, url))
        return url

    yield make
    for server, url in made:
        drop_postgres_database(server, url)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, empty_database, tmp_path_factory) -> Iterator[Database]:
    """One database per backend for the run, brought to the newest schema by the migrations and given the
    catalogue (seed_data/): the starting rows of every test. At the end of the run it must hold them still."""
    from flask_migrate import upgrade

    from project.commands import SEED_DIR
    from project.services.catalogue import load_catalogue

    url = empty_database(request.param)
    app = create_app(app_environ(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade()
        migrated = count_rows(db.session.connection())
        load_catalogue(SEED_DIR)
        catalogue = frozenset(name for name, n in count_rows(db.session.connection()).items() if n > migrated[name])
        db.session.remove()
        database = Database(db.engine.url, app.config["SQLALCHEMY_ENGINE_OPTIONS"], catalogue)
        db.engine.dispose()
    yield database
    database.check_rows()
    database.dispose()


@pytest.fixture(scope="session")
def migrated_database(database: Database) -> str:
    """The URL of the backend's database (migrated, with the catalogue)."""
    return database.url


@pytest.fixture(scope="session")
def shared_app(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The backend's app for the run; each test gets it as new (tests/apps.py)."""
    return build_app(database.url, tmp_path_factory.mktemp("shared-app") / "instance")


@pytest.fixture()
def app(request: pytest.FixtureRequest, database: Database, shared_app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """The app, in an app context, over the backend's database, with an instance folder of the test's own. Its
    work is rolled back at the end of the test (tests/transactions.py); a test marked ``commits`` commits, on an
    app of its own, and the starting rows are put back after it."""
    instance = tmp_path / "instance"
    if request.node.get_closest_marker("commits"):
        request.getfixturevalue("committed")
        app = build_app(database.url, instance)
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
        return
    with ExitStack() as stack:
        if request.node.get_closest_marker("own_app"):
            app = build_app(database.url, instance)
        else:
            app = stack.enter_context(as_new(shared_app, instance))
        connection = stack.enter_context(database.rolled_back())
        stack.enter_context(app.app_context())
        stack.enter_context(standing_in(connection))
        yield app


@pytest.fixture()
def committed(request: pytest.FixtureRequest, database: Database) -> Iterator[str]:
    """For a test marked ``commits`` (see pyproject.toml): the database URL; the starting rows go back after it."""
    assert request.node.get_closest_marker("commits"), "a test that commits to the database must be marked commits"
    yield database.url
    database.restore()


@pytest.fixture()
def backend(app: Flask) -> str:
    return db.engine.dialect.name


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture()
def seeded_catalogue(app: Flask) -> None:
    """The catalogue of seed_data/, which the database holds from the start of the run (``database``)."""


@pytest.fixture()
def empty_catalogue(app: Flask, database: Database) -> None:
    """No catalogue: for tests of loading it into an empty database."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name in database.catalogue_tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture()
def users(app: Flask) -> factories.Users:
    return factories.Users()


CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def _csrf_token_from(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


def _sign_in(client: FlaskClient, email: str, password: str = DEMO_PASSWORD, next_url: str = "") -> TestResponse:
    page = client.get("/auth/sign-in")
    token = _csrf_token_from(page.get_data(as_text=True))
    return client.post(
        "/auth/sign-in", data={"email": email, "password": password, "csrf_token": token, "next": next_url}
    )


def _post_form(
    client: FlaskClient, url: str, data: dict[str, Any], page: str | None = None, **options: Any
) -> TestResponse:
    shown = client.get(page or url)
    assert shown.status_code == 200, f"{page or url} answered {shown.status_code}"
    token = _csrf_token_from(shown.get_data(as_text=True))
    return client.post(url, data={"csrf_token": token} | data, **options)


@pytest.fixture()
def csrf_token_from() -> Callable[[str], str]:
    """``csrf_token_from(html)``: the CSRF token in a page's (first) form."""
    return _csrf_token_from


@pytest.fixture()
def sign_in() -> Callable[..., TestResponse]:
    """``sign_in(client, email, password=DEMO_PASSWORD, next_url="")``: the sign-in page's form, filled in and
    posted; the response to the post."""
    return _sign_in


@pytest.fixture()
def post_form() -> Callable[..., TestResponse]:
    """``post_form(client, url, data, page=None, **options)``: the page with the form (``page``, else ``url``)
    opened (it must answer 200), then ``data`` posted to ``url`` with the page's CSRF token (``data`` may carry
    a token of its own); ``options`` go to ``client.post`` (``content_type=...``)."""
    return _post_form


class FrozenClock:
    """Stands in for ``project.clock.now``: time moves only when the test says so."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture()
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    clock = FrozenClock(datetime(2026, 3, 2, 14, 30, tzinfo=UTC))
    monkeypatch.setattr("project.clock.now", clock)
    return clock


@pytest.fixture()
def world(users: factories.Users, seeded_catalogue: None) -> Iterator[factories.World]:
    """Users of every role and the catalogue, ready to build cases in any state. After the test, the stored
    running deadlines must be what the clocks of its cases give (every commit of the test kept them)."""
    made = factories.make_world(users)
    deadlines.refresh_all()  # stored from the start: what the test's commits store is checked after it
    dashboard.refresh_stored_days()
    yield made
    db.session.rollback()  # what the test left unflushed or uncommitted is not the stored figures' concern
    assert deadlines.stored_differences() == []
    assert dashboard.stored_days_differences() == []

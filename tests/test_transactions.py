"""The rolled-back transaction tests run in (tests/transactions.py): one connection, commits that stay
committed within the test, nothing left behind."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, event, func, select, update

from project.extensions import db
from project.models import User, UserSession
from tests.apps import as_new
from tests.factories import PASSWORD, Users
from tests.transactions import SharedConnection, standing_in


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_the_test_and_its_requests_share_one_connection(app, client, users, sign_in, database):
    assert isinstance(db.engine, SharedConnection) and db.session.connection() is db.engine
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    sign_in(client, users.make().email, PASSWORD)
    assert client.get("/").status_code == 200
    assert statements, "the requests' statements went through the test's connection"
    assert database.engine.pool.checkedout() == 1


def test_a_request_commit_survives_the_test_sessions_rollback(app, client, users, sign_in):
    user = users.make()
    assert count(UserSession) == 0  # the test's session is in a transaction (a savepoint) of its own now
    sign_in(client, user.email, PASSWORD)  # the request's session commits the new session row
    db.session.rollback()
    assert count(UserSession) == 1


def test_a_block_of_db_engine_begin_commits_within_the_test(app, users):
    user = users.make()
    assert db.session.get(User, user.id).name != "Renamed"
    with db.engine.begin() as connection:
        connection.execute(update(User).where(User.id == user.id).values(name="Renamed"))
    db.session.rollback()
    assert db.session.get(User, user.id).name == "Renamed"


def test_a_write_through_db_engine_connect_is_refused(app, users):
    user = users.make()
    with db.engine.connect() as connection:
        assert connection.scalar(select(User.email).where(User.id == user.id)) == user.email
        with pytest.raises(NotImplementedError, match="db.engine.begin"):
            connection.execute(update(User).values(name="x"))


def test_the_connection_refuses_another_thread(app):
    raised: list[BaseException] = []

    def query() -> None:
        with app.app_context():
            try:
                db.session.scalar(select(func.count()).select_from(User))
            except RuntimeError as exc:
                raised.append(exc)
            finally:
                db.session.remove()

    thread = threading.Thread(target=query)
    thread.start()
    thread.join()
    assert len(raised) == 1 and "mark the test @pytest.mark.commits" in str(raised[0])


def test_what_a_test_commits_is_gone_after_it(database, shared_app, tmp_path):
    with (
        database.rolled_back() as connection,
        as_new(shared_app, tmp_path / "instance"),
        shared_app.app_context(),
        standing_in(connection),
    ):
        Users().make()
        assert count(User) == 1
    engine = create_engine(database.url)
    try:
        with engine.connect() as other:
            assert other.scalar(select(func.count()).select_from(User)) == 0
    finally:
        engine.dispose()

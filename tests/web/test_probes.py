"""The operators' probes (issue 20, item 4): /healthz answers while the process runs, without the database
or a sign-in; /readyz checks the database, the evidence folder and Redis where configured, and says which
check failed. Neither tells an anonymous caller a secret, a path or a version."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from project import create_app
from project.extensions import db
from project.services import accounts
from tests.apps import app_environ, build_app
from tests.factories import PASSWORD
from tests.redis_server import require_redis
from tests.statements import counted

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture()
def unreachable_database_app(tmp_path: Path) -> Flask:
    """An app whose database server is down: nothing listens on the port it names."""
    return build_app("postgresql+psycopg://casefile@127.0.0.1:1/casefile", tmp_path / "instance")


def assert_reveals_nothing(app: Flask, body: str) -> None:
    for secret in (app.config["SECRET_KEY"], "version", "/"):  # "/": no path, no URL
        assert str(secret) not in body


def test_healthz_answers_without_the_database_or_a_sign_in(unreachable_database_app):
    response = unreachable_database_app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def test_readyz_reports_each_check_when_all_is_well(app, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok", "evidence": "ok"}}
    assert_reveals_nothing(app, response.get_data(as_text=True))


def test_readyz_names_the_database_when_it_cannot_be_reached(unreachable_database_app):
    response = unreachable_database_app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "not ready",
        "checks": {"database": "failed", "evidence": "ok"},
        "failed": ["database"],
    }
    assert_reveals_nothing(unreachable_database_app, response.get_data(as_text=True))


def test_readyz_names_the_evidence_folder_when_nothing_can_be_written_there(app, client, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app.config["EVIDENCE_DIR"] = str(blocker / "evidence")  # even root cannot write under a file
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["failed"] == ["evidence"]
    assert_reveals_nothing(app, response.get_data(as_text=True))


def test_readyz_leaves_no_file_in_the_evidence_folder(app, client):
    assert client.get("/readyz").status_code == 200
    assert list(Path(app.config["EVIDENCE_DIR"]).iterdir()) == []


def test_readyz_checks_the_rate_limit_redis_when_it_is_configured(app, client):
    app.config["RATE_LIMIT_STORAGE_URL"] = require_redis()
    response = client.get("/readyz")
    assert response.status_code == 200 and response.get_json()["checks"]["redis"] == "ok"


def test_readyz_names_redis_when_the_one_in_the_environment_does_not_answer(database, tmp_path):
    app = create_app({**app_environ(database.url, tmp_path / "instance"), "REDIS_URL": CLOSED_PORT_REDIS})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "evidence": "ok", "redis": "failed"}
    assert "127.0.0.1" not in response.get_data(as_text=True)


def test_a_signed_in_user_who_must_change_the_password_still_gets_the_probes(client, users, sign_in):
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    accounts.user_by_id(user.id).password_change_required = True
    db.session.flush()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_healthz_sends_no_statement_even_with_a_signed_in_session(client, users, sign_in):
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    with counted() as statements:
        assert client.get("/healthz").status_code == 200
    assert statements == []

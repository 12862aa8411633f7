"""Sign-in rate limits per address and per account (ASVS 2.2.1), counted by the `limits` library in memory
and in Redis: each test runs on both storages."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent
from project.services.accounts import RateLimiter, limiter_for
from tests.factories import PASSWORD
from tests.redis_server import require_redis


@pytest.fixture(params=["memory", "redis"])
def storage_url(request: pytest.FixtureRequest) -> str | None:
    return require_redis() if request.param == "redis" else None


@pytest.fixture()
def limiter(app, storage_url) -> RateLimiter:
    """The app's limiter on the storage under test, its Redis keys in a namespace of this test's own."""
    made = limiter_for(storage_url, namespace=f"casefile-test-{uuid.uuid4().hex}")
    app.extensions["casefile_rate_limiter"] = made
    return made


def test_the_storage_follows_the_setting():
    assert limiter_for(None).storage_name == "memory"
    assert limiter_for("").storage_name == "memory"
    assert limiter_for("redis://127.0.0.1:6379/0").storage_name == "redis"
    assert limiter_for("unix:///run/redis/redis.sock").storage_name == "redis"


def test_a_sliding_window_forgets_old_attempts(limiter):
    key = uuid.uuid4().hex
    assert all(limiter.allow(key, 3, 1) for _ in range(3))
    assert not limiter.allow(key, 3, 1)
    time.sleep(1.1)
    assert limiter.allow(key, 3, 1)


def test_two_limiters_on_one_storage_url_share_one_count(storage_url):
    namespace = f"casefile-test-{uuid.uuid4().hex}"
    first, second = limiter_for(storage_url, namespace=namespace), limiter_for(storage_url, namespace=namespace)
    assert first.allow("k", 2, 60) and second.allow("k", 2, 60)
    shared = not first.allow("k", 2, 60)
    assert shared == (storage_url is not None), "workers share counts in Redis; memory is one process's own"


def test_too_many_attempts_from_one_address_get_429_even_with_the_right_password(app, client, users, sign_in, limiter):
    user = users.make("investigator")
    app.config["SIGN_IN_RATE_PER_ADDRESS"] = 3
    for _ in range(3):
        assert sign_in(client, "someone@example.test", "wrong password!").status_code == 200
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429 and "Too many sign-in attempts" in response.get_data(as_text=True)
    refused = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.sign_in_rate_limited").order_by(AuditEvent.id)
    ).all()
    assert [(event.detail["email"], event.detail["by"]) for event in refused] == [(user.email, "address")]


def test_too_many_attempts_on_one_account_are_refused_from_any_address(app, users, sign_in, limiter):
    user = users.make("investigator")
    app.config["SIGN_IN_RATE_PER_ACCOUNT"] = 2
    for n in range(2):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n}"
        sign_in(client, user.email, "wrong password!")
    late = app.test_client()
    late.environ_base["REMOTE_ADDR"] = "198.51.100.99"
    assert sign_in(late, user.email, PASSWORD).status_code == 429
    refused = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.sign_in_rate_limited").order_by(AuditEvent.id)
    ).all()
    assert [(event.remote_addr, event.detail["by"]) for event in refused] == [("198.51.100.99", "account")]

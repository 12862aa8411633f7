"""Sign-in rate limits per address and per account (ASVS 2.2.1), in memory and in Redis."""

from __future__ import annotations

import uuid

import pytest

from project.services.accounts import MemoryStorage, RateLimiter, RedisStorage
from tests.factories import PASSWORD


def test_a_sliding_window_forgets_old_attempts(frozen_clock):
    limiter = RateLimiter(MemoryStorage())
    assert all(limiter.allow("k", 3, 60) for _ in range(3))
    assert not limiter.allow("k", 3, 60)
    frozen_clock.advance(seconds=61)
    assert limiter.allow("k", 3, 60)


def test_redis_storage_counts_across_workers(frozen_clock):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    key = f"test-{uuid.uuid4().hex}"
    first, second = (
        RateLimiter(RedisStorage("redis://127.0.0.1:6379/0")),
        RateLimiter(RedisStorage("redis://127.0.0.1:6379/0")),
    )
    assert first.allow(key, 2, 60) and second.allow(key, 2, 60)
    assert not first.allow(key, 2, 60), "the two limiters share one count"
    frozen_clock.advance(seconds=61)
    assert second.allow(key, 2, 60)


def test_too_many_attempts_from_one_address_get_429_even_with_the_right_password(app, client, users, sign_in):
    user = users.make("investigator")
    app.config["SIGN_IN_RATE_PER_ADDRESS"] = 3
    for _ in range(3):
        assert sign_in(client, "someone@example.test", "wrong password!").status_code == 200
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429 and "Too many sign-in attempts" in response.get_data(as_text=True)


def test_too_many_attempts_on_one_account_are_refused_from_any_address(app, users, sign_in):
    user = users.make("investigator")
    app.config["SIGN_IN_RATE_PER_ACCOUNT"] = 2
    for n in range(2):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n}"
        sign_in(client, user.email, "wrong password!")
    late = app.test_client()
    late.environ_base["REMOTE_ADDR"] = "198.51.100.99"
    assert sign_in(late, user.email, PASSWORD).status_code == 429

"""The Redis the tests use for real (127.0.0.1:6379, as .ci/run starts it): skipped when it is not running,
unless REQUIRE_REDIS=1, which turns the skip into a failure."""

from __future__ import annotations

import os

import pytest
import redis

REDIS_URL = "redis://127.0.0.1:6379/0"


def require_redis() -> str:
    """The URL of the running Redis, or a skip (a failure under REQUIRE_REDIS=1) when none answers."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        message = f"Redis is not running at {REDIS_URL}"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(message + " but REQUIRE_REDIS=1", pytrace=False)
        pytest.skip(message)
    return REDIS_URL

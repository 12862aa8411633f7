"""Counting attempts in a sliding window, per key (an address, an account), to slow down guessing.

Storage is in memory by default (one process), or Redis when RATE_LIMIT_STORAGE_URL names one, so several
workers share the counts.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Protocol

from project import clock
from project.services.accounts.addresses import normalize_email
from project.services.audit import record
from project.transaction import committing


class Storage(Protocol):
    def hit(self, key: str, window_seconds: int) -> int:
        """Record an attempt now and return how many fall within the window."""
        ...


class MemoryStorage:
    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, window_seconds: int) -> int:
        now = clock.now().timestamp()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - window_seconds:
                hits.popleft()
            hits.append(now)
            return len(hits)


class RedisStorage:
    """A sliding window in a Redis sorted set per key, trimmed and counted in one transaction."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)

    def hit(self, key: str, window_seconds: int) -> int:
        now = clock.now().timestamp()
        name = f"casefile:rate:{key}"
        pipe = self._redis.pipeline(transaction=True)
        pipe.zremrangebyscore(name, 0, now - window_seconds)
        pipe.zadd(name, {f"{now:.6f}:{uuid.uuid4().hex}": now})  # a distinct member per attempt
        pipe.zcard(name)
        pipe.expire(name, window_seconds)
        return int(pipe.execute()[2])


class RateLimiter:
    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def allow(self, key: str, limit: int, window_seconds: int) -> bool:
        """Count this attempt; False when it is over ``limit`` within the window."""
        return self.storage.hit(key, window_seconds) <= limit


@dataclass(frozen=True)
class SignInRate:
    """How many sign-in attempts one address and one account name may make within the window."""

    per_address: int
    per_account: int
    window_seconds: int


def within_sign_in_rate(limiter: RateLimiter, rate: SignInRate, email: str, remote_addr: str | None) -> bool:
    """Count a sign-in attempt against the client's address and the account name; False when either is over
    its limit (the refusal is audited; the account lockout stands behind this)."""
    address_ok = limiter.allow(f"sign-in:address:{remote_addr}", rate.per_address, rate.window_seconds)
    account_ok = limiter.allow(f"sign-in:account:{normalize_email(email)}", rate.per_account, rate.window_seconds)
    if address_ok and account_ok:
        return True
    with committing("the audit trail"):
        record(
            "auth.sign_in_rate_limited",
            remote_addr=remote_addr,
            detail={"email": normalize_email(email)[:254], "by": "address" if not address_ok else "account"},
        )
    return False


def limiter_for(url: str | None) -> RateLimiter:
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        return RateLimiter(RedisStorage(url))
    return RateLimiter(MemoryStorage())

"""Counting attempts in a moving window, per key (an address, an account), to slow down guessing.

The counting is the `limits` library's moving window: in memory by default (one process), or in Redis when
RATE_LIMIT_STORAGE_URL names one, so several workers share the counts. The library keeps its own time
(the system clock, or Redis's), not ``project.clock``.
"""

from __future__ import annotations

from dataclasses import dataclass

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from project import metrics
from project.services.accounts.addresses import normalize_email
from project.services.audit import record
from project.transaction import committing

REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://")


class RateLimiter:
    """A moving-window limiter over one storage; ``storage_name`` says which ("memory" or "redis")."""

    def __init__(self, storage: Storage, storage_name: str) -> None:
        self.storage_name = storage_name
        self._limiter = MovingWindowRateLimiter(storage)

    def allow(self, key: str, limit: int, window_seconds: int) -> bool:
        """Count this attempt; False when ``limit`` attempts were already counted within the window (a
        refused attempt is not counted, so waiting out the window always lets the next one through)."""
        return self._limiter.hit(RateLimitItemPerSecond(limit, window_seconds), key)


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
    metrics.count_sign_in_failure("rate_limited")
    return False


def limiter_for(url: str | None, namespace: str = "casefile:rate") -> RateLimiter:
    """A limiter in Redis when ``url`` names one (``unix://`` as redis-py spells a socket is accepted too),
    its keys under ``namespace``; otherwise in this process's memory."""
    if url and url.startswith("unix://"):
        url = "redis+" + url
    if url and url.startswith(REDIS_SCHEMES):
        return RateLimiter(RedisStorage(url, key_prefix=namespace), "redis")
    return RateLimiter(MemoryStorage(), "memory")

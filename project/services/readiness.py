"""Is this app server ready to take work: its database answers, its evidence folder takes a file, and the
Redis it is configured with (rate-limit counts, the job queue) answers. Each check says only "ok" or
"failed"; why a check failed goes to the server's log, never to the caller."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from project.extensions import db

log = logging.getLogger(__name__)

REDIS_SCHEMES = ("redis://", "rediss://", "unix://", "redis+unix://")
REDIS_TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, str]  # name -> "ok" or "failed", in the order checked

    @property
    def failed(self) -> list[str]:
        return [name for name, outcome in self.checks.items() if outcome != "ok"]

    @property
    def ready(self) -> bool:
        return not self.failed


def check_readiness(evidence_dir: str, redis_urls: Iterable[str | None]) -> Readiness:
    """The database, the evidence folder, and each configured Redis URL (one "redis" check over them all)."""
    checks: dict[str, Callable[[], None]] = {
        "database": _database_answers,
        "evidence": lambda: _folder_takes_a_file(Path(evidence_dir)),
    }
    urls = sorted({url.removeprefix("redis+") for url in redis_urls if url and url.startswith(REDIS_SCHEMES)})
    if urls:
        checks["redis"] = lambda: _each_redis_answers(urls)
    return Readiness({name: _outcome(name, check) for name, check in checks.items()})


def _outcome(name: str, check: Callable[[], None]) -> str:
    try:
        check()
    except Exception as error:  # any error means not ready; the log says which
        log.warning("readiness check %s failed: %s: %s", name, type(error).__name__, error)
        return "failed"
    return "ok"


def _database_answers() -> None:
    try:
        db.session.execute(select(1)).scalar_one()
    finally:
        db.session.rollback()


def _folder_takes_a_file(folder: Path) -> None:
    """Write and remove a file in the folder, made (as the evidence store makes it) if only it is missing: a
    missing parent, such as a volume that is not mounted, fails the check instead of being created."""
    folder.mkdir(mode=0o750, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".readyz-") as probe:
        probe.write(b"ready")
        probe.flush()
        os.fsync(probe.fileno())


def _each_redis_answers(urls: list[str]) -> None:
    import redis  # imported here: only a configured Redis needs it, and it costs every start-up 35 ms

    for url in urls:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()

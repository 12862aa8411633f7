"""Chaos run: 4 clients write while gunicorn workers, the gunicorn master and the database are killed; then
every acknowledged write is looked for, the audit trail and the evidence store are verified, and the backup
taken during the run is restored into a new instance and verified there.

A scratch instance (migrated, ``flask seed --demo``, one account per client: see bench/harness.py) on a
PostgreSQL server of the run's own (bench/private_postgres.py), so killing it disturbs nobody; ``--sqlite``
runs the same on SQLite, killing only gunicorn. The clients are bench/load.py's (bench/load_clients.py), with
resubmits: a write that gets no answer or a 5xx is sent again unchanged, as a user would, and the form token
must make it land once. The faults are bench/chaos_monkey.py's. Exits 1 if any check fails.

    .venv/bin/python bench/chaos.py                  # 60 s on PostgreSQL
    .venv/bin/python bench/chaos.py --sqlite --seconds 30
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from acknowledged import check_acknowledged  # bench/ is the script's folder
from chaos_monkey import Backup, Monkey
from harness import (
    SETTINGS_NOTE,
    code_version,
    database,
    environment,
    flask,
    free_port,
    log_errors,
    prepare,
    start_gunicorn,
    stop_gunicorn,
)
from load_clients import Record, Shared, run_clients
from private_postgres import PrivateServer, private_postgres

Check = tuple[str, bool, str]
ORPHAN = "belongs to no exhibit"


@contextmanager
def server_for(backend: str, folder: Path) -> Iterator[PrivateServer | None]:
    if backend == "sqlite":
        yield None
        return
    with private_postgres(folder / "postgres") as server:
        yield server


def instance(backend: str, folder: Path, url: str) -> dict[str, str]:
    """The environment of an instance in ``folder``, with a checkpoint key and file of its own."""
    folder.mkdir(exist_ok=True)
    return environment(backend, folder, url) | {
        "AUDIT_CHECKPOINT_KEY": secrets.token_hex(32),
        "AUDIT_CHECKPOINT_FILE": str(folder / "audit-checkpoints.jsonl"),
    }


def verified(env: dict[str, str], where: str) -> tuple[list[Check], int]:
    """``flask audit verify`` and ``flask evidence verify``; orphan files (a worker killed between storing a
    file and committing its row) are allowed and counted, any other problem fails."""
    checks: list[Check] = []
    done = flask(env, "audit", "verify", check=False)
    said = (done.stdout + done.stderr).strip().splitlines()
    checks.append((f"{where}: flask audit verify", done.returncode == 0, " / ".join(said[-2:])))
    done = flask(env, "evidence", "verify", check=False)
    said = (done.stdout + done.stderr).strip().splitlines()
    orphans = [line for line in said if ORPHAN in line]
    other = [line for line in said if line.startswith(("SM-", "file")) and ORPHAN not in line]
    passed = done.returncode == 0 or (not other and len(orphans) == len(said) - 1)
    detail = (
        said[-1]
        if done.returncode == 0
        else f"{len(orphans)} orphan file(s) (allowed); {other[:3] or 'no other problem'}"
    )
    checks.append((f"{where}: flask evidence verify", passed, detail))
    return checks, len(orphans)


def restore(
    backend: str, server: PrivateServer | None, folder: Path, backup: Backup, acks: list[tuple[str, ...]]
) -> tuple[list[Check], float]:
    """Restore the backup into a new, empty instance in ``folder``; verify it there; the time the restore took."""
    if not backup.ok:
        return [("backup taken during the run", False, f"{backup.attempts} attempt(s): {backup.said}")], 0.0
    folder.mkdir()
    with database(backend, folder, server.url if server else "") as url:
        env = instance(backend, folder, url)
        started = time.monotonic()
        done = flask(env, "backup", "restore", str(backup.folder), check=False)
        seconds = time.monotonic() - started
        said = (done.stdout + done.stderr).strip().splitlines()
        checks = [("backup restores into a new instance", done.returncode == 0, said[-1] if said else "")]
        if done.returncode == 0:
            checks += verified(env, "restored")[0]
            # the snapshot began after these writes were acknowledged, so all of them must be in it, once each
            found = check_acknowledged(url, acks[: backup.acks_before])
            lost, twice = sum(found.lost.values()), sum(found.duplicated.values())
            detail = f"{backup.acks_before - lost}/{backup.acks_before} present, {twice} more than once"
            checks.append(("restored: writes acknowledged before the backup", not lost and not twice, detail))
    return checks, seconds


def run(backend: str, args: argparse.Namespace) -> bool:
    engine = "SQLite" if backend == "sqlite" else "PostgreSQL (a server of its own)"
    print(f"\n=== chaos on {engine}: gunicorn -w {args.workers}, {args.clients} clients, {args.seconds:g} s ===")
    with tempfile.TemporaryDirectory(prefix=f"casefile-chaos-{backend}-") as tmp:
        folder = Path(tmp)
        (folder / "live").mkdir()
        with (
            server_for(backend, folder) as server,
            database(backend, folder / "live", server.url if server else "") as url,
        ):
            env = instance(backend, folder / "live", url)
            accounts = prepare(env, args.clients)
            port, log, shared = free_port(), folder / "gunicorn.log", Shared()
            backup = Backup(folder / "backup")
            monkey = Monkey(
                env, log, port, args.workers, start_gunicorn(env, log, port, args.workers), server, args.seconds,
                backup, shared.acks,
            )  # fmt: skip
            chaos = threading.Thread(target=monkey.run, name="chaos", daemon=True)
            chaos.start()
            try:
                records, acks, elapsed = run_clients(accounts, port, args.seconds, threading.Event(), 3, shared)
            finally:  # also on Ctrl-C: no gunicorn left behind, the database server up to be stopped
                monkey.stop.set()
                chaos.join()
                stop_gunicorn(monkey.server)
            writes = check_acknowledged(url, acks)
            checks = writes.results()
            live, orphans = verified(env, "live")
            checks += live
            restored, restore_seconds = restore(backend, server, folder / "restored", backup, acks)
            checks += restored
        report(records, acks, elapsed, shared, monkey, writes.duplicated, orphans, restore_seconds)
        for name, passed, detail in checks:
            print(f"{'PASS' if passed else 'FAIL'}  {name}: {detail}")
        if errors := log_errors(log):
            print("gunicorn log, distinct error lines:")
            for n, line in errors:
                print(f"  {n:>5} x {line}")
        return all(passed for _, passed, _ in checks)


def report(
    records: list[Record],
    acks: list[tuple[str, ...]],
    elapsed: float,
    shared: Shared,
    monkey: Monkey,
    duplicated: Counter[str],
    orphans: int,
    restore_seconds: float,
) -> None:
    kinds = Counter(a[0] for a in acks)
    statuses = Counter("5xx" if r.status >= 500 else "no answer" if r.status == 0 else "ok" for r in records)
    unexpected = Counter(f"{r.kind} -> {r.status}" for r in records if not r.expected)
    backup = monkey.backup
    print(f"ran {elapsed:.1f} s, {len(records)} requests, {len(acks)} acknowledged writes")
    print(f"  acknowledged: {', '.join(f'{n} {k}' for k, n in kinds.most_common())}")
    print(f"  5xx answers: {statuses['5xx']}; no answer (connection refused or reset): {statuses['no answer']}")
    print(f"  unexpected answers: {dict(unexpected.most_common(8))}")
    print(f"  forms sent again: {dict(shared.resubmits) or 0}; writes found twice: {sum(duplicated.values())}")
    print(f"  kills: {dict(monkey.kills)}; audit checkpoints: {dict(monkey.checkpoints)}")
    print(f"  timetable: {'; '.join(e for e in monkey.events if 'worker' not in e)}")
    print(f"  orphan files in the live evidence store: {orphans}")
    print(
        f"  backup: {'taken' if backup.ok else 'FAILED'} in {backup.seconds:.1f} s after {backup.attempts} "
        f"attempt(s), {backup.acks_before} writes acknowledged before it began: {backup.said}"
    )
    for number, failure in enumerate(backup.failures, 1):
        print(f"    attempt {number} failed: {failure}")
    print(f"  restore into a new instance: {restore_seconds:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--sqlite", action="store_true", help="run on SQLite (only gunicorn is killed)")
    args = parser.parse_args()
    print(f"code {code_version()}, {os.cpu_count()} cores. {SETTINGS_NOTE}")
    try:
        ok = run("sqlite" if args.sqlite else "postgresql", args)
    except KeyboardInterrupt:
        print("\ninterrupted: gunicorn and the database server stopped, scratch folder removed", file=sys.stderr)
        return 130
    print("\nchaos: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

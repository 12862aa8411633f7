"""Load benchmark: gunicorn (2 x cores + 1 sync workers) on SQLite, then on PostgreSQL, under 20 concurrent users.

For each backend: a fresh instance folder and database, migrated and seeded (``flask db upgrade``,
``flask seed --demo``, plus one account per client), gunicorn serving ``app:app`` with APP_ENV=production,
then investigators and supervisors working for ``--seconds`` (see bench/load_clients.py). Afterwards the
database is read directly: every acknowledged write must be there, no case number twice, no 5xx answer;
``flask audit verify`` and ``flask evidence verify`` must pass. Prints requests per second and p50/p95/p99
latency per kind of request; exits 1 if any check fails.

    .venv/bin/python bench/load.py                          # 60 s on each backend, 20 clients
    .venv/bin/python bench/load.py --seconds 15 --backend sqlite --clients 10
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from acknowledged import check_acknowledged  # bench/ is the script's folder
from harness import SETTINGS_NOTE, code_version, database, environment, flask, gunicorn, log_errors, prepare
from load_clients import KINDS, Record, run_clients

WORKERS = 2 * (os.cpu_count() or 1) + 1


def _proc(path: str) -> str:
    try:
        return Path("/proc", path).read_text(errors="replace")
    except OSError:  # the process ended meanwhile
        return ""


def _cpu_of(pids: list[str]) -> float:
    stats = [_proc(f"{pid}/stat").rsplit(")", 1)[-1].split() for pid in pids]
    return sum(int(f[11]) + int(f[12]) for f in stats if len(f) > 12) / os.sysconf("SC_CLK_TCK")  # utime + stime


def cpu_snapshot(gunicorn_pid: int, database_name: str) -> dict[str, float]:
    """CPU seconds used so far by the machine, gunicorn (master and workers), the PostgreSQL backends serving
    the scratch database and this process (the clients); from /proc, Linux only."""
    ticks = [int(n) for n in _proc("stat").split("\n", 1)[0].split()[1:]]
    workers = _proc(f"{gunicorn_pid}/task/{gunicorn_pid}/children").split()
    backends = [
        p.name
        for p in Path("/proc").glob("[0-9]*")  # titled "postgres: 15/main: user database ..."
        if database_name and f" {database_name} " in _proc(f"{p.name}/cmdline")
    ]
    return {
        "machine": (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK"),
        "gunicorn": _cpu_of([str(gunicorn_pid), *workers]),
        "postgres": _cpu_of(backends),
        "clients": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
    }


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * p / 100) - 1)]


def print_table(records: list[Record], elapsed: float) -> None:
    header = (
        f"{'kind':<15} {'count':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
        f" {'4xx':>4} {'5xx':>4} {'other':>5}"
    )
    print(header)
    print("-" * len(header))
    groups = [(k, [r for r in records if r.kind == k]) for k in KINDS] + [("total", records)]
    for kind, rows in groups:
        if not rows:
            continue
        ms = [r.seconds * 1000 for r in rows]
        statuses = [r.status for r in rows]
        other = sum(1 for r in rows if not r.expected and r.status < 400)
        print(
            f"{kind:<15} {len(rows):>6} {len(rows) / elapsed:>7.1f} {percentile(ms, 50):>8.0f} "
            f"{percentile(ms, 95):>8.0f} {percentile(ms, 99):>8.0f} {max(ms):>8.0f} "
            f"{sum(400 <= s < 500 for s in statuses):>4} {sum(s >= 500 for s in statuses):>4} {other:>5}"
        )


def run_backend(backend: str, args: argparse.Namespace, stop: threading.Event) -> bool:
    print(f"\n=== {backend}: gunicorn -w {WORKERS} (sync), {args.clients} clients, {args.seconds:g} s ===", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix=f"casefile-load-{backend}-") as tmp,
        database(backend, Path(tmp), args.postgres_url) as url,
    ):
        folder = Path(tmp)
        env = environment(backend, folder, url)
        started = time.monotonic()
        accounts = prepare(env, args.clients)
        roles = Counter(a.role for a in accounts)
        print(
            f"setup {time.monotonic() - started:.1f} s: db upgrade, seed --demo, {roles['investigator']} "
            f"investigators + {roles['supervisor']} supervisors",
            flush=True,
        )
        with gunicorn(env, folder / "gunicorn.log", WORKERS) as (port, pid):
            database_name = url.rsplit("/", 1)[1] if backend == "postgresql" else ""
            load_before, cpu = os.getloadavg()[0], cpu_snapshot(pid, database_name)
            records, acks, elapsed = run_clients(accounts, port, args.seconds, stop)
            cpu = {k: v - cpu[k] for k, v in cpu_snapshot(pid, database_name).items()}
        other = cpu["machine"] - cpu["gunicorn"] - cpu["postgres"] - cpu["clients"]
        print(
            f"CPU-s during the run: machine {cpu['machine']:.0f} of {(os.cpu_count() or 1) * elapsed:.0f}; "
            f"gunicorn {cpu['gunicorn']:.0f}, PostgreSQL backends {cpu['postgres']:.0f}, the bench's clients "
            f"{cpu['clients']:.0f}, other processes {other:.0f}; "
            f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
        )
        print(
            f"ran {elapsed:.1f} s, {len(records)} requests, {len(acks)} acknowledged writes "
            f"({', '.join(f'{n} {k}' for k, n in Counter(a[0] for a in acks).most_common())})\n"
        )
        print_table(records, elapsed)
        checks = check_acknowledged(url, acks).results()
        signed_in = sum(r.kind == "sign_in" and r.expected for r in records)
        checks.append(("every client signed in", signed_in == len(accounts), f"{signed_in}/{len(accounts)}"))
        server_errors = [r for r in records if r.status >= 500 or r.status == 0]
        checks.append(("zero 5xx (and no unanswered request)", not server_errors, f"{len(server_errors)}"))
        for command in (["audit", "verify"], ["evidence", "verify"]):
            done = flask(env, *command, check=False)
            said = (done.stdout + done.stderr).strip().splitlines()
            checks.append((f"flask {' '.join(command)}", done.returncode == 0, said[-1] if said else ""))
        print()
        for name, passed, detail in checks:
            print(f"{'PASS' if passed else 'FAIL'}  {name}: {detail}")
        unexpected = Counter(f"{r.kind} -> {r.status}" for r in records if not r.expected)
        if unexpected:
            print(f"unexpected answers: {dict(unexpected)}")
            for note in sorted({r.note for r in records if not r.expected})[:5]:
                print(f"  e.g. {note[:300]}")
        if errors := log_errors(folder / "gunicorn.log"):
            print("gunicorn log, distinct error lines:")
            for n, line in errors:
                print(f"  {n:>5} x {line}")
        return all(passed for _, passed, _ in checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("LOAD_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a server and maintenance database where a scratch database may be created",
    )
    args = parser.parse_args()
    print(f"code {code_version()}, {os.cpu_count()} cores. {SETTINGS_NOTE}")
    stop = threading.Event()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    try:
        results = {backend: run_backend(backend, args, stop) for backend in backends}
    except KeyboardInterrupt:
        stop.set()
        print("\ninterrupted: gunicorn stopped, scratch database and instance removed", file=sys.stderr)
        return 130
    print("\n" + "  ".join(f"{b}: {'PASS' if ok else 'FAIL'}" for b, ok in results.items()))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

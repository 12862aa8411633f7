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
import json
import math
import os
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from load_clients import KINDS, Account, Record, run_clients  # bench/ is the script's folder
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # run with the project's virtualenv: .venv/bin/python bench/load.py
WORKERS = 2 * (os.cpu_count() or 1) + 1
RATE = "100000"  # sign-in attempts per address / account per window: 20 clients share 127.0.0.1
CREATE_USERS = """
import json, sys
from project import create_app
from project.services import accounts
with create_app().app_context():
    for a in json.load(sys.stdin):
        accounts.create_user(a["email"], a["name"], [a["role"]], a["password"])
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def database(backend: str, folder: Path, admin_url: str) -> Iterator[str]:
    """A new, empty database: a SQLite file in ``folder``, or a uniquely named PostgreSQL database dropped after."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'casefile.sqlite'}"
        return
    import psycopg

    name = f"casefile_load_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(backend: str, folder: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "SIGN_IN_", "RATE_LIMIT_"))}
    env.update(
        {
            "FLASK_APP": "app",
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(folder),
            "EVIDENCE_DIR": str(folder / "evidence"),
            "RATE_LIMIT_STORAGE_URL": "",
            "SIGN_IN_RATE_PER_ADDRESS": RATE,
            "SIGN_IN_RATE_PER_ACCOUNT": RATE,
            "MFA_REQUIRED_ROLES": "",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if backend == "sqlite":
        env["ALLOW_SQLITE_IN_PRODUCTION"] = "1"
    return env


def flask(
    env: dict[str, str], *args: str, stdin: str | None = None, script: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / "python"), "-c", script] if script else [str(BIN / "flask"), *args]
    done = subprocess.run(command, env=env, cwd=ROOT, input=stdin, capture_output=True, text=True)  # noqa: S603
    if check and done.returncode:
        raise RuntimeError(f"{' '.join(args) or 'account setup'} failed:\n{done.stdout}{done.stderr}")
    return done


def prepare(env: dict[str, str], clients: int) -> list[Account]:
    """Migrate, seed the catalogue and demo data, and create one account per client. ``flask seed --demo``
    refuses APP_ENV=production, so the setup runs as development on the same database and instance."""
    setup = env | {"APP_ENV": "development"}
    flask(setup, "db", "upgrade")
    flask(setup, "seed", "--demo")
    supervisors = max(1, clients // 5)
    accounts = [
        Account(
            f"load-{role}-{i:02d}@bench.test", f"Load {role.title()} {i:02d}", role, f"load-{secrets.token_urlsafe(12)}"
        )
        for i in range(1, clients + 1)
        for role in ["supervisor" if i <= supervisors else "investigator"]
    ]
    flask(setup, stdin=json.dumps([a.__dict__ for a in accounts]), script=CREATE_USERS)
    return accounts


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


@contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[tuple[int, int]]:
    port = free_port()
    with log.open("w") as handle:
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "app:app"],
            env=env,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/sign-in", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not answer within 60 s") from None
                time.sleep(0.2)
        yield port, server.pid
    finally:
        server.send_signal(signal.SIGTERM)  # graceful: workers finish their request
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def check_database(url: str, acks: list[tuple[str, ...]]) -> list[tuple[str, bool, str]]:
    """Look for every acknowledged write in the database itself; return (check, passed, detail)."""
    from project.config import normalize_database_url

    engine = create_engine(normalize_database_url(url))
    with engine.connect() as db:
        cases = {number: title for number, title in db.execute(text("SELECT number, title FROM cases"))}
        duplicates = db.execute(text("SELECT number, COUNT(*) FROM cases GROUP BY number HAVING COUNT(*) > 1")).all()
        notes = set(
            map(
                tuple,
                db.execute(
                    text(
                        "SELECT c.number, n.body FROM notes n JOIN cases c "
                        "ON c.id = n.case_id WHERE n.body LIKE 'load-note %'"
                    )
                ),
            )
        )
        exhibits = set(
            map(
                tuple,
                db.execute(
                    text("SELECT c.number, e.number, e.sha256 FROM exhibits e JOIN cases c ON c.id = e.case_id")
                ),
            )
        )
        assigned = {
            number: name
            for number, name in db.execute(
                text(
                    "SELECT c.number, u.name FROM cases c JOIN users u ON u.id = c.assigned_investigator_id "
                    "WHERE c.state = 'open'"
                )
            )
        }
    engine.dispose()
    by_kind: dict[str, list[tuple[str, ...]]] = {"case": [], "note": [], "exhibit": [], "assign": []}
    for ack in acks:
        by_kind[ack[0]].append(ack[1:])
    found = {
        "case": lambda a: cases.get(a[0]) == a[1],
        "note": lambda a: (a[0], a[1]) in notes,
        "exhibit": lambda a: (a[0], int(a[1]), a[2]) in exhibits,
        "assign": lambda a: assigned.get(a[0]) == a[1],
    }
    results = []
    for kind, rows in by_kind.items():
        missing = [row for row in rows if not found[kind](row)]
        results.append(
            (
                f"acknowledged {kind} writes in the database",
                not missing and bool(rows),
                f"{len(rows) - len(missing)}/{len(rows)} present"
                + (f"; missing e.g. {missing[:3]}" if missing else ""),
            )
        )
    told = Counter(row[0] for row in by_kind["case"])
    twice = [number for number, n in told.items() if n > 1]
    results.append(
        (
            "no duplicate case numbers",
            not duplicates and not twice,
            f"{len(cases)} cases, {len(duplicates)} duplicated in the table, {len(twice)} handed out twice",
        )
    )
    return results


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
        with gunicorn(env, folder / "gunicorn.log") as (port, pid):
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
        checks = check_database(url, acks)
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
        errors = [
            line
            for line in (folder / "gunicorn.log").read_text().splitlines()
            if "Error" in line or "Exception" in line or "[CRITICAL]" in line
        ]
        if errors:
            print(f"gunicorn log: {len(errors)} error lines; distinct: ")
            for line, n in Counter(line.split(": ", 1)[-1][:200] for line in errors).most_common(8):
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
    head = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)  # noqa: S607
    print(
        f"code {head.stdout.strip()}, {os.cpu_count()} cores. APP_ENV=production (the setup runs as development: "
        f"seed --demo refuses production); SECRET_KEY generated; SIGN_IN_RATE_PER_ADDRESS/_PER_ACCOUNT={RATE} "
        "(all clients come from 127.0.0.1); MFA_REQUIRED_ROLES=''; the session cookie is Secure and the bench's "
        "client sends it over plain http to 127.0.0.1, as a TLS-terminating proxy would."
    )
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

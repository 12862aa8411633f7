"""Pages beside Flask's own ceiling (issue 19, item 5): a hello-world Flask app and Casefile, each served by
gunicorn with the same settings (sync workers, ``--workers``), in one run, under ``--clients`` concurrent
clients that sign in once and then ask for one page as fast as they are answered, ``--seconds`` per page.

For each page: requests per second, p50/p95 latency, and the server's CPU per request (gunicorn's master and
workers, plus PostgreSQL's backends for the database, from /proc), and req/s as a share of hello-world's.
Targets: the case list at least 0.3 of hello-world, the case page at least 0.2.

    .venv/bin/python bench/throughput.py --size 10000 --backends sqlite,postgresql --reuse

Casefile serves the pages benchmark's database (bench/pages.py, seeded by bench/seed_scale.py; kept for
--reuse) with APP_ENV=production (bench/harness.py's settings).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from browser import Account, Browser, Record  # bench/ is the script's folder
from harness import SETTINGS_NOTE, code_version, environment, gunicorn, log_errors
from load import cpu_snapshot, percentile
from pages import WORD, database_url
from scale_world import SUPERVISOR
from sqlalchemy import create_engine, text

TARGETS = {"case list": 0.3, "case page": 0.2}


@dataclass(frozen=True)
class Server:
    port: int
    pid: int  # gunicorn's master
    database: str  # PostgreSQL's database, whose backends' CPU counts as the server's ("" on SQLite)

    def cpu(self) -> float:
        """CPU seconds used so far by gunicorn's master and workers and the database's backends."""
        seen = cpu_snapshot(self.pid, self.database)
        return seen["gunicorn"] + seen["postgres"]


@dataclass
class Run:
    records: list[Record]
    before: float
    after: float = 0.0
    seconds: float = 1.0

    @property
    def cpu(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Row:
    rps: float
    p50: float
    p95: float
    cpu_ms: float  # server CPU per request


HELLO = """from flask import Flask

app = Flask(__name__)


@app.get("/", defaults={"path": ""})
@app.get("/<path:path>")
def hello(path):
    return "Hello, World!"
"""


def case_numbers(url: str) -> list[str]:
    from project.config import normalize_database_url

    engine = create_engine(normalize_database_url(url))
    with engine.connect() as conn:
        numbers = list(conn.execute(text("SELECT number FROM cases ORDER BY id DESC LIMIT 2000")).scalars())
    engine.dispose()
    return numbers


def hammer(server: Server, path: Callable[[], str], clients: int, seconds: float, account: Account | None) -> Run:
    """``clients`` threads asking for ``path()`` for ``seconds``, counted from when all have signed in (when
    ``account``); the server's CPU is read at the start and the end of that time."""
    records: list[Record] = []
    lock = threading.Lock()
    signed_in, go = threading.Barrier(clients + 1), threading.Event()
    deadline: list[float] = []

    def client() -> None:
        mine: list[Record] = []
        browser = Browser("127.0.0.1", server.port, [])
        if account is not None and not browser.sign_in(account):
            raise SystemExit("the bench supervisor could not sign in")
        browser.records = mine
        signed_in.wait()
        go.wait()
        while time.monotonic() < deadline[0]:
            browser.call("page", "GET", path())
        with lock:
            records.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    signed_in.wait()
    run = Run(records, before=server.cpu())
    deadline.append(time.monotonic() + seconds)
    go.set()
    for thread in threads:
        thread.join()
    run.after, run.seconds = server.cpu(), seconds
    return run


def measure(
    name: str, server: Server, path: Callable[[], str], args: argparse.Namespace, account: Account | None
) -> Row:
    run = hammer(server, path, args.clients, args.seconds, account)
    done = [r for r in run.records if r.expected]
    if len(done) < len(run.records):
        odd = next(r for r in run.records if not r.expected)
        print(f"  {name}: {len(run.records) - len(done)} unexpected answers, e.g. {odd.note}")
    times = [r.seconds * 1000 for r in done] or [0.0]
    cpu_ms = 1000 * run.cpu / max(1, len(done))
    return Row(len(done) / run.seconds, percentile(times, 50), percentile(times, 95), cpu_ms)


def run_backend(backend: str, args: argparse.Namespace) -> None:
    url = database_url(backend, args.size, args.postgres_url, args.reuse)
    numbers = case_numbers(url)
    rng = random.Random(5)  # noqa: S311 - picking cases, not secrets
    database = url.rsplit("/", 1)[-1] if backend == "postgresql" else ""
    supervisor = Account(SUPERVISOR[0], "Bench Supervisor", "supervisor", SUPERVISOR[1])
    with tempfile.TemporaryDirectory(prefix="casefile-throughput-") as scratch:
        folder = Path(scratch)
        (folder / "hello.py").write_text(HELLO)
        env = environment(backend, folder, url)
        log = folder / "gunicorn.log"
        results: dict[str, Row] = {}
        with gunicorn(env, log, args.workers, "hello:app", folder) as (port, pid):
            results["hello world"] = measure("hello world", Server(port, pid, ""), lambda: "/", args, None)
        pages: dict[str, Callable[[], str]] = {
            "case list": lambda: "/cases/?mine=0",
            "case page": lambda: f"/cases/{rng.choice(numbers)}",
            "search": lambda: f"/cases/?mine=0&q={WORD}",
            "dashboard": lambda: "/",  # a supervisor's home page is the dashboard
        }
        with gunicorn(env, log, args.workers) as (port, pid):
            for name, path in pages.items():
                results[name] = measure(name, Server(port, pid, database), path, args, supervisor)
        for count, line in log_errors(log):
            print(f"  server log: {count} x {line}")
    hello = results["hello world"].rps or 1.0
    run = f"{args.clients} clients, {args.workers} workers, {args.seconds:g} s each"
    print(f"\n=== {backend}, {args.size} cases: {run} ===")
    print(f"{'page':<12} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms/req':>11} {'of hello':>9}  target")
    for name, row in results.items():
        share = row.rps / hello
        target = TARGETS.get(name)
        verdict = "" if target is None else f">= {target:.1f}  {'ok' if share >= target else 'UNDER TARGET'}"
        print(f"{name:<12} {row.rps:8.1f} {row.p50:8.1f} {row.p95:8.1f} {row.cpu_ms:11.2f} {share:9.2f}  {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the seeded databases")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("LOAD_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    args = parser.parse_args()
    print(f"code {code_version()}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"settings: {SETTINGS_NOTE}")
    for backend in args.backends.split(","):
        run_backend(backend, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

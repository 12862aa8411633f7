"""What the serving benchmarks share: a scratch instance (database, environment, migrated and seeded, one
account per client), the ``flask`` command line on it, and gunicorn serving it on a free port.

Used by bench/load.py (throughput under 20 users), bench/throughput.py (pages beside a hello-world app) and
bench/chaos.py (writes that survive killed workers and a
killed database)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from browser import Account  # bench/ is the script's folder

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # run with the project's virtualenv: .venv/bin/python bench/load.py
RATE = "100000"  # sign-in attempts per address / account per window: all clients share 127.0.0.1
CREATE_USERS = """
import json, sys
from project import create_app
from project.services import accounts
with create_app().app_context():
    for a in json.load(sys.stdin):
        accounts.create_user(a["email"], a["name"], [a["role"]], a["password"])
"""
SETTINGS_NOTE = (
    "APP_ENV=production (the setup runs as development: seed --demo refuses production); SECRET_KEY generated; "
    f"SIGN_IN_RATE_PER_ADDRESS/_PER_ACCOUNT={RATE} (all clients come from 127.0.0.1); MFA_REQUIRED_ROLES=''; the "
    "session cookie is Secure and the bench's client sends it over plain http to 127.0.0.1, as a TLS-terminating "
    "proxy would."
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def code_version() -> str:
    head = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)  # noqa: S607
    return head.stdout.strip()


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
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "SIGN_IN_", "RATE_LIMIT_", "AUDIT_"))}
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
    """Migrate, seed the catalogue and demo data, and create one account per client (one supervisor in five,
    at least one). ``flask seed --demo`` refuses APP_ENV=production, so the setup runs as development on the
    same database and instance."""
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


def start_gunicorn(
    env: dict[str, str], log: Path, port: int, workers: int, app: str = "app:app", folder: Path = ROOT
) -> subprocess.Popen[bytes]:
    """gunicorn (sync workers) serving ``app`` (Casefile's ``app:app``, run from ``folder``) on ``port``, in a
    session of its own; returns once it answers. The log is appended to, so a restarted server keeps one log. No
    control socket: its default path is one per user, shared by every gunicorn on the machine."""
    with log.open("a") as handle:
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--no-control-socket", app],
            env=env,
            cwd=folder,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/sign-in", timeout=5):
                return server
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise RuntimeError("gunicorn did not answer within 60 s") from None
            time.sleep(0.2)


def stop_gunicorn(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)  # graceful: workers finish their request
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextmanager
def gunicorn(
    env: dict[str, str], log: Path, workers: int, app: str = "app:app", folder: Path = ROOT
) -> Iterator[tuple[int, int]]:
    """gunicorn on a free port for the block; yields (port, master's pid)."""
    port = free_port()
    server = start_gunicorn(env, log, port, workers, app, folder)
    try:
        yield port, server.pid
    finally:
        stop_gunicorn(server)


def log_errors(log: Path) -> list[tuple[int, str]]:
    """The distinct error lines of a gunicorn log, most frequent first, with their counts."""
    lines = [
        line for line in log.read_text().splitlines() if "Error" in line or "Exception" in line or "[CRITICAL]" in line
    ]
    return [(n, line) for line, n in Counter(line.split(": ", 1)[-1][:200] for line in lines).most_common(8)]

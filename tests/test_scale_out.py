"""Scale-out (issue 20, item 5): two gunicorn app servers on two ports and one `flask worker`, over one
PostgreSQL database, one Redis and one shared evidence directory, as docs/deploy.md lays out. Signed in on
server A, a packet asked for through server B is printed by the worker and downloaded from A; sign-in
attempts are counted across both servers (Redis); a session signed out on A is refused on B (the sessions
are rows in the database, not in either server's memory)."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import redis
import requests
from sqlalchemy import create_engine, text

from tests.browser.live_server import KEPT_FROM_ENVIRONMENT, ROOT, free_port
from tests.redis_server import require_redis
from tests.test_metrics_workers import wait_until_ready

PASSWORD = "scale-out-demo-password"
RATE_LIMIT_REDIS = "redis://127.0.0.1:6379/3"  # this test's own database: no other test's counts
PER_ADDRESS = 6  # sign-in attempts from one address within the window, across both servers
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def environment(database_url: str, shared: Path) -> dict[str, str]:
    env = {name: os.environ[name] for name in KEPT_FROM_ENVIRONMENT if name in os.environ}
    return (
        env
        | {
            "FLASK_APP": "app",
            "PYTHONPATH": str(ROOT),
            "APP_ENV": "development",
            "SECRET_KEY": secrets.token_hex(32),  # the same on every server: a cookie signed by A is read by B
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(shared / "instance"),
            "EVIDENCE_DIR": str(shared / "evidence"),
            "REDIS_URL": require_redis(),
            "JOB_QUEUE": f"casefile-scale-{uuid.uuid4().hex[:8]}",
            "RATE_LIMIT_STORAGE_URL": RATE_LIMIT_REDIS,
            "SIGN_IN_RATE_PER_ADDRESS": str(PER_ADDRESS),
            "MFA_REQUIRED_ROLES": "",
            "DEMO_PASSWORD": PASSWORD,
            "OCR_ON_UPLOAD": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )


@contextmanager
def running(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def app_server(env: dict[str, str], log: Path) -> Iterator[str]:
    url = f"http://127.0.0.1:{free_port()}"
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", url.removeprefix("http://"), "app:app"]
    with running(command, env, log) as process:
        wait_until_ready(process, url, log)
        yield url


def token(session: requests.Session, url: str) -> str:
    page = session.get(url, allow_redirects=False)
    assert page.status_code == 200, f"{url} answered {page.status_code}"
    match = CSRF.search(page.text)
    assert match, f"{url} has no form"
    return match.group(1)


def sign_in(session: requests.Session, server: str, email: str, password: str) -> requests.Response:
    data = {"csrf_token": token(session, f"{server}/auth/sign-in"), "email": email, "password": password}
    return session.post(f"{server}/auth/sign-in", data=data | {"next": ""}, allow_redirects=False)


def test_two_app_servers_and_a_worker_share_one_database_redis_and_evidence_directory(empty_database, tmp_path):
    database_url = empty_database("postgresql")
    env = environment(database_url, tmp_path / "shared")
    redis.Redis.from_url(RATE_LIMIT_REDIS).flushdb()
    for step in (["db", "upgrade"], ["seed", "--demo"]):
        done = subprocess.run([sys.executable, "-m", "flask", *step], cwd=ROOT, env=env, capture_output=True)
        assert done.returncode == 0, done.stderr.decode()[-3000:]
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        number = connection.scalar(text("SELECT number FROM cases WHERE state = 'approved' ORDER BY id LIMIT 1"))
    engine.dispose()
    assert number

    with ExitStack() as stack:
        a = stack.enter_context(app_server(env, tmp_path / "a.log"))
        b = stack.enter_context(app_server(env, tmp_path / "b.log"))
        stack.enter_context(running([sys.executable, "-m", "flask", "worker"], env, tmp_path / "worker.log"))
        browser = requests.Session()
        assert sign_in(browser, a, "supervisor@demo.test", PASSWORD).status_code == 302  # on A

        # print through B; the worker prints it; download from A
        form = {"csrf_token": token(browser, f"{b}/cases/{number}/packet"), "variant": "full"}
        asked = browser.post(f"{b}/cases/{number}/packet", data=form, allow_redirects=False)
        assert asked.status_code == 302 and "/packets/jobs/" in asked.headers["Location"]
        job = asked.headers["Location"]
        deadline = time.monotonic() + 60
        while "The packet is ready" not in (page := browser.get(f"{b}{job}").text):
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()[-3000:]
            time.sleep(0.2)
        download = browser.get(f"{a}{job}/download")
        assert download.status_code == 200 and download.content.startswith(b"%PDF-")
        sha256 = re.search(r'<code class="hash">([0-9a-f]{64})</code>', page)
        assert sha256 and hashlib.sha256(download.content).hexdigest() == sha256.group(1)

        # a session signed out on A is refused on B, even for a copy of its cookie
        copied = browser.cookies.get("casefile_session")
        signed_out = browser.post(f"{a}/auth/sign-out", data={"csrf_token": token(browser, f"{a}/")})
        assert signed_out.status_code == 200 and "Sign in" in signed_out.text
        replay = requests.Session()
        replay.cookies.set("casefile_session", copied)
        refused = replay.get(f"{b}/cases/{number}", allow_redirects=False)
        assert refused.status_code == 302 and "/auth/sign-in" in refused.headers["Location"]

        # sign-in attempts from this address are counted across both servers
        answers = []
        for attempt in range(PER_ADDRESS + 1):
            server = (a, b)[attempt % 2]
            answers.append(sign_in(requests.Session(), server, f"nobody{attempt}@demo.test", "wrong").status_code)
        # one attempt (the supervisor's) counted already; neither server alone saw PER_ADDRESS attempts
        assert answers[: PER_ADDRESS - 1] == [200] * (PER_ADDRESS - 1) and answers[PER_ADDRESS - 1 :] == [429, 429]

"""The real app served by gunicorn in a subprocess, on a free 127.0.0.1 port, over a fresh SQLite database.

The database and evidence store live in a temporary instance folder: migrated with ``flask db upgrade`` and
filled with ``flask seed --demo`` (catalogue, demo accounts, roster and demo cases), exactly as ``make run``
does. The server runs with the development settings, so multi-factor sign-in is required for supervisors,
labor relations and admins (MFA_REQUIRED_ROLES at its default) and packets render in a background job.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "casefile-demo-2026"
KEPT_FROM_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environ(instance: Path) -> dict[str, str]:
    """Only what the app is meant to read: none of the caller's DATABASE_URL, MFA_REQUIRED_ROLES and such."""
    env = {name: os.environ[name] for name in KEPT_FROM_ENVIRONMENT if name in os.environ}
    env.update(
        {
            "FLASK_APP": "app",
            "APP_ENV": "development",
            "DATABASE_URL": f"sqlite:///{instance / 'casefile.sqlite'}",
            "INSTANCE_PATH": str(instance),
            "EVIDENCE_DIR": str(instance / "evidence"),
            "TIMEZONE": "America/New_York",
            "DEMO_PASSWORD": DEMO_PASSWORD,
            # Every journey signs in from 127.0.0.1: room for all of them within one rate window.
            "SIGN_IN_RATE_PER_ADDRESS": "1000",
            "SIGN_IN_RATE_PER_ACCOUNT": "200",
            "PYTHONUNBUFFERED": "1",
            # No Tesseract run at each upload: browser time is precious, and the OCR index has its own tests.
            "OCR_ON_UPLOAD": "0",
        }
    )
    return env


@dataclass
class LiveServer:
    instance: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    settings: dict[str, str] = field(default_factory=dict)  # more environment, e.g. a short idle timeout (issue 16)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.instance / "server.log"

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no server log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def _flask(self, *args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "flask", *args],
            cwd=ROOT,
            env=server_environ(self.instance) | self.settings,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        self.instance.mkdir(parents=True, exist_ok=True)
        self._flask("db", "upgrade")
        self._flask("seed", "--demo")
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # one worker: the sign-in rate counts live in its memory
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "1",
                    "--threads",
                    "8",
                    "--timeout",
                    "120",
                    "--access-logfile",
                    "-",
                    "app:app",
                ],
                cwd=ROOT,
                env=server_environ(self.instance) | self.settings,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_serving()

    def _wait_until_serving(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the live server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/auth/sign-in", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the live server did not answer within {seconds:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

"""The faults of bench/chaos.py, on a timetable over the run, while the clients write.

- a random gunicorn worker killed (SIGKILL) every 3-6 s; the master starts a new one;
- the gunicorn master killed once (SIGKILL), at 40% of the run: the workers still serving 2 s later are killed
  too, and gunicorn is started again on the same port;
- the database server killed (``pg_ctl stop -m immediate``, as a crash) at 25% and 65% of the run and started
  again 1 s later (PostgreSQL only: a SQLite database is a file, killed with the workers that hold it);
- ``flask backup create`` at 45% of the run and ``flask audit checkpoint`` at 15%, 55% and 85%, each in a thread
  of its own so the faults go on meanwhile, and tried again (up to three times) if a fault breaks it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from harness import flask, start_gunicorn
from private_postgres import PrivateServer


def _workers(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


@dataclass
class Backup:
    folder: Path
    attempts: int = 0
    seconds: float = 0.0
    said: str = ""
    ok: bool = False
    failures: list[str] = field(default_factory=list)  # what each failed attempt said
    acks_before: int = 0  # writes acknowledged before the backup that succeeded began: all must be in it


@dataclass
class Monkey:
    env: dict[str, str]
    log: Path
    port: int
    workers: int
    server: subprocess.Popen[bytes]
    database: PrivateServer | None
    seconds: float
    backup: Backup
    acks: list[tuple[str, ...]]  # the clients' acknowledged writes, as they come
    stop: threading.Event = field(default_factory=threading.Event)
    kills: Counter[str] = field(default_factory=Counter)
    checkpoints: Counter[str] = field(default_factory=Counter)  # written, failed
    events: list[str] = field(default_factory=list)  # what happened when, for the closing figures
    rng: random.Random = field(default_factory=lambda: random.Random(15))  # noqa: S311 - a timetable, not a secret

    def timetable(self) -> list[tuple[float, str]]:
        plan = [(0.40, "master"), (0.45, "backup"), (0.15, "checkpoint"), (0.55, "checkpoint"), (0.85, "checkpoint")]
        if self.database is not None:
            plan += [(0.25, "database"), (0.65, "database")]
        at = self.rng.uniform(3, 6)
        while at < self.seconds - 2:
            plan.append((at / self.seconds, "worker"))
            at += self.rng.uniform(3, 6)
        return sorted((share * self.seconds, what) for share, what in plan)

    def run(self) -> None:
        """Each fault at its time; the backup and the checkpoints (each a ``flask`` process, seconds to start)
        in threads of their own, so the faults keep their times."""
        started, jobs = time.monotonic(), []
        for at, what in self.timetable():
            if self.stop.wait(max(0.0, started + at - time.monotonic())):
                break
            moment = time.monotonic() - started
            if what in ("backup", "checkpoint"):
                job = getattr(self, "take_backup" if what == "backup" else "checkpoint")
                jobs.append(threading.Thread(target=job, name=what, daemon=True))
                jobs[-1].start()
                self.events.append(f"{moment:.1f} s {what}")
            else:
                getattr(self, f"kill_{what}")()
                self.events.append(f"{moment:.1f} s {what} (back in {time.monotonic() - started - moment:.1f} s)")
        for job in jobs:
            job.join()

    def kill_worker(self) -> None:
        workers = _workers(self.server.pid)
        if workers:
            os.kill(self.rng.choice(workers), signal.SIGKILL)
            self.kills["worker"] += 1

    def kill_master(self) -> None:
        workers = _workers(self.server.pid)
        self.server.send_signal(signal.SIGKILL)
        self.server.wait()
        self.kills["master"] += 1
        # An orphaned sync worker looks for its master only when no connection is waiting, so under load it
        # serves on; after 2 s the rest are killed, as systemd ends a dead service's whole control group.
        deadline = time.monotonic() + 2
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
                self.kills["orphaned worker"] += 1
        for attempt in range(3):
            try:
                self.server = start_gunicorn(self.env, self.log, self.port, self.workers)
                return
            except RuntimeError as exc:  # e.g. the port not yet free: tried again, and said in the figures
                self.events.append(f"gunicorn restart {attempt + 1} failed: {str(exc).splitlines()[0]}")
                time.sleep(1)

    def kill_database(self) -> None:
        assert self.database is not None
        self.database.kill()
        self.kills["database"] += 1
        time.sleep(1)
        self.database.start()

    def checkpoint(self) -> None:
        for _ in range(3):  # a fault may break it: tried again 2 s later
            done = flask(self.env, "audit", "checkpoint", check=False)
            self.checkpoints["written" if done.returncode == 0 else "failed"] += 1
            if done.returncode == 0:
                return
            time.sleep(2)

    def take_backup(self) -> None:
        for _ in range(3):
            self.backup.attempts += 1
            folder = self.backup.folder / f"attempt-{self.backup.attempts}"
            acks_before, started = len(self.acks), time.monotonic()
            done = flask(self.env, "backup", "create", str(folder), check=False)
            self.backup.seconds = time.monotonic() - started
            said = (done.stdout + done.stderr).strip().splitlines()
            self.backup.said = " / ".join(said[-2:])
            if done.returncode == 0:
                self.backup.ok, self.backup.acks_before, self.backup.folder = True, acks_before, folder
                return
            self.backup.failures.append(said[-1][:200] if said else f"exit {done.returncode}")
            time.sleep(1)

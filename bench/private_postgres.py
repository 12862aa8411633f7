"""A PostgreSQL server of the benchmark's own, in a scratch folder on a free port, that may be killed and
started again without disturbing the machine's shared server on 5432.

``initdb`` and ``pg_ctl`` come from /usr/lib/postgresql/<version>/bin (the newest found); PostgreSQL refuses to
run as root, so when the bench runs as root the server runs as the ``postgres`` OS user (``runuser``)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness import free_port


def _bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    if not versions:
        raise RuntimeError("no PostgreSQL server programs under /usr/lib/postgresql (install postgresql)")
    return versions[-1].parent


class PrivateServer:
    def __init__(self, folder: Path) -> None:
        self.folder, self.port, self.bin = folder, free_port(), _bin()
        self.data, self.log = folder / "data", folder / "server.log"
        self.as_root = os.geteuid() == 0

    @property
    def url(self) -> str:
        """The maintenance database; scratch databases are made beside it."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)  # noqa: S603
        if done.returncode:
            raise RuntimeError(f"{program} {' '.join(args)} failed:\n{done.stdout}{done.stderr}")

    def create(self) -> None:
        self.folder.mkdir(mode=0o700)
        if self.as_root:
            self.folder.parent.chmod(0o711)  # the postgres user must reach its folder
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def kill(self) -> None:
        """Stop at once, as a crash would: no checkpoint, the next start replays the write-ahead log."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@contextmanager
def private_postgres(folder: Path) -> Iterator[PrivateServer]:
    """A running server of its own in ``folder`` (created here) for the block; stopped after."""
    server = PrivateServer(folder)
    server.create()
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop()
        except RuntimeError:
            server.kill()

"""The evidence file store: original files content-addressed by their SHA-256, written once, atomically and
read-only, with derived working copies (thumbnails) kept apart from them (their hashes: ``derived``).

    EVIDENCE_DIR/originals/<sha[:2]>/<sha>      the bytes as uploaded, never changed (mode 0440)
    EVIDENCE_DIR/derived/thumbs/<sha>.png       a thumbnail made from the decoded pixels, EXIF-free

The store lives outside any static folder: files leave it only through the routes that check access and
write a custody event. It knows nothing of cases or the database; ``project.services.evidence.exhibits`` does.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from project.services.errors import CaseworkError

READ_ONLY = 0o440
SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class EvidenceTampered(CaseworkError):
    """The bytes in the store no longer hash to the SHA-256 recorded at upload (or the file is gone)."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class EvidenceStore:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    # Where things are ---------------------------------------------------------------------------------

    def original_path(self, sha256: str) -> Path:
        return self.root / "originals" / sha256[:2] / _checked(sha256)

    def thumbnail_path(self, sha256: str) -> Path:
        return self.root / "derived" / "thumbs" / f"{_checked(sha256)}.png"

    # Writing ------------------------------------------------------------------------------------------

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the store's lock: one upload at a time publishes a file and commits its row, and a failed
        upload decides whether a file is still referenced without another upload racing it."""
        _make_dirs(self.root)
        with open(self.root / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def put_original(self, sha256: str, data: bytes) -> bool:
        """Store the original unless the same bytes are already there (from another case); return whether
        this call created the file. An existing file is reused only after its hash is checked again."""
        path = self.original_path(sha256)
        if path.exists():
            if sha256_of(path.read_bytes()) != sha256:
                raise EvidenceTampered(
                    f"The evidence store already holds a file named {sha256}, but its bytes no longer match "
                    "that SHA-256: the store may have been altered. Nothing was saved; report this to an "
                    "administrator."
                )
            return False
        write_atomically(path, data)
        return True

    def remove(self, path: Path) -> None:
        with suppress(FileNotFoundError):
            path.unlink()
        _fsync_dir(path.parent)

    # Reading ------------------------------------------------------------------------------------------

    def read_original(self, sha256: str) -> bytes | None:
        """The stored bytes, unverified (the caller compares their hash), or None when the file is gone."""
        try:
            return self.original_path(sha256).read_bytes()
        except FileNotFoundError:
            return None


def write_atomically(path: Path, data: bytes, mode: int = READ_ONLY) -> None:
    """Write to a temporary file in the same directory, fsync it, rename it into place and fsync the
    directory: after a crash the file is either absent or complete, never half-written."""
    _make_dirs(path.parent)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    _fsync_dir(path.parent)


def _make_dirs(directory: Path) -> None:
    """Create the missing directories, each made durable in its parent."""
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for created in reversed(missing):
        with suppress(FileExistsError):
            created.mkdir(mode=0o750)
        _fsync_dir(created.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _checked(sha256: str) -> str:
    """A store name is a lowercase SHA-256 and nothing else, so no name can point outside the store."""
    if not SHA256_HEX.fullmatch(sha256):
        raise ValueError(f"not a SHA-256: {sha256!r}")
    return sha256

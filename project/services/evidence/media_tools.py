"""Debian's ffprobe and ffmpeg, run as limited child processes: the duration and picture size of an audio or
video exhibit, and a video's key frames for the packet.

ffmpeg is optional. Without it an audio or video upload is still checked by its container (``media``), stored
with its hash and custody, and the pages say the duration and frames are unavailable because ffmpeg is not
installed. With it, each run is a child that sets its own memory (``RLIMIT_AS``), CPU-time, core-dump and
file-size limits before it becomes ffmpeg (``python -I`` running this very file, as ``pdf_worker`` does), is
killed when it does not answer in time, reads only a local file (``-protocol_whitelist file``) with the
demuxer named for the type the bytes showed, so no playlist or concat file can make it fetch anything."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 1024 * 1024
KEY_FRAMES = 4
FRAME_MAX_WIDTH = 1280
OFF = "ffmpeg is not installed on this server (Debian: apt-get install ffmpeg)"


class MediaToolFailed(Exception):
    """ffprobe or ffmpeg could not read the file, or went beyond its limits; the message says which."""


@dataclass(frozen=True)
class MediaLimits:
    """The programs to run (``FFMPEG_CMD``, ``FFPROBE_CMD``), the memory each run may use and its seconds."""

    ffmpeg_cmd: str = "ffmpeg"
    ffprobe_cmd: str = "ffprobe"
    worker_memory_mb: int = 1024
    worker_seconds: float = 60.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MediaLimits:
        return cls(
            config.get("FFMPEG_CMD") or "ffmpeg",
            config.get("FFPROBE_CMD") or "ffprobe",
            config.get("EVIDENCE_MEDIA_WORKER_MEMORY_MB", 1024),
            config.get("EVIDENCE_MEDIA_WORKER_SECONDS", 60),
        )

    def available(self) -> bool:
        """Whether both programs are here; without them durations and key frames are off."""
        return shutil.which(self.ffmpeg_cmd) is not None and shutil.which(self.ffprobe_cmd) is not None


@dataclass(frozen=True)
class MediaFacts:
    """What ffprobe found: the duration (milliseconds, None when the file does not say), and the picture size
    of the first video stream (None for sound only)."""

    duration_ms: int | None
    has_audio: bool
    width: int | None = None
    height: int | None = None

    @property
    def has_video(self) -> bool:
        return self.width is not None


@contextmanager
def media_file(data: bytes) -> Iterator[Path]:
    """The bytes in a private temporary file (ffprobe needs to seek), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="casefile-media-") as folder:
        path = Path(folder) / "exhibit"
        path.write_bytes(data)
        path.chmod(0o400)
        yield path


def probe(path: Path, demuxer: str, limits: MediaLimits) -> MediaFacts:
    """The duration and streams of the file at ``path``, read by ffprobe with ``demuxer``."""
    entries = "format=duration:stream=codec_type,width,height:stream_disposition=attached_pic"
    command = [limits.ffprobe_cmd, "-v", "error", "-protocol_whitelist", "file", "-f", demuxer]
    output = _run([*command, "-show_entries", entries, "-of", "json", str(path)], limits, "ffprobe")
    try:
        found = json.loads(output)
    except ValueError:
        raise MediaToolFailed("ffprobe gave no answer it could read") from None
    streams = found.get("streams") or []
    pictures = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic") and s.get("width")
    ]
    duration = (found.get("format") or {}).get("duration")
    try:
        duration_ms = round(float(duration) * 1000) if duration not in (None, "N/A") else None
    except ValueError:
        duration_ms = None
    first = pictures[0] if pictures else {}
    return MediaFacts(
        duration_ms=duration_ms,
        has_audio=any(s.get("codec_type") == "audio" for s in streams),
        width=first.get("width"),
        height=first.get("height"),
    )


def frame_times(duration_ms: int | None, count: int = KEY_FRAMES) -> list[float]:
    """Evenly spaced moments (seconds) for ``count`` frames: the middle of each of ``count`` equal parts."""
    seconds = (duration_ms or 0) / 1000
    return [round(seconds * (2 * i + 1) / (2 * count), 3) for i in range(count)]


def frame_at(path: Path, demuxer: str, seconds: float, limits: MediaLimits) -> bytes:
    """One frame of the video at ``seconds``, as PNG bytes (at most 1280 pixels wide)."""
    command = [limits.ffmpeg_cmd, "-v", "error", "-nostdin", "-threads", "1", "-protocol_whitelist", "file"]
    command += ["-ss", f"{seconds:.3f}", "-f", demuxer, "-i", str(path), "-frames:v", "1", "-an"]
    command += ["-vf", f"scale='min({FRAME_MAX_WIDTH},iw)':-2", "-f", "image2pipe", "-c:v", "png", "-"]
    png = _run(command, limits, "ffmpeg")
    if not png.startswith(b"\x89PNG"):
        raise MediaToolFailed(f"ffmpeg drew no frame at {seconds:.3f} s")
    return png


def _run(command: list[str], limits: MediaLimits, name: str) -> bytes:
    program = shutil.which(command[0])
    if program is None:
        raise MediaToolFailed(OFF)
    memory = str(limits.worker_memory_mb * MB)
    seconds = str(max(1, int(limits.worker_seconds)))
    launcher = [sys.executable, "-I", os.path.abspath(__file__), memory, seconds, program, *command[1:]]
    try:
        done = subprocess.run(  # noqa: S603 - our interpreter and file, then ffmpeg; no shell, argv built here
            launcher,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=limits.worker_seconds,
            close_fds=True,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise MediaToolFailed(
            f"{name} took longer than the {limits.worker_seconds:g}-second limit and was stopped"
        ) from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if done.returncode < 0:
            raise MediaToolFailed(f"{name} stopped beyond its memory ({limits.worker_memory_mb} MB) or time limit")
        raise MediaToolFailed(f"{name} could not read the file ({reason[-1] if reason else 'no reason given'})")
    return done.stdout


def _child_main(memory: int, seconds: int, argv: list[str]) -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # it writes to its pipe only, never a file
    os.execv(argv[0], argv)  # noqa: S606 - the program the parent found with shutil.which


if __name__ == "__main__":  # pragma: no cover - the child: python -I media_tools.py MEMORY SECONDS PROGRAM ARGS...
    _child_main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:])

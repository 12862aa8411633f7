"""Audio and video exhibits made on the spot (no binaries in the repository): a WAV with Python's ``wave``, and
MP3, M4A, MP4 and MOV with Debian's ffmpeg, one or two seconds long and tiny. Tests that need ffmpeg take the
``ffmpeg`` fixture: skipped, with the reason, on a machine without it; failed where it must be there
(``REQUIRE_FFMPEG=1``, or ``REQUIRE_BROWSER=1`` as .ci/run sets, which also installs ffmpeg)."""

from __future__ import annotations

import io
import math
import os
import shutil
import struct
import subprocess
import tempfile
import wave
from functools import cache
from pathlib import Path

import pytest

MISSING = "ffmpeg is not installed (apt-get install ffmpeg; .ci/run installs it)"

# kind: (file suffix, ffmpeg arguments after the inputs)
_MADE = {
    "mp3": (".mp3", ["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "libmp3lame", "-b:a", "32k"]),
    "m4a": (".m4a", ["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", "-b:a", "32k"]),
    "mp4": (
        ".mp4",
        ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=2", "-pix_fmt", "yuv420p", "-c:v", "libx264"],
    ),
    "mov": (".mov", ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=2", "-c:v", "mpeg4"]),
    "mp4-sound-only": (".mp4", ["-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", "-brand", "mp42"]),
}


def ffmpeg_required() -> bool:
    return os.environ.get("REQUIRE_FFMPEG") == "1" or os.environ.get("REQUIRE_BROWSER") == "1"


@pytest.fixture()
def ffmpeg() -> None:
    """Skip the test without ffmpeg, saying why; fail it instead where ffmpeg is required."""
    if shutil.which("ffmpeg") and shutil.which("ffprobe"):
        return
    if ffmpeg_required():
        pytest.fail(f"{MISSING}, and REQUIRE_FFMPEG/REQUIRE_BROWSER says the media tests must run")
    pytest.skip(MISSING)


@cache
def made(kind: str) -> bytes:
    """A short file of ``kind`` (mp3, m4a, mp4, mov) made by ffmpeg; needs the ``ffmpeg`` fixture."""
    suffix, arguments = _MADE[kind]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"made{suffix}"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-nostdin", *arguments, "-map_metadata", "-1", str(out)],
            check=True,
            timeout=60,
        )
        return out.read_bytes()


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A mono 16-bit WAV of a 440 Hz tone, written with Python's wave module (no ffmpeg needed)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        samples = (int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate)))
        w.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return out.getvalue()

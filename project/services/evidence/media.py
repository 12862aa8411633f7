"""Audio and video exhibits (issue 17, item 3): MP3, M4A, WAV, MP4 and MOV, told apart by their bytes alone.

A file is taken for media by its magic number and then walked as its container says it is built: an MP3's
frames one after another, a WAV's RIFF chunks, an MP4/M4A/MOV's top-level ISO boxes (their sizes must add up
to the file, and the index box ``moov`` must be there). A file that claims to be media and does not hold
together is refused with a message that says so. Duration and picture size are read afterwards with ffprobe
(``media_tools``), when it is installed."""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from project.services.errors import InvalidInput
from project.services.evidence.media_tools import MB, MediaLimits

AUDIO_TYPES = {"audio/mpeg": "MP3", "audio/mp4": "M4A", "audio/wav": "WAV"}
VIDEO_TYPES = {"video/mp4": "MP4", "video/quicktime": "MOV"}
MEDIA_KINDS = AUDIO_TYPES | VIDEO_TYPES
# the ffmpeg demuxer that reads each type: named, so ffmpeg never guesses (no playlist or concat demuxer)
DEMUXERS = {"audio/mpeg": "mp3", "audio/wav": "wav", "audio/mp4": "mov", "video/mp4": "mov", "video/quicktime": "mov"}

AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A "}
QUICKTIME_BRANDS = {b"qt  "}
MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"M4VP", b"dash"}
MP4_BRANDS |= {b"mmp4", b"f4v ", b"MSNV", b"XAVC"}
# an old QuickTime movie may start without ftyp, with one of these boxes
QUICKTIME_FIRST_BOXES = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}

_MP3_BITRATES = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),  # MPEG-1 layer III
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2 and 2.5 layer III
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits
MP3_FRAMES_NEEDED = 3


def _refuse(message: str) -> InvalidInput:
    return InvalidInput({"file": message})


def damaged(media_type: str) -> str:
    kind = MEDIA_KINDS[media_type]
    what = "audio recording" if media_type in AUDIO_TYPES else "video"
    return (
        f"The {kind} {what} is damaged or incomplete and cannot be read: it may have been cut off while "
        "copying. Export or download it again."
    )


# Telling the type ----------------------------------------------------------------------------------------


def sniff_media(data: bytes) -> str | None:
    """The media type by magic number: a WAV's RIFF header, an MP3's ID3 tag or frame sync, an ISO file's
    ``ftyp`` brand (or an old QuickTime movie's first box). None: not media."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data.startswith(b"ID3") or _mp3_frame(data, 0) is not None:
        return "audio/mpeg"
    if data[4:8] == b"ftyp":
        brands = _brands(data)
        if brands & AUDIO_BRANDS and data[8:12] in AUDIO_BRANDS:
            return "audio/mp4"
        if data[8:12] in QUICKTIME_BRANDS:
            return "video/quicktime"
        if brands & (MP4_BRANDS | AUDIO_BRANDS):
            return "video/mp4"
        return None
    size = int.from_bytes(data[:4], "big")
    if len(data) >= 8 and data[4:8] in QUICKTIME_FIRST_BOXES and (size in (0, 1) or 8 <= size <= len(data)):
        return "video/quicktime"
    return None


def _brands(data: bytes) -> set[bytes]:
    size = int.from_bytes(data[:4], "big")
    end = min(size if 16 <= size <= 4096 else 16, len(data))
    return {data[8:12]} | {data[i : i + 4] for i in range(16, end - 3, 4)}


# Checking it holds together ------------------------------------------------------------------------------


def check_structure(data: bytes, media_type: str) -> None:
    """Walk the container; refuse (``InvalidInput({"file": ...})``) a file that does not hold together."""
    if media_type == "audio/wav":
        _check_wav(data)
    elif media_type == "audio/mpeg":
        _check_mp3(data)
    else:
        _check_iso_boxes(data, media_type)


def _check_wav(data: bytes) -> None:
    riff_end = 8 + int.from_bytes(data[4:8], "little")
    if len(data) < 12 or riff_end > len(data):
        raise _refuse(damaged("audio/wav"))
    position, chunks = 12, dict[bytes, bytes]()
    while position + 8 <= riff_end:
        kind, size = data[position : position + 4], int.from_bytes(data[position + 4 : position + 8], "little")
        if position + 8 + size > riff_end:
            raise _refuse(damaged("audio/wav"))
        chunks.setdefault(kind, data[position + 8 : position + 8 + min(size, 64)])
        position += 8 + size + (size % 2)
    fmt = chunks.get(b"fmt ")
    if fmt is None or len(fmt) < 16 or b"data" not in chunks:
        raise _refuse(damaged("audio/wav"))
    _format, channels, rate = struct.unpack("<HHI", fmt[:8])
    if channels == 0 or rate == 0:
        raise _refuse(damaged("audio/wav"))


def _mp3_frame(data: bytes, position: int) -> int | None:
    """The length of the MPEG audio layer III frame starting at ``position``, or None when none starts there."""
    if position + 4 > len(data) or data[position] != 0xFF or data[position + 1] & 0xE0 != 0xE0:
        return None
    version, layer = (data[position + 1] >> 3) & 3, (data[position + 1] >> 1) & 3
    bitrate_index, rate_index = data[position + 2] >> 4, (data[position + 2] >> 2) & 3
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    bitrate = _MP3_BITRATES[1 if version == 3 else 2][bitrate_index] * 1000
    rate = _MP3_RATES[version][rate_index]
    padding = (data[position + 2] >> 1) & 1
    return (144 if version == 3 else 72) * bitrate // rate + padding


def _check_mp3(data: bytes) -> None:
    """After an ID3v2 tag (if any), at least three layer III frames follow one another, the last one whole (tags
    such as ID3v1 may follow the frames)."""
    position = 0
    if data.startswith(b"ID3"):
        if len(data) < 10 or any(b & 0x80 for b in data[6:10]):
            raise _refuse(damaged("audio/mpeg"))
        tag = int.from_bytes(bytes(b & 0x7F for b in data[6:10]), "big")  # a "synchsafe" integer
        position = 10 + tag + (10 if data[5] & 0x10 else 0)
    frames = 0
    while (length := _mp3_frame(data, position)) is not None:
        if position + length > len(data):  # the last frame is cut short: the recording was cut off
            raise _refuse(damaged("audio/mpeg"))
        position, frames = position + length, frames + 1
    if frames < MP3_FRAMES_NEEDED:
        raise _refuse(damaged("audio/mpeg"))


def _check_iso_boxes(data: bytes, media_type: str) -> None:
    """The top-level boxes tile the file exactly, and the index (``moov``) is among them."""
    position, kinds = 0, set()
    while position < len(data):
        if position + 8 > len(data):
            raise _refuse(damaged(media_type))
        size, kind = int.from_bytes(data[position : position + 4], "big"), data[position + 4 : position + 8]
        header = 8
        if size == 1:  # a 64-bit size follows the type
            if position + 16 > len(data):
                raise _refuse(damaged(media_type))
            size, header = int.from_bytes(data[position + 8 : position + 16], "big"), 16
        elif size == 0:  # the box runs to the end of the file
            size = len(data) - position
        if size < header or position + size > len(data) or not all(32 <= b < 127 for b in kind):
            raise _refuse(damaged(media_type))
        kinds.add(kind)
        position += size
    if b"moov" not in kinds:
        raise _refuse(damaged(media_type))


# The per-type limits -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MediaRules:
    """The largest audio and video exhibit accepted (department settings ``EVIDENCE_MAX_AUDIO_BYTES`` and
    ``EVIDENCE_MAX_VIDEO_BYTES``), and the ffprobe/ffmpeg programs with their limits."""

    max_audio_bytes: int = 50 * MB
    max_video_bytes: int = 200 * MB
    tools: MediaLimits = field(default_factory=MediaLimits)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MediaRules:
        return cls(
            config.get("EVIDENCE_MAX_AUDIO_BYTES", 50 * MB),
            config.get("EVIDENCE_MAX_VIDEO_BYTES", 200 * MB),
            MediaLimits.from_config(config),
        )

    def limit_for(self, media_type: str) -> int:
        return self.max_audio_bytes if media_type in AUDIO_TYPES else self.max_video_bytes

    def too_large(self, media_type: str, size: int) -> str | None:
        """Why the file is too large for its type, or None."""
        limit = self.limit_for(media_type)
        if size <= limit:
            return None
        kind = "an audio" if media_type in AUDIO_TYPES else "a video"
        setting = "EVIDENCE_MAX_AUDIO_BYTES" if media_type in AUDIO_TYPES else "EVIDENCE_MAX_VIDEO_BYTES"
        return (
            f"The {MEDIA_KINDS[media_type]} file is {size / MB:,.1f} MB: the limit for {kind} exhibit is "
            f"{limit / MB:.3g} MB (a department setting, {setting}). Trim the recording or export it smaller."
        )

"""Audio and video exhibits (issue 17, item 3), through the services: MP3, M4A, WAV, MP4 and MOV accepted by
their bytes with hash and custody; what claims to be media and does not hold together refused, leaving nothing;
the size limit per type; duration and picture size by ffprobe, and without ffmpeg the upload still kept (its
duration read later by ``flask evidence durations``)."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, DerivedFile
from project.services import evidence
from tests.evidence_files import MAX_BYTES, MAX_PIXELS, add, png_bytes, refusal, stored_files
from tests.media_files import made, wav_bytes

MB = 1024 * 1024
NO_FFMPEG = evidence.MediaRules(tools=evidence.MediaLimits("no-such-ffmpeg", "no-such-ffprobe"))


def uploaded_events(exhibit) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_type == "exhibit",
                AuditEvent.object_id == str(exhibit.id),
                AuditEvent.action == "exhibit.uploaded",
            )
        )
    )


# Accepted by their bytes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "media_type", "picture"),
    [
        ("mp3", "audio/mpeg", None),
        ("m4a", "audio/mp4", None),
        ("mp4", "video/mp4", (64, 48)),
        ("mov", "video/quicktime", (64, 48)),
    ],
)
def test_each_kind_is_kept_with_its_hash_duration_and_custody(app, world, ffmpeg, kind, media_type, picture):
    data = made(kind)
    case = world.open()
    exhibit = add(app, world, case, data, filename=f"interview.{kind}")
    assert exhibit.media_type == media_type
    assert exhibit.sha256 == hashlib.sha256(data).hexdigest() and exhibit.size_bytes == len(data)
    assert exhibit.duration_ms is not None and 900 <= exhibit.duration_ms <= 2200
    assert (exhibit.width, exhibit.height) == (picture or (None, None))
    [event] = uploaded_events(exhibit)
    assert event.detail["media_type"] == media_type and event.detail["duration_ms"] == exhibit.duration_ms
    assert evidence.open_original(exhibit, app.config["EVIDENCE_DIR"]) == data


def test_a_wav_is_kept_and_timed(app, world, ffmpeg):
    exhibit = add(app, world, world.open(), wav_bytes(seconds=1.5), filename="call.wav")
    assert exhibit.media_type == "audio/wav" and exhibit.duration_ms == 1500
    assert exhibit.duration_label == "0:01.5"


def test_the_bytes_decide_the_type_not_the_name(app, world):
    case = world.open()
    recording = add(app, world, case, wav_bytes(), filename="screenshot.png", media_rules=NO_FFMPEG)
    picture = add(app, world, case, png_bytes(), filename="interview.mp3", media_rules=NO_FFMPEG)
    assert (recording.media_type, picture.media_type) == ("audio/wav", "image/png")


def test_an_mp4_holding_only_sound_is_an_m4a_recording(app, world, ffmpeg):
    exhibit = add(app, world, world.open(), made("mp4-sound-only"), filename="voice.mp4")
    assert exhibit.media_type == "audio/mp4" and exhibit.width is None


# Refused when it claims to be media and does not hold together ---------------------------------------------


@pytest.mark.parametrize("kind", ["mp3", "m4a", "mp4", "mov"])
def test_a_recording_cut_short_is_refused_and_nothing_kept(app, world, ffmpeg, kind):
    data = made(kind)
    errors = refusal(app, world, world.open(), data[: len(data) * 2 // 3], filename=f"cut.{kind}")
    assert "is damaged or incomplete and cannot be read" in errors["file"]


def test_a_wav_cut_short_is_refused_without_ffmpeg_too(app, world):
    data = wav_bytes()
    errors = refusal(app, world, world.open(), data[:-500], filename="call.wav", media_rules=NO_FFMPEG)
    assert errors["file"].startswith("The WAV audio recording is damaged or incomplete")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"not an mp3 frame" * 20, "The MP3 audio recording is damaged"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64, "The MP4 video is damaged"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  \x00\x00\x00\x08mdat", "The MOV video is damaged"),
        (b"RIFF\x24\x00\x00\x00WAVEjunk" + b"\x00" * 40, "The WAV audio recording is damaged"),
        (b"\x00\x00\x00\x18ftyp3gp4\x00\x00\x00\x00" + b"\x00" * 64, "not one Casefile takes, whatever its name"),
        (b"<html><video src=x onerror=alert(1)></html>", "not one Casefile takes, whatever its name"),
    ],
    ids=["id3-without-frames", "mp4-without-index", "mov-without-index", "wav-without-fmt", "3gp", "html"],
)
def test_what_only_looks_like_media_is_refused_with_the_reason(app, world, data, message):
    errors = refusal(app, world, world.open(), data, filename="recording.mp4", media_rules=NO_FFMPEG)
    assert message in errors["file"]


def test_a_file_ffprobe_cannot_read_is_refused(app, world, ffmpeg):
    data = bytearray(made("mp4"))
    start = data.index(b"moov") + 8
    data[start : start + 200] = b"\xff" * 200  # the index box still fits, its contents are garbage
    errors = refusal(app, world, world.open(), bytes(data), filename="broken.mp4")
    assert "The MP4 video is damaged or incomplete" in errors["file"]


# The size limit of each kind -------------------------------------------------------------------------------


def test_each_kind_has_its_own_size_limit_with_a_clear_message(app, world):
    data = wav_bytes(seconds=2)  # about 32 KB
    rules = evidence.MediaRules(max_audio_bytes=len(data) - 1, max_video_bytes=10 * MB, tools=NO_FFMPEG.tools)
    errors = refusal(app, world, world.open(), data, filename="long.wav", media_rules=rules)
    assert "the limit for an audio exhibit is" in errors["file"] and "EVIDENCE_MAX_AUDIO_BYTES" in errors["file"]
    assert "department setting" in errors["file"]
    # the same bytes are within a larger audio limit, even when images are held to less
    big_enough = evidence.MediaRules(max_audio_bytes=len(data), max_video_bytes=10, tools=NO_FFMPEG.tools)
    exhibit = add(app, world, world.open(), data, filename="long.wav", media_rules=big_enough, max_bytes=1000)
    assert exhibit.media_type == "audio/wav"


def test_a_video_over_the_video_limit_is_refused(app, world, ffmpeg):
    data = made("mp4")
    rules = evidence.MediaRules(max_audio_bytes=10 * MB, max_video_bytes=len(data) // 2)
    errors = refusal(app, world, world.open(), data, filename="clip.mp4", media_rules=rules)
    assert "the limit for a video exhibit is" in errors["file"] and "EVIDENCE_MAX_VIDEO_BYTES" in errors["file"]


# Without ffmpeg ------------------------------------------------------------------------------------------


def test_without_ffmpeg_a_recording_is_kept_with_hash_and_custody_but_no_duration(app, world):
    data = wav_bytes()
    exhibit = add(app, world, world.open(), data, filename="call.wav", media_rules=NO_FFMPEG)
    assert exhibit.media_type == "audio/wav" and exhibit.sha256 == hashlib.sha256(data).hexdigest()
    assert exhibit.duration_ms is None and exhibit.duration_label is None
    assert len(uploaded_events(exhibit)) == 1


def test_without_ffmpeg_a_video_is_kept_without_key_frames(app, world, ffmpeg):
    data = made("mov")
    exhibit = add(app, world, world.open(), data, filename="clip.mov", media_rules=NO_FFMPEG)
    assert exhibit.media_type == "video/quicktime" and exhibit.duration_ms is None
    assert db.session.scalars(select(DerivedFile).where(DerivedFile.source_sha256 == exhibit.sha256)).all() == []


# Key frames ----------------------------------------------------------------------------------------------


def test_a_video_gets_four_key_frames_recorded_with_their_hashes_at_upload(app, world, ffmpeg):
    exhibit = add(app, world, world.open(), made("mp4"), filename="clip.mp4")
    rows = db.session.scalars(
        select(DerivedFile).where(DerivedFile.source_sha256 == exhibit.sha256).order_by(DerivedFile.path)
    ).all()
    assert [row.kind for row in rows] == ["frame"] * evidence.KEY_FRAMES
    root = app.config["EVIDENCE_DIR"]
    for index, row in enumerate(rows, start=1):
        path = evidence.frame_path(root, exhibit.sha256, index)
        assert row.path == path.relative_to(root).as_posix()
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256
        assert path.read_bytes().startswith(b"\xff\xd8\xff")
    assert evidence.verify_store(root).problems == []


def test_the_store_check_accepts_a_recording_and_names_an_altered_key_frame(app, world, ffmpeg):
    exhibit = add(app, world, world.open(), made("mp4"), filename="clip.mp4")
    root = app.config["EVIDENCE_DIR"]
    frame = evidence.frame_path(root, exhibit.sha256, 2)
    frame.chmod(0o640)
    frame.write_bytes(frame.read_bytes() + b"!")
    problems = evidence.verify_store(root).problems
    assert any("the video's key frame 2 was altered" in problem for problem in problems), problems
    assert len(stored_files(app)) == 1 + evidence.KEY_FRAMES


def test_the_default_limits_come_from_the_settings(app):
    rules = evidence.EvidenceSettings.from_config(app.config).media_rules
    assert rules is not None
    assert (rules.max_audio_bytes, rules.max_video_bytes) == (50 * MB, 200 * MB)
    assert app.config["MAX_CONTENT_LENGTH"] == 201 * MB
    assert MAX_BYTES < rules.max_video_bytes and MAX_PIXELS > 0


# Durations read once ffmpeg is installed ---------------------------------------------------------------------


def test_flask_evidence_durations_reads_what_was_uploaded_without_ffmpeg(app, world, runner, ffmpeg):
    case = world.open()
    recording = add(app, world, case, wav_bytes(seconds=1.5), filename="call.wav", media_rules=NO_FFMPEG)
    video = add(app, world, case, made("mov"), filename="clip.mov", media_rules=NO_FFMPEG)
    assert (recording.duration_ms, video.duration_ms, video.width) == (None, None, None)
    result = runner.invoke(args=["evidence", "durations"])
    assert result.exit_code == 0, result.output
    assert "Duration read for 2 exhibit(s)." in result.output
    assert (recording.duration_ms, video.duration_ms, (video.width, video.height)) == (1500, 2000, (64, 48))
    read = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "exhibit.duration_read").order_by(AuditEvent.id)
    ).all()
    assert sorted(event.detail["duration_ms"] for event in read) == [1500, 2000]
    assert all(event.actor_id is None for event in read)  # by the system, from the command
    again = runner.invoke(args=["evidence", "durations"])
    assert "Duration read for 0 exhibit(s)." in again.output


def test_flask_evidence_durations_says_ffmpeg_is_missing(app, runner):
    app.config["FFPROBE_CMD"] = "no-such-ffprobe"
    result = runner.invoke(args=["evidence", "durations"])
    assert result.exit_code != 0 and "ffmpeg is not installed on this server" in result.output

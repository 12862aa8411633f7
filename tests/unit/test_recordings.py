"""Recordings in use (issue 17, item 3): the transcript, typed by the assigned investigator while the case is
open and audited with the text before and after; playing, checked against the SHA-256 and in the chain of
custody; and the packet, where a video shows its key frames and a recording its duration and transcript."""

from __future__ import annotations

import io

import pytest
from flask import current_app
from pypdf import PdfReader
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, Case
from project.permissions import NotPermitted
from project.services import casework, evidence, packets, search
from project.services.errors import InvalidInput
from tests.evidence_files import add, png_bytes, tamper
from tests.media_files import made, wav_bytes

NO_FFMPEG = evidence.MediaLimits("no-such-ffmpeg", "no-such-ffprobe")


def events(exhibit, action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_id == str(exhibit.id), AuditEvent.object_type == "exhibit")
            .where(AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
    )


def recording(app, world, case=None, data: bytes | None = None, filename: str = "interview.wav"):
    case = case or world.open()
    return case, add(app, world, case, data or wav_bytes(), filename=filename)


def packet_text(case, variant: str = "full", tools: evidence.MediaLimits | None = None):
    config = current_app.config
    settings = packets.PrintSettings(config["EVIDENCE_DIR"], "DOC-", media_tools=tools or evidence.MediaLimits())
    packet = packets.render_packet(case, packets.PacketOrder(variant, None), settings)
    reader = PdfReader(io.BytesIO(packet.pdf))
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# The transcript ------------------------------------------------------------------------------------------


def test_the_investigator_types_a_transcript_and_the_change_is_audited_before_and_after(app, world):
    case, exhibit = recording(app, world)
    version = case.content_version
    actor = world.actor(world.investigator)
    assert evidence.save_transcript(case, exhibit, "INV: State your name.\r\nSGT: Smith.  \n", actor, "")
    assert exhibit.transcript == "INV: State your name.\nSGT: Smith."
    assert exhibit.transcript_by == world.investigator and exhibit.transcript_at is not None
    assert db.session.get(Case, case.id).content_version == version + 1
    started = evidence.transcript_version(exhibit)
    evidence.save_transcript(case, exhibit, "INV: State your name.\nSGT: Sergeant Smith.", actor, started)
    first, second = events(exhibit, "exhibit.transcript_edited")
    assert (first.detail["before"], first.detail["after"]) == ("", "INV: State your name.\nSGT: Smith.")
    assert second.detail["before"] == "INV: State your name.\nSGT: Smith."
    assert second.detail["after"] == "INV: State your name.\nSGT: Sergeant Smith."
    assert evidence.CUSTODY_ACTIONS["exhibit.transcript_edited"] == "Changed the transcript"


def test_a_transcript_finds_its_case_with_protected_people_masked(app, world):
    """What was said in an interview is searched like the text read from a screenshot: masked, so nobody finds
    the case, or reads a passage, by a protected person's name, even one listed after the transcript."""
    case, exhibit = recording(app, world)
    actor = world.actor(world.investigator)
    evidence.save_transcript(case, exhibit, "INV: Who sent the keypad photo?\nCO: Marcus Whitfield did.", actor, "")
    found = [hit for hit in search.search(world.supervisor, "keypad photo") if hit.case_id == case.id]
    assert [hit.kind for hit in found] == ["transcript"] and "<mark>keypad</mark>" in found[0].snippet
    casework.add_protected_person(case, casework.ProtectedPersonInput("inmate", "Marcus Whitfield"), actor)
    assert not [hit for hit in search.search(world.supervisor, "Whitfield") if hit.case_id == case.id]
    masked = [hit for hit in search.search(world.supervisor, "keypad") if hit.case_id == case.id][0]
    assert "Whitfield" not in masked.snippet and "[REDACTED]" in masked.snippet
    evidence.save_transcript(case, exhibit, "", actor, evidence.transcript_version(exhibit))  # cleared
    assert not [hit for hit in search.search(world.supervisor, "keypad") if hit.case_id == case.id]


def test_an_unchanged_transcript_writes_nothing(app, world):
    case, exhibit = recording(app, world)
    actor = world.actor(world.investigator)
    evidence.save_transcript(case, exhibit, "Hello", actor)
    version = db.session.get(Case, case.id).content_version
    assert evidence.save_transcript(case, exhibit, "Hello\n", actor) is False
    assert db.session.get(Case, case.id).content_version == version
    assert len(events(exhibit, "exhibit.transcript_edited")) == 1


def test_a_change_made_meanwhile_is_not_overwritten(app, world):
    case, exhibit = recording(app, world)
    actor = world.actor(world.investigator)
    opened = evidence.transcript_version(exhibit)
    evidence.save_transcript(case, exhibit, "First version", actor, opened)
    with pytest.raises(InvalidInput) as refused:
        evidence.save_transcript(case, exhibit, "Typed over the old page", actor, opened)
    assert "changed this transcript after you opened it. Nothing was saved" in refused.value.errors["transcript"]
    db.session.rollback()
    assert exhibit.transcript == "First version"


def test_only_the_assigned_investigator_changes_a_transcript(app, world):
    case, exhibit = recording(app, world)
    for user in (world.investigator2, world.supervisor, world.labor, world.admin):
        with pytest.raises(NotPermitted):
            evidence.save_transcript(case, exhibit, "Not theirs to type", world.actor(user))
    assert exhibit.transcript is None and events(exhibit, "exhibit.transcript_edited") == []


def test_a_case_under_review_keeps_its_transcripts_as_they_are(app, world):
    case = world.ready_for_review()
    _, exhibit = recording(app, world, case)
    casework.submit_for_review(case, world.actor(world.investigator))
    with pytest.raises(NotPermitted, match="while the case is under investigation"):
        evidence.save_transcript(case, exhibit, "Typed after submitting", world.actor(world.investigator))
    assert exhibit.transcript is None


def test_a_picture_has_no_transcript_and_a_transcript_has_a_length_limit(app, world):
    case = world.open()
    picture = add(app, world, case, png_bytes())
    actor = world.actor(world.investigator)
    with pytest.raises(InvalidInput, match="has no transcript"):
        evidence.save_transcript(case, picture, "words", actor)
    _, exhibit = recording(app, world, case)
    with pytest.raises(InvalidInput, match="at most 200,000 characters"):
        evidence.save_transcript(case, exhibit, "x" * (evidence.TRANSCRIPT_MAX + 1), actor)


# Playing -------------------------------------------------------------------------------------------------


def test_playing_is_recorded_once_per_playing_and_again_after_the_window(app, world, frozen_clock):
    case, exhibit = recording(app, world)
    actor = world.actor(world.supervisor)
    root = app.config["EVIDENCE_DIR"]
    for _ in range(3):  # the player asks for several ranges while it seeks
        with evidence.play_recording(case, exhibit, actor, root) as handle:
            assert handle.read() == evidence.open_original(exhibit, root)
    assert len(events(exhibit, "exhibit.played")) == 1
    frozen_clock.advance(minutes=11)
    evidence.play_recording(case, exhibit, actor, root).close()
    evidence.play_recording(case, exhibit, world.actor(world.investigator), root).close()
    assert [e.actor_id for e in events(exhibit, "exhibit.played")] == [world.supervisor.id] * 2 + [
        world.investigator.id
    ]


def test_an_altered_recording_is_not_played_and_the_failure_is_in_custody(app, world):
    case, exhibit = recording(app, world)
    actor = world.actor(world.investigator)
    root = app.config["EVIDENCE_DIR"]
    evidence.play_recording(case, exhibit, actor, root).close()  # found whole once
    tamper(app, exhibit)
    with pytest.raises(evidence.EvidenceTampered, match="It has not been played"):
        evidence.play_recording(case, exhibit, actor, root)
    assert len(events(exhibit, "exhibit.integrity_failed")) == 1


def test_playing_needs_the_right_to_see_the_evidence(app, world):
    case, exhibit = recording(app, world)
    with pytest.raises(NotPermitted):
        evidence.play_recording(case, exhibit, world.actor(world.investigator2), app.config["EVIDENCE_DIR"])
    assert events(exhibit, "exhibit.played") == []


# The packet ----------------------------------------------------------------------------------------------


def test_the_packet_prints_a_recordings_duration_and_transcript_and_attaches_it(app, world, ffmpeg):
    case = world.open()
    data = wav_bytes(seconds=2)
    _, exhibit = recording(app, world, case, data)
    evidence.save_transcript(case, exhibit, "INV: Did you post the photo?\nCO: Yes.", world.actor(world.investigator))
    world.approved_not_sustained(case)
    reader, text = packet_text(case)
    assert "Exhibit 1: audio recording" in text and "Duration 0:02.0" in text
    assert "INV: Did you post the photo? CO: Yes." in text and "Typed by Ivy Investigator" in text
    assert reader.attachments[f"{exhibit.sha256}.wav"] == [data]


def test_the_packet_shows_four_key_frames_of_a_video(app, world, ffmpeg):
    case = world.open()
    data = made("mp4")
    _, exhibit = recording(app, world, case, data, filename="bodycam.mp4")
    world.approved_not_sustained(case)
    reader, text = packet_text(case)
    assert "Exhibit 1: video" in text and "Key frames" in text and "Picture 64 x 48 pixels" in text
    for index, moment in enumerate(["0:00.2", "0:00.8", "0:01.2", "0:01.8"], start=1):
        assert f"Frame {index} of 4, at {moment}" in text
    frames = {image.data for page in reader.pages for image in page.images if image.image.format == "JPEG"}
    assert len(frames) == 4
    assert reader.attachments[f"{exhibit.sha256}.mp4"] == [data]


def test_without_ffmpeg_the_packet_says_the_key_frames_are_unavailable(app, world, ffmpeg):
    case = world.open()
    _, exhibit = recording(app, world, case, made("mov"), filename="clip.mov")
    for path in (evidence.frame_path(app.config["EVIDENCE_DIR"], exhibit.sha256, i) for i in range(1, 5)):
        path.unlink()  # as if made on a machine that had ffmpeg
    world.approved_not_sustained(case)
    _, text = packet_text(case, tools=NO_FFMPEG)
    assert "Key frames unavailable: ffmpeg is not installed on this server" in text
    assert exhibit.sha256[:16] in text.replace(" ", "")


def test_a_video_uploaded_without_ffmpeg_gets_its_frames_spread_over_its_length_in_the_packet(app, world, ffmpeg):
    case = world.open()
    exhibit = add(app, world, case, made("mov"), filename="clip.mov", media_rules=evidence.MediaRules(tools=NO_FFMPEG))
    assert exhibit.duration_ms is None
    world.approved_not_sustained(case)
    _, text = packet_text(case)
    assert "Frame 1 of 4, at 0:00.2" in text and "Frame 4 of 4, at 0:01.8" in text

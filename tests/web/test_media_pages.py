"""Audio and video exhibits in the pages (issue 17, item 3): uploaded through the form, played in the exhibit's
page and the case page from a route that checks access and the hash, audits the playing and answers byte ranges
(seeking); the transcript form for the assigned investigator while the case is open; the per-type limits given
to the browser; and the page saying which feature is off without ffmpeg."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent
from project.services import casework, evidence
from tests.evidence_files import add, png_bytes
from tests.media_files import made, wav_bytes

FIELDS = {
    "description": "Recorded interview of the complainant",
    "captured_by": "Ivy Investigator",
    "capture_method": "Olympus voice recorder",
}


def page_of(case, n: int = 1) -> str:
    return f"/cases/{case.number}/exhibits/{n}"


def played(exhibit) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_id == str(exhibit.id),
                AuditEvent.object_type == "exhibit",
                AuditEvent.action == "exhibit.played",
            )
        )
    )


def text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def test_a_recording_uploaded_through_the_form_plays_in_its_page_and_the_case_page(
    app, client, world, sign_in, post_form, ffmpeg
):
    case = world.open()
    sign_in(client, "inv1@example.test")
    form = FIELDS | {"file": (io.BytesIO(wav_bytes(seconds=2)), "interview.wav")}
    response = post_form(client, f"/cases/{case.number}/exhibits/new", form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    page = text(client.get(page_of(case)))
    source = f'src="/cases/{case.number}/exhibits/1/recording"'
    assert f'<audio class="exhibit-player" controls preload="none" {source}' in page
    assert 'audio/wav, <span class="duration">duration 0:02.0</span>' in page
    assert "No transcript yet." in page and 'name="transcript"' in page
    case_page = text(client.get(f"/cases/{case.number}"))
    assert source in case_page and 'Audio, <span class="duration">duration 0:02.0</span>' in case_page


def test_a_video_plays_in_a_video_element_sized_to_its_picture(app, client, world, sign_in, ffmpeg):
    case = world.open()
    add(app, world, case, made("mp4"), filename="bodycam.mp4")
    sign_in(client, "inv1@example.test")
    page = text(client.get(page_of(case)))
    source = f'src="/cases/{case.number}/exhibits/1/recording"'
    assert f'<video class="exhibit-player" controls preload="none" {source} width="64"' in page
    assert 'video/mp4, 64 x 48 pixels, <span class="duration">duration 0:02.0</span>' in page


def test_the_recording_is_served_in_byte_ranges_and_the_playing_is_audited_once(app, client, world, sign_in):
    case = world.open()
    data = wav_bytes()
    exhibit = add(app, world, case, data, filename="interview.wav")
    sign_in(client, "sup@example.test")
    url = f"{page_of(case)}/recording"
    part = client.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == data[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert part.headers["Content-Type"] == "audio/wav" and part.headers["Accept-Ranges"] == "bytes"
    assert part.headers["Cache-Control"] == "no-store" and part.headers["X-Content-Type-Options"] == "nosniff"
    whole = client.get(url)
    assert whole.status_code == 200 and whole.data == data
    tail = client.get(url, headers={"Range": f"bytes={len(data) - 10}-"})
    assert tail.status_code == 206 and tail.data == data[-10:]
    [event] = played(exhibit)
    assert event.actor_id == world.supervisor.id and event.detail["sha256"] == exhibit.sha256


@pytest.mark.parametrize("email", ["inv2@example.test", "admin@example.test"])
def test_people_who_may_not_see_the_evidence_get_no_byte(app, client, world, sign_in, email):
    case = world.open()
    exhibit = add(app, world, case, wav_bytes(), filename="interview.wav")
    sign_in(client, email)
    response = client.get(f"{page_of(case)}/recording", headers={"Range": "bytes=0-99"})
    assert response.status_code in (403, 404) and b"RIFF" not in response.data
    assert played(exhibit) == []


def test_a_picture_has_no_recording_route(app, client, world, sign_in):
    case = world.open()
    add(app, world, case, png_bytes())
    sign_in(client, "inv1@example.test")
    assert client.get(f"{page_of(case)}/recording").status_code == 404


def test_an_altered_recording_gets_the_integrity_page_not_its_bytes(app, client, world, sign_in):
    from tests.evidence_files import tamper

    case = world.open()
    exhibit = add(app, world, case, wav_bytes(), filename="interview.wav")
    tamper(app, exhibit)
    sign_in(client, "inv1@example.test")
    response = client.get(f"{page_of(case)}/recording")
    assert response.status_code == 409 and "It has not been played" in text(response)


# The transcript ------------------------------------------------------------------------------------------


def test_the_investigator_saves_a_transcript_shown_escaped(app, client, world, sign_in, post_form):
    case = world.open()
    add(app, world, case, wav_bytes(), filename="interview.wav")
    sign_in(client, "inv1@example.test")
    typed = "INV: What did you post?\nCO: <script>alert(1)</script> & a photo"
    response = post_form(client, f"{page_of(case)}/transcript", {"transcript": typed}, page=page_of(case))
    assert response.status_code == 302
    page = client.get(page_of(case)).get_data(as_text=True)
    assert "CO: &lt;script&gt;alert(1)&lt;/script&gt; &amp; a photo" in page and "<script>alert(1)" not in page
    assert "Last changed" in page and "by Ivy Investigator" in page


def test_a_transcript_post_without_the_csrf_token_is_refused(app, client, world, sign_in):
    case = world.open()
    exhibit = add(app, world, case, wav_bytes(), filename="interview.wav")
    sign_in(client, "inv1@example.test")
    response = client.post(f"{page_of(case)}/transcript", data={"transcript": "forged"})
    assert response.status_code == 400
    db.session.refresh(exhibit)
    assert exhibit.transcript is None


def test_a_stale_transcript_form_is_refused_with_the_reason(app, client, world, sign_in, csrf_token_from):
    case = world.open()
    exhibit = add(app, world, case, wav_bytes(), filename="interview.wav")
    sign_in(client, "inv1@example.test")
    token = csrf_token_from(client.get(page_of(case)).get_data(as_text=True))
    evidence.save_transcript(case, exhibit, "Saved in another tab", world.actor(world.investigator))
    response = client.post(
        f"{page_of(case)}/transcript", data={"csrf_token": token, "transcript": "Old page", "started_from": ""}
    )
    assert response.status_code == 400
    assert "changed this transcript after you opened it. Nothing was saved" in text(response)
    db.session.refresh(exhibit)
    assert exhibit.transcript == "Saved in another tab"


@pytest.mark.parametrize("email", ["sup@example.test", "inv2@example.test"])
def test_only_the_assigned_investigator_may_post_a_transcript(app, client, world, sign_in, csrf_token_from, email):
    case = world.open()
    exhibit = add(app, world, case, wav_bytes(), filename="interview.wav")
    sign_in(client, email)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(f"{page_of(case)}/transcript", data={"csrf_token": token, "transcript": "Not mine"})
    assert response.status_code in (403, 404)
    db.session.refresh(exhibit)
    assert exhibit.transcript is None


def test_after_submitting_the_transcript_form_is_gone_and_a_post_is_refused(
    app, client, world, sign_in, csrf_token_from
):
    case = world.ready_for_review()
    add(app, world, case, wav_bytes(), filename="interview.wav")
    casework.submit_for_review(case, world.actor(world.investigator))
    sign_in(client, "inv1@example.test")
    page = client.get(page_of(case)).get_data(as_text=True)
    assert 'name="transcript"' not in page
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(f"{page_of(case)}/transcript", data={"csrf_token": token, "transcript": "Late"})
    assert response.status_code == 403


# Limits and tools ----------------------------------------------------------------------------------------


def test_the_upload_form_gives_the_browser_each_kinds_limit(app, client, world, sign_in):
    case = world.open()
    sign_in(client, "inv1@example.test")
    page = text(client.get(f"/cases/{case.number}/exhibits/new"))
    assert f'data-max-audio-bytes="{app.config["EVIDENCE_MAX_AUDIO_BYTES"]}"' in page
    assert f'data-max-video-bytes="{app.config["EVIDENCE_MAX_VIDEO_BYTES"]}"' in page
    assert 'data-audio-limit="50 MB"' in page and 'data-video-limit="200 MB"' in page
    assert "MP3, M4A or WAV audio up to 50 MB, and MP4 or MOV video up to 200 MB (department settings)" in page
    assert ".mp3" in re.search(r'accept="([^"]*)"', page).group(1)


def test_an_over_limit_recording_is_refused_in_the_form_naming_the_audio_limit(app, client, world, sign_in, post_form):
    app.config["EVIDENCE_MAX_AUDIO_BYTES"] = 1024
    case = world.open()
    sign_in(client, "inv1@example.test")
    form = FIELDS | {"file": (io.BytesIO(wav_bytes()), "interview.wav")}
    response = post_form(client, f"/cases/{case.number}/exhibits/new", form, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "the limit for an audio exhibit is 0.000977 MB (a department setting, EVIDENCE_MAX_AUDIO_BYTES)" in text(
        response
    )


def test_without_ffmpeg_the_page_says_the_duration_is_off_and_why(app, client, world, sign_in, post_form):
    app.config["FFPROBE_CMD"] = "no-such-ffprobe"
    case = world.open()
    sign_in(client, "inv1@example.test")
    form = FIELDS | {"file": (io.BytesIO(wav_bytes()), "interview.wav")}
    response = post_form(client, f"/cases/{case.number}/exhibits/new", form, content_type="multipart/form-data")
    assert response.status_code == 302
    page = text(client.get(page_of(case)))
    assert "duration unavailable: ffmpeg is not installed on this server (Debian: apt-get install ffmpeg)" in page
    assert "so durations and video key frames are off" in page
    assert client.get(f"{page_of(case)}/recording").status_code == 200  # it still plays


def test_a_recording_is_released_as_it_is_or_withheld_never_as_redacted(app, client, world, sign_in, post_form):
    """Only a picture can be redacted: a recording's release review does not offer "redacted", and a forged
    choice of it is refused with the reason, not the advice to redact it first."""
    case = world.open()
    add(app, world, case, wav_bytes(), filename="interview.wav", description="Recorded interview")
    sign_in(client, "inv1@example.test")
    url = f"{page_of(case)}/release"
    form = text(client.get(url))
    assert 'value="releasable"' in form and 'value="withheld"' in form
    assert 'value="redacted"' not in form and "redact it" not in form
    refused = post_form(client, url, {"decision": "redacted", "reason": "Checked it."})
    assert refused.status_code == 400
    assert "Exhibit 1 is a recording: only a picture can be redacted" in text(refused)
    done = post_form(client, url, {"decision": "withheld", "reason": "Holds an inmate's voice."})
    assert done.status_code == 302
    assert evidence.release_state(evidence.exhibit_of(case, 1)).state == "withheld"

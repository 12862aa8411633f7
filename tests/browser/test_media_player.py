"""Issue 17, item 3, in the browser: a recording over the audio limit is named before it is sent (upload.js
reads the audio limit, not the image one); a WAV interview uploaded through the form plays in the exhibit's
page: the audio element loads its metadata from the audited recording route and knows its duration, and can
seek (byte ranges); the investigator types its transcript. A WAV needs no ffmpeg: the browser decodes it."""

from __future__ import annotations

import math
import struct
import wave

import pytest

from tests.browser.casework import open_case_titled
from tests.browser.people import expect, sign_in

pytestmark = pytest.mark.browser

DEMO_CASE = "Facebook comment about an inmate's visiting day"  # open, assigned to the demo investigator
MB = 1024 * 1024


def write_wav(path, seconds: float = 2.0, rate: int = 8000) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        tone = (int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate)))
        w.writeframes(b"".join(struct.pack("<h", s) for s in tone))


def test_a_recording_is_checked_against_the_audio_limit_then_plays_and_is_transcribed(
    new_context, live_server, cast, shots, tmp_path
):
    long_recording = tmp_path / "whole-shift.wav"
    with long_recording.open("wb") as out:  # sparse: only its size matters, the browser never sends it
        out.truncate(51 * MB)
    interview = tmp_path / "interview.wav"
    write_wav(interview)

    page = new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in(page, live_server.url, cast["investigator"])
    open_case_titled(page, DEMO_CASE)
    page.get_by_role("link", name="Upload an exhibit").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add an exhibit")
    page.wait_for_load_state("load")  # upload.js is deferred: its listener is there once the page has loaded
    chooser = page.get_by_label("File: a PNG, JPEG, WebP or HEIC")
    chooser.set_input_files(long_recording)
    expect(page.locator("#file-size-error")).to_have_text(
        "This file is 51 MB: the limit is 50 MB for an audio recording. "
        "Choose a smaller file or export it at lower resolution."
    )

    chooser.set_input_files(interview)
    expect(page.locator("#file-size-error")).to_have_count(0)
    page.get_by_label("What the exhibit shows").fill("Recorded interview of the complainant")
    page.get_by_label("Capture method or tool").fill("Olympus voice recorder")
    page.get_by_role("button", name="Add the exhibit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Exhibit")

    player = page.locator("figure.exhibit-preview audio")
    expect(player).to_have_attribute("preload", "none")
    duration = page.evaluate(
        """async (audio) => {
            audio.preload = "metadata";
            await new Promise((done, fail) => {
                audio.addEventListener("loadedmetadata", done, { once: true });
                audio.addEventListener("error", () => fail(new Error("the audio did not load")), { once: true });
                audio.load();
            });
            return audio.duration;
        }""",
        player.element_handle(),
    )
    assert math.isclose(duration, 2.0, abs_tol=0.05)
    page.evaluate("(audio) => { audio.currentTime = 1.5; }", player.element_handle())
    page.wait_for_function("(audio) => !audio.seeking && audio.currentTime > 1.4", arg=player.element_handle())
    shots.take(page, "recording-exhibit")

    page.get_by_role("textbox", name="Transcript").fill("INV: Did you see the post?\nCOMPLAINANT: Yes, on Sunday.")
    page.get_by_role("button", name="Save the transcript").click()
    expect(page.locator(".transcript")).to_have_text("INV: Did you see the post?\nCOMPLAINANT: Yes, on Sunday.")
    # the chain of custody shows the playing (the player's first ranges may come at once: one event each at most)
    expect(page.get_by_role("cell", name="Played the recording").first).to_be_visible()

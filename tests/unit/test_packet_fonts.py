"""Packets print emoji and right-to-left text (issue 16, item 8): checked on a rendered packet whose post text
and note hold emoji, a Hebrew and an Arabic sentence with punctuation. The fonts are Debian's Noto families
(fonts-noto-core, fonts-noto-color-emoji): without them these tests are skipped on a workstation, but under CI
(CI=true or REQUIRE_BROWSER=1, as .ci/run sets) they must run."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pypdfium2 as pdfium
import pytest
from flask import current_app
from pypdf import PdfReader

from project.services import casework, packets

EMOJI_LINE = "Keys 🔑 on the gate 😀"
HEBREW = "שלום, עולם! מה שלומך?"
ARABIC = "مرحبا، يا عالم! كيف حالك؟"
NOTE = "בדקתי את הפרופיל: הוא שלו!"
FAMILIES = ("Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Color Emoji")


def missing_fonts() -> list[str]:
    if shutil.which("fc-list") is None:
        return list(FAMILIES)
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    names = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return [family for family in FAMILIES if family not in names]


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("REQUIRE_BROWSER") == "1"


@pytest.fixture()
def fonts() -> None:
    missing = missing_fonts()
    if missing and not under_ci():
        pytest.skip(f"not installed: {', '.join(missing)} (apt-get install fonts-noto-core fonts-noto-color-emoji)")
    assert not missing, f"CI must have the packet fonts: {', '.join(missing)} missing"


@pytest.fixture()
def summary_page(world, fonts) -> tuple[bytes, int]:
    """A full packet of an approved case whose post holds emoji, Hebrew and Arabic, with a Hebrew note: the PDF
    and the index of the page that shows the post."""
    case = world.open(text=f"{EMOJI_LINE}\n{HEBREW}\n{ARABIC}")
    casework.add_note(case, "observation", NOTE, world.actor(world.investigator))
    world.approved_not_sustained(case)
    config = current_app.config
    pdf = packets.render_packet(
        case, packets.PacketOrder("full", None), packets.PrintSettings(config["EVIDENCE_DIR"], "DOC-")
    ).pdf
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return pdf, next(i for i, text in enumerate(texts) if "Keys" in text and "on the gate" in text)


def test_emoji_are_drawn_from_the_colour_emoji_font_not_as_empty_boxes(summary_page):
    pdf, index = summary_page
    page = PdfReader(io.BytesIO(pdf)).pages[index]
    fonts = {str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert any("Noto-Color-Emoji" in name for name in fonts), fonts
    assert any("Noto-Sans-Hebrew" in name for name in fonts) and any("Noto-Sans-Arabic" in name for name in fonts)
    # drawn: the key and the smiling face are yellow, and nothing else on the page is (an empty box is black)
    pixels = pdfium.PdfDocument(pdf)[index].render(scale=2).to_pil().convert("RGB").tobytes()
    yellow = sum(1 for i in range(0, len(pixels), 3) if pixels[i] > 200 and pixels[i + 1] > 150 and pixels[i + 2] < 120)
    assert yellow > 200, f"only {yellow} yellow pixels: the emoji were not drawn in colour"


def test_numbers_print_in_the_text_font_not_as_emoji_glyphs(world, fonts):
    """Digits, "#" and "*" are in the colour emoji font too (keycap bases). Named in the packet's font list, that
    font drew every case number, date and time as wide bitmap glyphs ("2 0 2 6 - 1 2 - 0 2"): a packet whose
    text holds no emoji embeds no emoji font, and its numbers are the text font's."""
    case = world.open(text="Posted on 2026-03-02 at 14:30, #5 in the thread * 2")
    world.approved_not_sustained(case)
    pdf = packets.render_packet(
        case, packets.PacketOrder("full", None), packets.PrintSettings(current_app.config["EVIDENCE_DIR"], "DOC-")
    ).pdf
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert not any("Emoji" in name for name in fonts), fonts
    assert any("Noto-Sans" in name for name in fonts), fonts


def test_right_to_left_sentences_keep_their_order_and_punctuation(summary_page):
    pdf, index = summary_page
    document = pdfium.PdfDocument(pdf)
    text = document[index].get_textpage().get_text_range()  # pdfium reads right-to-left runs in logical order
    assert HEBREW in text and ARABIC in text
    assert "?" + HEBREW.rstrip("?") not in text  # the question mark did not jump to the sentence's start
    whole = "\n".join(page.get_textpage().get_text_range() for page in document)
    assert NOTE in whole


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        (HEBREW, "rtl"),
        (ARABIC, "rtl"),
        ("« 42 » " + HEBREW, "rtl"),  # neutral characters and numbers do not decide
        ("Pat wrote " + HEBREW, "ltr"),  # the first strong character does
        (EMOJI_LINE, "ltr"),
        ("😀 123 !", "ltr"),  # nothing strong: left to right
        ("", "ltr"),
        (None, "ltr"),
    ],
)
def test_the_direction_is_that_of_the_first_strong_character(text, direction):
    assert packets.base_direction(text) == direction

"""Active content in a PDF exhibit (issue 15, F17): a PDF with /OpenAction JavaScript or a /Launch action
was attached to full packets with no warning. It is still accepted (it is evidence), but the kinds of active
content found are recorded at upload, and the exhibit page and the packet's exhibit index warn whoever is
about to open the original."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, Case
from project.services.evidence import find_active_content
from tests.evidence_files import add
from tests.pdf_files import (
    handmade_pdf,
    javascript_and_launch,
    launch_action,
    object_stream_hiding,
    open_action_javascript,
)
from tests.unit.test_packets import render

FIELDS = {
    "description": "The post saved from the browser as a PDF",
    "source_url": "https://facebook.example/posts/1",
    "captured_at": "2026-03-01T08:15",
    "captured_by": "Ivy Investigator",
    "capture_method": "Print to PDF",
}
WARNING = re.compile(r'<p class="notice active-content" role="alert">(.*?)</p>', re.S)


def page_of(client, case: Case, number: int) -> str:
    response = client.get(f"/cases/{case.number}/exhibits/{number}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def warning_on(page: str) -> str | None:
    found = WARNING.search(page)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else None


def packet_text(case: Case, variant: str = "full") -> tuple[str, list[bytes]]:
    reader = PdfReader(io.BytesIO(render(case, variant).pdf))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    return text, [content for contents in reader.attachments.values() for content in contents]


@pytest.mark.parametrize(
    ("make", "kinds"),
    [
        pytest.param(open_action_javascript, "JavaScript", id="open-action-javascript"),
        pytest.param(lambda: open_action_javascript(escaped=True), "JavaScript", id="hex-escaped-name"),
        pytest.param(launch_action, "launch action", id="launch"),
    ],
)
def test_a_pdf_with_active_content_is_accepted_and_its_page_warns(app, client, world, sign_in, post_form, make, kinds):
    case = world.open()
    sign_in(client, "inv1@example.test")
    form = FIELDS | {"file": (io.BytesIO(make()), "post.pdf")}
    response = post_form(client, f"/cases/{case.number}/exhibits/new", form, content_type="multipart/form-data")
    assert response.status_code == 302  # accepted: it is evidence
    warning = warning_on(page_of(client, case, 1))
    assert warning == (
        f"This PDF contains active content ({kinds}). Casefile never runs it: the file is kept unchanged as "
        "evidence, and its pages are drawn for printing in a separate, limited process that performs no script "
        "or action. Open the original only in a sandboxed viewer, on a machine that is not connected to the "
        "agency network."
    )
    uploaded = next(e for e in select_events() if e.action == "exhibit.uploaded")
    assert uploaded.detail["active_content"] == kinds  # the custody record says so too


def select_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_a_plain_pdf_is_not_flagged(app, client, world, sign_in):
    case = world.open()
    exhibit = add(app, world, case, handmade_pdf(2), filename="plain.pdf")
    assert exhibit.active_content is None
    sign_in(client, "inv1@example.test")
    page = page_of(client, case, 1)
    assert warning_on(page) is None and "active content" not in page.lower()


def test_the_packet_index_flags_the_exhibit_whose_original_is_attached(app, world):
    case = world.open()
    add(app, world, case, handmade_pdf(1), filename="plain.pdf", description="A plain capture")
    risky = javascript_and_launch()
    add(app, world, case, risky, filename="risky.pdf", description="The capture with a script")
    world.approved_not_sustained(case)
    text, attached = packet_text(case, "full")
    index = text[text.rindex("7. Exhibit index") : text.rindex("8. Chain of custody")]  # not the contents
    assert risky in attached  # the full packet carries the original: the flag must be beside it
    flag = "Active content: JavaScript, launch action. Open the attached original only in a sandboxed viewer."
    assert index.count("Active content:") == 1
    assert "The capture with a script" in index and flag in index
    assert index.index("The capture with a script") < index.index(flag)  # in the risky exhibit's row
    assert "JavaScript, launch action: Casefile never ran it; these pages were drawn without it." in text


def test_the_byte_scan_finds_names_hidden_by_escapes_and_object_streams():
    assert find_active_content(open_action_javascript(escaped=True)) == ["JavaScript"]
    hidden = object_stream_hiding(b"<< /S /Launch /F (cmd.exe) >>")
    assert b"Launch" not in hidden  # compressed: a plain search of the file finds nothing
    assert find_active_content(hidden) == ["launch action"]
    assert find_active_content(handmade_pdf(1, catalog=b"/Names << /EmbeddedFiles 9 0 R >> /AA 10 0 R")) == [
        "embedded file",
        "automatic actions",
    ]


def test_bytes_inside_an_image_or_a_page_are_not_taken_for_active_content():
    """Random binary data in an image stream can hold "/JS " by chance; only dictionaries are read."""
    image = b"<< /Type /XObject /Subtype /Image /Width 4 /Height 1 /Length 12 >>\nstream\n/JS /AA /XFA\nendstream"
    text = b"<< /Length 40 >>\nstream\nBT /F1 12 Tf (JavaScript /Launch) Tj ET\nendstream"
    assert find_active_content(handmade_pdf(1, objects=(image, text))) == []
    assert find_active_content(handmade_pdf(1)) == []

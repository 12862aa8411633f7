"""Exhibit pages and files through the web: the upload form, what each person may reach, the headers files
are served with, and the chain of custody the pages show."""

from __future__ import annotations

import hashlib
import io
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from project import clock
from project.extensions import db
from project.models import AuditEvent, Case, Exhibit
from project.services import casework, evidence
from tests.factories import answer_just_cause


def png_bytes(size: tuple[int, int] = (640, 480), color: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def noisy_png(size: tuple[int, int]) -> bytes:
    """A PNG that does not compress: about 3 bytes a pixel."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, "PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 260), "white").save(out, "PDF")
    return out.getvalue()


def stored_files(app) -> list[Path]:
    root = Path(app.config["EVIDENCE_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != ".lock") if root.exists() else []


def exhibit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Exhibit)) or 0


def base(case: Case) -> str:
    return f"/cases/{case.number}/exhibits"


FIELDS = {
    "description": "Screenshot of the post with the facility keys",
    "source_url": "https://facebook.example/posts/1",
    "captured_at": "2026-03-01T08:15",
    "captured_by": "Ivy Investigator",
    "capture_method": "Chrome full-page screenshot",
}


@pytest.fixture()
def post_upload(post_form):
    def post_upload(client, case: Case, data: bytes, filename: str = "screenshot.png", **fields: str):
        form = FIELDS | fields | {"file": (io.BytesIO(data), filename)}
        return post_form(client, f"{base(case)}/new", form, content_type="multipart/form-data")

    return post_upload


def add_directly(app, world, case: Case, data: bytes) -> Exhibit:
    return evidence.add_exhibit(
        case,
        evidence.ExhibitInput(
            data,
            "capture.png",
            "A capture",
            None,
            clock.now() - timedelta(hours=1),
            "Ivy Investigator",
            "Snipping tool",
        ),
        world.actor(world.investigator),
        evidence.EvidenceSettings(
            app.config["EVIDENCE_DIR"], app.config["EVIDENCE_MAX_BYTES"], app.config["EVIDENCE_MAX_PIXELS"]
        ),
    )


# Uploading -----------------------------------------------------------------------------------------------


def test_an_investigator_uploads_a_screenshot_and_lands_on_its_page(
    app, client, world, frozen_clock, sign_in, post_upload
):
    case = world.open()
    sign_in(client, "inv1@example.test")
    form = client.get(f"{base(case)}/new")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.get_data(as_text=True)
    assert 'value="Ivy Investigator"' in form.get_data(as_text=True)  # captured-by starts as the uploader
    data = png_bytes()
    response = post_upload(client, case, data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{base(case)}/1")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    sha = hashlib.sha256(data).hexdigest()
    assert f"Exhibit 1 added (SHA-256 {sha})." in page
    assert f'<code class="hash">{sha}</code>' in page
    assert "Screenshot of the post with the facility keys" in page
    assert "2026-03-01 08:15 EST by Ivy Investigator" in page  # captured-at typed in local time, shown back
    assert "2026-03-02 09:30:00 EST" in page and "Uploaded" in page  # the custody log, in local time
    assert exhibit_count() == 1 and Path(app.config["EVIDENCE_DIR"], "originals", sha[:2], sha).read_bytes() == data


def test_a_refused_upload_says_why_next_to_the_field_and_keeps_what_was_typed(app, client, world, sign_in, post_upload):
    case = world.open()
    sign_in(client, "inv1@example.test")
    response = post_upload(
        client,
        case,
        b"<html><body>not a picture</body></html>",
        filename="evil.png",
        description="Keys <b>bold</b> & more",
        capture_method="",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    file_error = re.search(r'<p class="error" id="file-error" role="alert">([^<]*)</p>', page)
    assert file_error and "PNG, JPEG, WebP, HEIC or PDF; MP3, M4A or WAV audio; MP4 or MOV video" in file_error.group(1)
    assert re.search(r'id="capture_method-error" role="alert">Say how it was captured', page)
    assert "Keys &lt;b&gt;bold&lt;/b&gt; &amp; more</textarea>" in page
    assert 'value="https://facebook.example/posts/1"' in page
    assert exhibit_count() == 0 and stored_files(app) == []


def test_the_size_limit_is_the_apps_configured_one(app, client, world, sign_in, post_upload):
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    case = world.open()
    sign_in(client, "inv1@example.test")
    response = post_upload(client, case, noisy_png((100, 100)))
    assert response.status_code == 400
    assert "larger than the 0.000977 MB limit" in response.get_data(as_text=True)
    assert exhibit_count() == 0 and stored_files(app) == []


def test_an_identical_file_is_reported_not_stored_again(app, client, world, sign_in, post_upload):
    case = world.open()
    sign_in(client, "inv1@example.test")
    data = png_bytes()
    assert post_upload(client, case, data).status_code == 302
    again = post_upload(client, case, data, filename="copy.png")
    assert again.status_code == 400
    assert "This file is identical to Exhibit 1, uploaded" in again.get_data(as_text=True)
    assert exhibit_count() == 1


def test_an_upload_without_the_forms_token_is_refused(app, client, world, sign_in):
    case = world.open()
    sign_in(client, "inv1@example.test")
    response = client.post(
        f"{base(case)}/new",
        data=FIELDS | {"file": (io.BytesIO(png_bytes()), "a.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "Form expired" in response.get_data(as_text=True)
    assert exhibit_count() == 0 and stored_files(app) == []


def test_text_typed_by_people_is_escaped_on_the_exhibit_page(app, client, world, sign_in, post_upload):
    case = world.open()
    sign_in(client, "inv1@example.test")
    post_upload(
        client,
        case,
        png_bytes(),
        filename="<img src=x onerror=alert(1)>.png",
        description="<script>alert('x')</script>",
    )
    page = client.get(f"{base(case)}/1").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<img src=x" not in page


# Serving the files ---------------------------------------------------------------------------------------


def test_the_original_is_served_inline_unchanged_behind_protective_headers(app, client, world, sign_in):
    case = world.open()
    data = png_bytes()
    exhibit = add_directly(app, world, case, data)
    sign_in(client, "sup@example.test")
    response = client.get(f"{base(case)}/1/original")
    assert response.status_code == 200 and response.data == data
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["Content-Disposition"] == f"inline; filename={case.number}-exhibit-1.png"
    viewed = evidence.custody_log(exhibit)[-1]
    assert (viewed.action, viewed.actor_id, viewed.remote_addr) == ("exhibit.viewed", world.supervisor.id, "127.0.0.1")


def test_a_download_is_an_attachment_with_a_safe_name(app, client, world, sign_in):
    case = world.open()
    data = pdf_bytes()
    exhibit = evidence.add_exhibit(
        case,
        evidence.ExhibitInput(
            data, '..\\..\\"; evil\r\n.pdf', "PDF capture of the profile", None, None, "Ivy", "Print to PDF"
        ),
        world.actor(world.investigator),
        evidence.EvidenceSettings(app.config["EVIDENCE_DIR"], 10**7, 10**7),
    )
    sign_in(client, "inv1@example.test")
    response = client.get(f"{base(case)}/1/download")
    assert response.status_code == 200 and response.data == data
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == f"attachment; filename={case.number}-exhibit-1.pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert evidence.custody_log(exhibit)[-1].action == "exhibit.downloaded"


def test_the_page_shows_a_thumbnail_for_images_and_a_label_for_pdfs(app, client, world, sign_in):
    case = world.open()
    image = add_directly(app, world, case, png_bytes(size=(1280, 720)))
    add_directly(app, world, case, pdf_bytes())
    sign_in(client, "inv1@example.test")
    page = client.get(f"{base(case)}/1").get_data(as_text=True)
    assert f'src="{base(case)}/1/thumbnail"' in page
    thumbnail = client.get(f"{base(case)}/1/thumbnail")
    assert thumbnail.status_code == 200 and thumbnail.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(thumbnail.data)).size == (320, 180)
    assert thumbnail.headers["Cache-Control"] == "no-store"
    assert evidence.custody_log(image)[-1].action == "exhibit.thumbnail_viewed"
    pdf_page = client.get(f"{base(case)}/2").get_data(as_text=True)
    assert "PDF document" in pdf_page and "/2/thumbnail" not in pdf_page
    assert client.get(f"{base(case)}/2/thumbnail").status_code == 404


def test_a_tampered_original_gets_a_clear_refusal_not_the_bytes(app, client, world, sign_in):
    case = world.open()
    exhibit = add_directly(app, world, case, png_bytes())
    path = Path(app.config["EVIDENCE_DIR"], "originals", exhibit.sha256[:2], exhibit.sha256)
    path.chmod(0o640)
    path.write_bytes(b"\x89PNG\r\n\x1a\n swapped for something else")
    sign_in(client, "sup@example.test")
    for route in ("original", "download"):
        response = client.get(f"{base(case)}/1/{route}")
        text = response.get_data(as_text=True)
        assert response.status_code == 409 and response.mimetype == "text/html"
        assert "Integrity check failed" in text and "no longer matches the SHA-256" in text
        assert "swapped" not in text
    page = client.get(f"{base(case)}/1").get_data(as_text=True)
    assert page.count("Integrity check FAILED") == 2


def test_the_custody_log_lists_each_view_and_download_with_who_and_when(app, client, world, frozen_clock, sign_in):
    case = world.open()
    add_directly(app, world, case, png_bytes())
    sign_in(client, "sup@example.test")
    frozen_clock.advance(minutes=10)
    client.get(f"{base(case)}/1/original")
    frozen_clock.advance(minutes=10)
    client.get(f"{base(case)}/1/download")
    page = client.get(f"{base(case)}/1").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>", page)
    assert rows == [
        ("2026-03-02 09:30:00 EST", "Ivy Investigator", "Uploaded"),
        ("2026-03-02 09:40:00 EST", "Sue Supervisor", "Viewed the original"),
        ("2026-03-02 09:50:00 EST", "Sue Supervisor", "Downloaded the original"),
    ]


# Who may reach what --------------------------------------------------------------------------------------

ROUTES = ("", "/1", "/1/original", "/1/download", "/1/thumbnail", "/new")
# state -> user -> (status of the five viewing routes, status of the upload form)
EXPECTED = {
    "open": {
        "inv1@example.test": (200, 200),  # the assigned investigator
        "inv2@example.test": (404, 404),  # another investigator: the case's existence stays hidden
        "sup@example.test": (200, 403),
        "lr@example.test": (404, 404),  # labor relations see a case only once it is approved
        "admin@example.test": (404, 404),
    },
    "approved": {
        "inv1@example.test": (200, 403),
        "inv2@example.test": (404, 404),
        "sup@example.test": (200, 403),
        "lr@example.test": (200, 403),
        "admin@example.test": (404, 404),
    },
}


def case_with_exhibit(app, world, state: str) -> Case:
    case = world.ready_for_review()
    add_directly(app, world, case, png_bytes())
    if state == "approved":
        casework.submit_for_review(case, world.actor(world.investigator))
        answer_just_cause(case, world.actor(world.supervisor))
        casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    assert case.state == state
    return case


@pytest.mark.parametrize("state", EXPECTED)
def test_each_person_reaches_only_the_exhibits_they_may_see(app, world, state, sign_in):
    case = case_with_exhibit(app, world, state)
    for email, (viewing, uploading) in EXPECTED[state].items():
        client = app.test_client()
        sign_in(client, email)
        got = {route: client.get(base(case) + route).status_code for route in ROUTES}
        assert got == {route: viewing for route in ROUTES[:-1]} | {"/new": uploading}, email
    anonymous = app.test_client()
    for route in ROUTES:
        response = anonymous.get(base(case) + route)
        assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]


def test_people_who_may_not_add_exhibits_cannot_post_one(app, world, sign_in, csrf_token_from):
    case = case_with_exhibit(app, world, "open")
    files_before = stored_files(app)
    for email, status in (("inv2@example.test", 404), ("sup@example.test", 403), ("lr@example.test", 404)):
        client = app.test_client()
        sign_in(client, email)
        token = csrf_token_from(client.get("/").get_data(as_text=True))
        form = FIELDS | {"csrf_token": token, "file": (io.BytesIO(png_bytes(color="red")), "x.png")}
        response = client.post(f"{base(case)}/new", content_type="multipart/form-data", data=form)
        assert response.status_code == status, email
    assert exhibit_count() == 1 and stored_files(app) == files_before


def test_unknown_cases_and_exhibit_numbers_are_not_found(app, client, world, sign_in):
    case = case_with_exhibit(app, world, "open")
    sign_in(client, "inv1@example.test")
    assert client.get(f"{base(case)}/2").status_code == 404
    assert client.get(f"{base(case)}/2/original").status_code == 404
    assert client.get("/cases/SM-1999-0001/exhibits/1").status_code == 404
    views = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "exhibit.viewed"))
    assert views == 0

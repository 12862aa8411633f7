"""The redaction page and the redacted copy's route: drawing or typing rectangles, refusals shown by their
field with nothing written, who may reach each, and the copy served like the original, audited."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from project.extensions import db
from project.models import AuditEvent, ExhibitRedaction
from project.services import evidence
from tests.factories import PASSWORD

HEADER = {"x": 0, "y": 0, "w": 200, "h": 44}


def page_url(case, n: int = 1) -> str:
    return f"/cases/{case.number}/exhibits/{n}/redact"


def copy_url(case, n: int = 1) -> str:
    return f"/cases/{case.number}/exhibits/{n}/redacted"


@pytest.fixture()
def post_redaction(post_form):
    def post_redaction(client, case, n: int = 1, regions: str = "", typed: str = "", reason: str = "FOIA release"):
        return post_form(client, page_url(case, n), {"regions": regions, "typed_regions": typed, "reason": reason})

    return post_redaction


def redactions() -> list[ExhibitRedaction]:
    return list(db.session.scalars(select(ExhibitRedaction).order_by(ExhibitRedaction.id)))


def redacted_files(app) -> list[Path]:
    folder = Path(app.config["EVIDENCE_DIR"], "derived", "redacted")
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


def audit_count(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)) or 0


def error_of(page: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error" role="alert">([^<]*)</p>', page)
    assert found, f"no error shown for {field}"
    return found.group(1)


def make_redaction(app, world, case, regions=None, user=None) -> ExhibitRedaction:
    return evidence.redact_exhibit(
        case,
        evidence.exhibit_of(case, 1),
        evidence.RedactionInput(regions or [HEADER], "For release"),
        world.actor(user or world.supervisor),
        app.config["EVIDENCE_DIR"],
    )


# The page --------------------------------------------------------------------------------------------------


def test_the_page_shows_the_image_under_a_canvas_with_script_and_styles_from_files_only(app, client, world, sign_in):
    case = world.open(exhibit=True)
    sign_in(client, world.investigator.email)
    response = client.get(page_url(case))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'src="/cases/{case.number}/exhibits/1/original"' in page and '<canvas id="redact-canvas" hidden>' in page
    assert 'data-width="720" data-height="250"' in page and "The image is 720 x 250 pixels" in page
    assert '<script src="/static/js/redact.js" defer></script>' in page
    assert '<link rel="stylesheet" href="/static/css/redact.css">' in page
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None  # no inline script
    assert re.search(r"\sstyle=|\son[a-z]+=", page) is None  # no inline style or event handler
    assert page.count('name="regions"') == 1 and 'id="regions" name="regions" type="hidden" value=""' in page
    assert 'name="typed_regions"' in page and 'name="reason"' in page and "No redacted copy yet." in page
    for static in ("/static/js/redact.js", "/static/css/redact.css"):
        assert client.get(static).status_code == 200


def test_drawn_and_typed_rectangles_make_one_redaction_and_lead_back_to_the_exhibit(
    app, client, world, sign_in, post_redaction
):
    case = world.open(exhibit=True)
    sign_in(client, world.investigator.email)
    drawn = json.dumps([HEADER, {"x": 20, "y": 130, "w": 300, "h": 40}])
    response = post_redaction(
        client, case, regions=drawn, typed="0,0,200,44\n400, 200, 50, 50\n", reason="Inmate names"
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case.number}/exhibits/1")
    [made] = redactions()
    assert made.regions == [HEADER, {"x": 20, "y": 130, "w": 300, "h": 40}, {"x": 400, "y": 200, "w": 50, "h": 50}]
    assert made.reason == "Inmate names" and made.created_by_id == world.investigator.id
    exhibit_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Redacted copy of Exhibit 1 made: 3 rectangle(s) blacked out" in exhibit_page
    assert f'href="{page_url(case)}">Redact</a>' in exhibit_page
    listed = client.get(page_url(case)).get_data(as_text=True)
    assert "Ivy Investigator" in listed and "<td>3</td>" in listed and "Inmate names" in listed
    assert f'href="{copy_url(case)}?id={made.id}"' in listed


def test_bad_input_is_400_with_each_message_by_its_field_and_nothing_written(
    app, client, world, sign_in, post_redaction
):
    case = world.open(exhibit=True)
    sign_in(client, world.investigator.email)
    attempts = [
        ({"regions": "", "typed": "", "reason": "x"}, {"regions": "Mark at least one rectangle"}),
        (
            {"regions": "not json", "typed": "1,2,3", "reason": ""},
            {"regions": "could not be read", "typed_regions": "line 1", "reason": "Say why"},
        ),
        (
            {"regions": json.dumps([{"x": 700, "y": 0, "w": 100, "h": 10}]), "typed": "", "reason": "x"},
            {"regions": "The image is 720 x 250 pixels; rectangle 1 (700,0,100,10) goes past its edge."},
        ),
        ({"regions": "", "typed": "5,5,0,5", "reason": "x"}, {"regions": "at least 1 x 1 pixel"}),
        (
            {"regions": json.dumps([{"x": 1.5, "y": 0, "w": 5, "h": 5}]), "typed": "", "reason": "x"},
            {"regions": "whole numbers"},
        ),
        (
            {"regions": "", "typed": "".join(f"0,{y},1,1\n" for y in range(201)), "reason": "x"},
            {"regions": "At most 200 rectangles"},
        ),
        ({"regions": "", "typed": "0,0,1,1", "reason": "x" * 2001}, {"reason": "at most 2,000 characters"}),
    ]
    for fields, messages in attempts:
        response = post_redaction(client, case, **fields)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, fields
        for field, message in messages.items():
            assert message in error_of(page, field), (fields, field)
    kept = post_redaction(client, case, regions=json.dumps([HEADER]), typed="1,2,3", reason="<b>Names</b>")
    page = kept.get_data(as_text=True)
    assert "&lt;b&gt;Names&lt;/b&gt;</textarea>" in page and "1,2,3</textarea>" in page  # kept, escaped
    assert 'value="[{&#34;x&#34;: 0' in page or 'value=\'[{"x": 0' in page  # the drawn ones come back
    assert redactions() == [] and redacted_files(app) == [] and audit_count("exhibit.redacted") == 0


def test_a_post_without_the_forms_token_is_refused(app, client, world, sign_in):
    case = world.open(exhibit=True)
    sign_in(client, world.investigator.email)
    response = client.post(page_url(case), data={"typed_regions": "0,0,10,10", "reason": "x"})
    assert response.status_code == 400 and redactions() == []


def test_a_pdf_exhibit_has_no_form_and_a_post_is_refused(app, client, world, sign_in, csrf_token_from):
    case = world.open()
    out = io.BytesIO()
    Image.new("RGB", (200, 260), "white").save(out, "PDF")
    evidence.add_exhibit(
        case,
        evidence.ExhibitInput(out.getvalue(), "capture.pdf", "PDF capture", None, None, "Ivy", "Print to PDF"),
        world.actor(world.investigator),
        evidence.EvidenceSettings(app.config["EVIDENCE_DIR"], 10**7, 10**7),
    )
    sign_in(client, world.investigator.email)
    page = client.get(page_url(case)).get_data(as_text=True)
    assert "is a PDF: only images" in page and "<canvas" not in page
    assert "Redact</a>" not in client.get(f"/cases/{case.number}/exhibits/1").get_data(as_text=True)
    token = csrf_token_from(client.get(f"/cases/{case.number}/exhibits/1").get_data(as_text=True))
    response = client.post(page_url(case), data={"csrf_token": token, "typed_regions": "0,0,10,10", "reason": "x"})
    assert response.status_code == 400 and redactions() == []


def test_a_tampered_original_shows_the_integrity_page_instead_of_the_form(app, client, world, sign_in):
    case = world.open(exhibit=True)
    exhibit = evidence.exhibit_of(case, 1)
    path = Path(app.config["EVIDENCE_DIR"], "originals", exhibit.sha256[:2], exhibit.sha256)
    os.chmod(path, 0o640)
    path.write_bytes(b"\x89PNG\r\n\x1a\nnot the original")
    sign_in(client, world.investigator.email)
    response = client.get(page_url(case))
    assert response.status_code == 409 and "Integrity check failed" in response.get_data(as_text=True)
    assert evidence.custody_log(exhibit)[-1].action == "exhibit.integrity_failed" and redactions() == []


# Who may redact ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email,state,status",
    [
        ("inv2@example.test", "open", 404),  # not their case: they do not see it
        ("lr@example.test", "open", 404),  # labor relations sees cases from approval on
        ("admin@example.test", "approved", 404),
        ("inv1@example.test", "intake", 403),  # sees the intake queue, but is not the assigned investigator
        ("lr@example.test", "approved", 302),
        ("sup@example.test", "closed", 302),
        ("inv1@example.test", "discipline", 302),
    ],
)
def test_who_may_post_a_redaction(app, client, world, email, state, status, sign_in, csrf_token_from):
    case = world.in_state(state, exhibit=True)
    sign_in(client, email, PASSWORD)
    token = csrf_token_from(client.get("/").get_data(as_text=True))  # the sign-out form's token
    response = client.post(page_url(case), data={"csrf_token": token, "typed_regions": "0,0,10,10", "reason": "x"})
    assert response.status_code == status
    assert len(redactions()) == (1 if status == 302 else 0)
    assert audit_count("exhibit.redacted") == (1 if status == 302 else 0)


def test_the_redact_link_shows_only_to_those_who_may_redact(app, client, world, sign_in):
    case = world.approved(exhibit=True)
    exhibit_page = f"/cases/{case.number}/exhibits/1"
    for user in (world.labor, world.supervisor, world.investigator):
        signed_in = app.test_client()
        sign_in(signed_in, user.email, PASSWORD)
        assert f'href="{page_url(case)}">Redact</a>' in signed_in.get(exhibit_page).get_data(as_text=True)
    intake = world.intake(title="Another post", exhibit=True)
    sign_in(client, world.investigator2.email)
    page = client.get(f"/cases/{intake.number}/exhibits/1")
    assert page.status_code == 200 and "Redact</a>" not in page.get_data(as_text=True)


# The redacted copy's route -------------------------------------------------------------------------------


def test_the_copy_is_served_inline_behind_the_originals_headers_and_audited(app, client, world, sign_in):
    case = world.approved(exhibit=True)
    made = make_redaction(app, world, case)
    sign_in(client, world.labor.email)
    response = client.get(copy_url(case))
    assert response.status_code == 200
    assert response.data == evidence.redacted_bytes(made, app.config["EVIDENCE_DIR"])
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["Content-Disposition"] == f"inline; filename={case.number}-exhibit-1-redacted-{made.id}.png"
    with Image.open(io.BytesIO(response.data)) as image:
        assert image.convert("RGB").getpixel((5, 5)) == (0, 0, 0)
    viewed = evidence.custody_log(evidence.exhibit_of(case, 1))[-1]
    assert (viewed.action, viewed.actor_id, viewed.remote_addr) == (
        "exhibit.redacted_viewed",
        world.labor.id,
        "127.0.0.1",
    )
    assert viewed.detail["redaction_id"] == made.id


def test_the_newest_copy_by_default_an_older_one_by_id_and_404_otherwise(app, client, world, frozen_clock, sign_in):
    case = world.open(exhibit=True)
    first = make_redaction(app, world, case, [HEADER])
    frozen_clock.advance(minutes=1)
    second = make_redaction(app, world, case, [{"x": 0, "y": 100, "w": 720, "h": 50}])
    sign_in(client, world.investigator.email)
    store = app.config["EVIDENCE_DIR"]
    assert client.get(copy_url(case)).data == evidence.redacted_bytes(second, store)
    assert client.get(f"{copy_url(case)}?id={first.id}").data == evidence.redacted_bytes(first, store)
    for wrong in (str(second.id + 100), "abc", "-1", "1e3", "9" * 40):
        assert client.get(f"{copy_url(case)}?id={wrong}").status_code == 404
    other = world.open(title="Other case", exhibit=True)
    assert client.get(copy_url(other)).status_code == 404  # no redaction yet
    assert client.get(f"{copy_url(other)}?id={first.id}").status_code == 404  # not this exhibit's
    assert audit_count("exhibit.redacted_viewed") == 2


def test_a_tampered_copy_is_made_again_and_the_remaking_is_recorded(app, client, world, sign_in):
    case = world.open(exhibit=True)
    make_redaction(app, world, case)
    [path] = redacted_files(app)
    good = path.read_bytes()
    os.chmod(path, 0o640)
    path.write_bytes(good[:-1] + b"\0")
    sign_in(client, world.supervisor.email)
    response = client.get(copy_url(case))
    assert response.status_code == 200 and response.data == good and path.read_bytes() == good
    remade, viewed = evidence.custody_log(evidence.exhibit_of(case, 1))[-2:]
    assert remade.action == "exhibit.derived_remade" and "the redacted copy was altered" in remade.detail["problem"]
    assert viewed.action == "exhibit.redacted_viewed" and viewed.actor_id == world.supervisor.id


def test_a_tampered_copy_of_a_tampered_original_is_not_served(app, client, world, sign_in):
    case = world.open(exhibit=True)
    make_redaction(app, world, case)
    [path] = redacted_files(app)
    os.chmod(path, 0o640)
    path.write_bytes(path.read_bytes()[:-1] + b"\0")
    original = evidence.EvidenceStore(app.config["EVIDENCE_DIR"]).original_path(evidence.exhibit_of(case, 1).sha256)
    os.chmod(original, 0o640)
    original.write_bytes(original.read_bytes() + b"tampered")
    sign_in(client, world.supervisor.email)
    response = client.get(copy_url(case))
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "original of Exhibit 1 no longer matches" in page
    assert audit_count("exhibit.redacted_viewed") == 0
    failed = evidence.custody_log(evidence.exhibit_of(case, 1))[-1]
    assert failed.action == "exhibit.integrity_failed" and failed.actor_id == world.supervisor.id


STATES = ("intake", "open", "in_review", "approved", "discipline", "closed")
COPY_VIEWERS = {  # who sees the redacted copy: whoever sees the case's evidence
    "investigator": set(STATES),
    "investigator2": {"intake"},
    "supervisor": set(STATES),
    "labor": {"approved", "discipline", "closed"},
    "admin": set(),
}


@pytest.mark.parametrize("state", STATES)
def test_the_copy_route_for_every_role(app, world, state, sign_in):
    case = world.in_state(state, exhibit=True)
    make_redaction(app, world, case)
    wrong = []
    for role, states in COPY_VIEWERS.items():
        client = app.test_client()
        sign_in(client, getattr(world, role).email, PASSWORD)
        status = client.get(copy_url(case)).status_code
        if status != (200 if state in states else 404):
            wrong.append(f"{role} in {state}: {status}")
    assert app.test_client().get(copy_url(case)).status_code == 302  # anonymous: to the sign-in page
    assert wrong == []
    assert audit_count("exhibit.redacted_viewed") == sum(state in s for s in COPY_VIEWERS.values())

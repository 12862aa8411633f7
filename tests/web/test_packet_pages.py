"""Printing packets through the pages: one PDF, or a ZIP of several from the labor-relations list."""
from __future__ import annotations

import hashlib
import io
import zipfile

from pypdf import PdfReader
from sqlalchemy import select

from project.extensions import db
from project.models import PacketPrint
from tests.conftest import csrf_token_from, sign_in
from tests.factories import PASSWORD


def test_labor_relations_prints_the_full_and_the_redacted_packet(client, world):
    case = world.approved(exhibit=True)
    sign_in(client, world.labor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}")
    assert f'href="/cases/{case.number}/packet"' in page.get_data(as_text=True)
    form = client.get(f"/cases/{case.number}/packet").get_data(as_text=True)
    token = csrf_token_from(form)
    full = client.post(f"/cases/{case.number}/packet", data={"csrf_token": token, "variant": "full"})
    assert full.status_code == 200 and full.mimetype == "application/pdf"
    assert f"{case.number}-packet-full-v{case.content_version}.pdf" in full.headers["Content-Disposition"]
    redacted = client.post(f"/cases/{case.number}/packet", data={"csrf_token": token, "variant": "redacted"})
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(redacted.data)).pages)
    assert "Officer R. Reporter" not in text and "[REDACTED]" in text
    printed = db.session.scalars(select(PacketPrint).order_by(PacketPrint.id)).all()
    assert [p.variant for p in printed] == ["full", "redacted"]
    assert printed[0].sha256 == hashlib.sha256(full.data).hexdigest()


def test_a_zip_of_several_packets(client, world):
    first, second = world.approved(), world.discipline()
    sign_in(client, world.labor.email, PASSWORD)
    page = client.get("/labor/packets").get_data(as_text=True)
    assert first.number in page and second.number in page
    response = client.post("/labor/packets", data={"csrf_token": csrf_token_from(page), "variant": "full",
                                                   "cases": [first.number, second.number]})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as bundle:
        names = sorted(bundle.namelist())
        assert names == sorted([f"{first.number}-packet-full-v{first.content_version}.pdf",
                                f"{second.number}-packet-full-v{second.content_version}.pdf"])
        assert all(bundle.read(n).startswith(b"%PDF-") for n in names)


def test_an_empty_batch_is_refused_with_a_message(client, world):
    world.approved()
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get("/labor/packets").get_data(as_text=True)
    response = client.post("/labor/packets", data={"csrf_token": csrf_token_from(page), "variant": "full"})
    assert response.status_code == 400 and "Choose at least one case." in response.get_data(as_text=True)

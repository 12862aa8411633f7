"""Redaction's rules: bad regions refused with every problem at once, PDFs and tampered originals refused,
who may redact, and copies remade only from a verified original."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from project import permissions
from project.extensions import db
from project.models import AuditEvent
from project.permissions import NotPermitted
from project.services import evidence
from project.services.errors import InvalidInput
from project.services.evidence import sha256_of
from tests.unit.test_redaction import (
    BAD_REGIONS,
    HEADER,
    add_file,
    events,
    evidence_dir,
    redact,
    redacted_files,
    redaction_count,
)


def test_invalid_regions_are_refused_by_field_and_nothing_is_written(app, world):
    case = world.open()
    exhibit = world.add_screenshot(case)
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for regions, message in BAD_REGIONS:
        with pytest.raises(InvalidInput) as refused:
            redact(app, world, case, exhibit, regions)
        assert message in refused.value.errors["regions"], (regions, refused.value.errors)
    with pytest.raises(InvalidInput) as refused:
        redact(app, world, case, exhibit, [HEADER], reason="   ")
    assert "Say why" in refused.value.errors["reason"] and "regions" not in refused.value.errors
    assert redaction_count() == 0 and redacted_files(app) == []
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_before
    assert len(redact(app, world, case, exhibit, [{"x": 700, "y": 240, "w": 20, "h": 10}] * 200).regions) == 200


def test_every_problem_is_reported_at_once(app, world):
    case = world.open()
    exhibit = world.add_screenshot(case)
    with pytest.raises(InvalidInput) as refused:
        redact(
            app,
            world,
            case,
            exhibit,
            [{"x": 0, "y": 0, "w": 9999, "h": 5}, {"x": 0, "y": 0, "w": 5, "h": 9999}],
            reason="",
        )
    assert set(refused.value.errors) == {"regions", "reason"}
    assert refused.value.errors["regions"] == (
        "The image is 720 x 250 pixels; rectangle 1 (0,0,9999,5), rectangle 2 (0,0,5,9999) go past its edge."
    )


def test_a_pdf_exhibit_is_refused(app, world):
    case = world.open()
    out = io.BytesIO()
    Image.new("RGB", (200, 260), "white").save(out, "PDF")
    exhibit = add_file(app, world, case, out.getvalue(), "capture.pdf")
    with pytest.raises(InvalidInput) as refused:
        redact(app, world, case, exhibit, [HEADER])
    assert "is a PDF" in refused.value.errors["regions"]
    assert redaction_count() == 0 and redacted_files(app) == [] and events("exhibit.redacted") == []


def test_a_tampered_original_is_not_redacted_and_the_failure_is_in_its_custody_log(app, world):
    case = world.open()
    exhibit = world.add_screenshot(case)
    path = Path(evidence_dir(app), "originals", exhibit.sha256[:2], exhibit.sha256)
    os.chmod(path, 0o640)
    path.write_bytes(path.read_bytes() + b"altered")
    with pytest.raises(evidence.EvidenceTampered, match="no longer matches the SHA-256"):
        redact(app, world, case, exhibit, [HEADER])
    assert redaction_count() == 0 and redacted_files(app) == []
    assert evidence.custody_log(exhibit)[-1].action == "exhibit.integrity_failed"


def test_who_may_redact(app, world):
    intake, opened, approved = world.intake(), world.open(), world.approved()
    table = {
        (world.investigator, intake): False,  # in the intake queue, but not (yet) assigned
        (world.investigator, opened): True,
        (world.investigator, approved): True,
        (world.investigator2, opened): False,
        (world.investigator2, intake): False,
        (world.supervisor, intake): True,
        (world.supervisor, approved): True,
        (world.labor, opened): False,
        (world.labor, approved): True,
        (world.admin, opened): False,
        (world.admin, approved): False,
    }
    found = {(user, case): permissions.can_redact(user, case) for user, case in table}
    assert found == table


def test_a_user_who_may_not_redact_is_refused_and_nothing_is_written(app, world):
    case = world.open()
    exhibit = world.add_screenshot(case)
    for user in (world.investigator2, world.labor, world.admin):
        with pytest.raises(NotPermitted):
            redact(app, world, case, exhibit, [HEADER], user=user)
    other = world.open(title="Another case")
    with pytest.raises(NotPermitted):  # the exhibit must belong to the case named
        redact(app, world, other, exhibit, [HEADER])
    assert redaction_count() == 0 and redacted_files(app) == [] and events("exhibit.redacted") == []


def test_an_altered_or_missing_copy_is_made_again_from_the_verified_original(app, world):
    case = world.open()
    exhibit = world.add_screenshot(case)
    made = redact(app, world, case, exhibit, [HEADER])
    [path] = redacted_files(app)
    good = path.read_bytes()
    assert evidence.redacted_bytes(made, evidence_dir(app)) == good and oct(path.stat().st_mode)[-3:] == "440"

    os.chmod(path, 0o640)
    path.write_bytes(good[:-20] + b"\0" * 20)
    assert evidence.redacted_bytes(made, evidence_dir(app)) == good and path.read_bytes() == good
    path.unlink()
    assert evidence.redacted_bytes(made, evidence_dir(app)) == good and path.read_bytes() == good
    remade = [e.detail["problem"] for e in events("exhibit.derived_remade")]
    assert len(remade) == 2 and "the redacted copy was altered" in remade[0] and "was missing" in remade[1]

    os.chmod(path, 0o640)
    path.write_bytes(good[:-20] + b"\0" * 20)  # nor is an altered copy kept by a new, identical redaction
    again = redact(app, world, case, exhibit, [HEADER])
    assert path.read_bytes() == good and again.redacted_sha256 == made.redacted_sha256
    assert len(events("exhibit.derived_remade")) == 3


def test_a_copy_of_an_altered_original_is_not_made_again(app, world):
    case = world.open()
    exhibit = world.add_screenshot(case)
    made = redact(app, world, case, exhibit, [HEADER])
    [path] = redacted_files(app)
    path.unlink()
    original = evidence.EvidenceStore(evidence_dir(app)).original_path(exhibit.sha256)
    os.chmod(original, 0o640)
    original.write_bytes(original.read_bytes() + b"tampered")
    with pytest.raises(evidence.EvidenceTampered, match="original of Exhibit 1 no longer matches"):
        evidence.redacted_bytes(made, evidence_dir(app))
    assert not path.exists() and events("exhibit.derived_remade") == []


def test_viewing_the_copy_is_audited_and_a_missing_redaction_is_none(app, world):
    case = world.open()
    exhibit = world.add_screenshot(case)
    actor = world.actor(world.supervisor)
    assert evidence.view_redacted(case, exhibit, actor, evidence_dir(app)) is None
    made = redact(app, world, case, exhibit, [HEADER])
    shown, data = evidence.view_redacted(case, exhibit, actor, evidence_dir(app))
    assert shown == made and sha256_of(data) == made.redacted_sha256
    viewed = evidence.custody_log(exhibit)[-1]
    assert (viewed.action, viewed.actor_id) == ("exhibit.redacted_viewed", world.supervisor.id)
    assert viewed.detail["redaction_id"] == made.id and viewed.detail["redacted_sha256"] == made.redacted_sha256
    assert evidence.view_redacted(case, exhibit, actor, evidence_dir(app), made.id + 1) is None

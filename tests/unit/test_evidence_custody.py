"""Exhibits after upload: integrity checked on every read, the chain of custody of every view and download,
no bytes for those who may not see the case, and uploads that crash or race leave the store consistent."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import func, select, text

from project.extensions import db
from project.models import AuditEvent, Case
from project.permissions import NotPermitted
from project.services import evidence
from tests.evidence_files import (
    add,
    evidence_dir,
    exhibit_count,
    pdf_bytes,
    png_bytes,
    stored_files,
    tamper,
)

# Integrity and custody -----------------------------------------------------------------------------------


def test_a_tampered_original_is_never_served(app, world):
    case = world.open()
    exhibit = add(app, world, case, png_bytes())
    tamper(app, exhibit)
    with pytest.raises(evidence.EvidenceTampered) as failure:
        evidence.view_original(case, exhibit, world.actor(world.supervisor), app.config["EVIDENCE_DIR"])
    assert "Exhibit 1 no longer matches the SHA-256 recorded when it was uploaded" in str(failure.value)
    assert exhibit.sha256 in str(failure.value)
    actions = [e.action for e in evidence.custody_log(exhibit)]
    assert actions == ["exhibit.uploaded", "exhibit.integrity_failed"]


def test_a_missing_original_is_reported_as_such(app, world):
    case = world.open()
    exhibit = add(app, world, case, pdf_bytes())
    (evidence_dir(app) / "originals" / exhibit.sha256[:2] / exhibit.sha256).unlink()
    with pytest.raises(evidence.EvidenceTampered, match="Exhibit 1 is missing"):
        evidence.download_original(case, exhibit, world.actor(world.investigator), app.config["EVIDENCE_DIR"])


def test_every_upload_view_and_download_is_in_the_chain_of_custody(app, world, frozen_clock):
    case = world.open()
    exhibit = add(app, world, case, png_bytes())
    root = app.config["EVIDENCE_DIR"]
    frozen_clock.advance(minutes=5)
    evidence.view_original(case, exhibit, world.actor(world.supervisor), root)
    frozen_clock.advance(minutes=5)
    evidence.download_original(case, exhibit, world.actor(world.investigator), root)
    frozen_clock.advance(minutes=5)
    evidence.view_thumbnail(case, exhibit, world.actor(world.supervisor), root)
    log = evidence.custody_log(exhibit)
    assert [(e.action, e.actor_id) for e in log] == [
        ("exhibit.uploaded", world.investigator.id),
        ("exhibit.viewed", world.supervisor.id),
        ("exhibit.downloaded", world.investigator.id),
        ("exhibit.thumbnail_viewed", world.supervisor.id),
    ]
    assert all(e.detail["sha256"] == exhibit.sha256 and e.detail["number"] == 1 for e in log)
    assert all(e.case_id == case.id and e.remote_addr == "192.0.2.10" for e in log)
    assert [e.occurred_at.minute for e in log] == [30, 35, 40, 45]


def test_someone_who_may_not_see_the_case_gets_no_bytes_and_leaves_no_event(app, world):
    case = world.open()
    exhibit = add(app, world, case, png_bytes())
    for user in (world.investigator2, world.labor, world.admin):
        with pytest.raises(NotPermitted):
            evidence.view_original(case, exhibit, world.actor(user), app.config["EVIDENCE_DIR"])
    assert [e.action for e in evidence.custody_log(exhibit)] == ["exhibit.uploaded"]


# Crash safety and concurrency ----------------------------------------------------------------------------


# A failure between writing the file and committing (an exception, and a killed process) is in
# tests/test_fault_injection.py, with the other injected faults.


def test_a_crash_keeps_a_stored_original_that_another_exhibit_uses(app, world, monkeypatch):
    data = png_bytes()
    kept = add(app, world, world.open(), data)
    files = stored_files(app)

    def power_cut(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr("project.services.evidence.exhibits.record_for", power_cut)
    with pytest.raises(RuntimeError):
        add(app, world, world.open(), data)
    assert stored_files(app) == files
    assert evidence.open_original(kept, app.config["EVIDENCE_DIR"]) == data


def test_an_upload_still_saves_when_the_case_changed_since_it_was_loaded(app, world):
    case = world.open()
    assert case.row_version  # loaded now; someone else saves the case before the upload writes
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET row_version = row_version + 1 WHERE id = :id"), {"id": case.id})
    exhibit = add(app, world, case, png_bytes())
    assert exhibit.number == 1 and exhibit_count() == 1


@pytest.mark.commits  # threads, each on a connection of its own
def test_uploads_to_one_case_at_the_same_moment_get_distinct_numbers(app, world):
    case_id, user_id = world.open().id, world.investigator.id
    numbers: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def upload(color: str) -> None:
        with app.app_context():
            try:
                from project.models import User

                user = db.session.get(User, user_id)
                case = db.session.get(Case, case_id)
                barrier.wait()
                numbers.append(add(app, world, case, png_bytes(color=color), user=user).number)
            except BaseException as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=upload, args=(color,)) for color in ("red", "green", "blue")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [1, 2, 3]
    assert len(stored_files(app)) == 9  # three originals, three thumbnails, three print renditions
    assert (
        db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "exhibit.uploaded"))
        == 3
    )


def test_no_temporary_files_are_left_in_the_store(app, world):
    add(app, world, world.open(), png_bytes())
    leftovers = [name for _, _, names in os.walk(evidence_dir(app)) for name in names if name.startswith(".incoming")]
    assert leftovers == []

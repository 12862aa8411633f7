"""Adding notes while someone else saves the same case."""

from __future__ import annotations

from sqlalchemy import func, select, update

from project.extensions import db
from project.models import AuditEvent, Case, Note
from project.services import casework


def bump_elsewhere(case: Case) -> None:
    """Someone else saves the case (as an assignment would) after this session loaded it."""
    with db.engine.begin() as connection:
        connection.execute(
            update(Case.__table__)
            .where(Case.__table__.c.id == case.id)
            .values(row_version=Case.__table__.c.row_version + 1)
        )


def test_a_note_is_added_once_even_when_the_case_was_saved_by_someone_else_meanwhile(world):
    case = world.open()
    version = case.content_version
    bump_elsewhere(case)
    note = casework.add_note(case, "action", "Called the platform's legal line.", world.actor(world.investigator))
    db.session.expire_all()
    assert [n.body for n in db.session.scalars(select(Note))] == ["Called the platform's legal line."]
    assert db.session.get(Case, case.id).content_version == version + 1 and note.id
    added = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "note.added")
    assert db.session.scalar(added) == 1

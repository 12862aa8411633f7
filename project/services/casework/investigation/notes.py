"""Investigator notes: added, never changed. A correction is a new note pointing at the one it corrects."""

from __future__ import annotations

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import Case, Note, NoteKind
from project.services import submissions
from project.services.audit import Actor, record_for
from project.services.casework.review.life_cycle import content_changed
from project.services.errors import InvalidInput, StaleEdit
from project.transaction import committing

MAX_NOTE_LENGTH = 20_000


def add_note(
    case: Case, kind: str, body: str, actor: Actor, corrects_id: int | None = None, form_token: str | None = None
) -> Note:
    """Append a note. A note does not depend on the rest of the case, so if someone else saved the case at the
    same moment (an assignment, another note) it is added once more to the case as it now stands, if its
    author may still add notes to it. A ``form_token`` already used for a note of this case returns that
    note: a retried submit lands once."""
    for attempt in (1, 2):
        try:
            return _append(case, kind, body, actor, corrects_id, form_token)
        except StaleEdit:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _append(case: Case, kind: str, body: str, actor: Actor, corrects_id: int | None, form_token: str | None) -> Note:
    permissions.require(permissions.can_edit_case(actor.user, case), "You may not add notes to this case now.")
    if (earlier := submissions.saved_note(case, form_token, actor)) is not None:
        return earlier
    errors = {}
    if kind not in {k.value for k in NoteKind}:
        errors["kind"] = "Choose the kind of note."
    if not body.strip():
        errors["body"] = "Write the note."
    elif len(body) > MAX_NOTE_LENGTH:
        errors["body"] = f"A note is at most {MAX_NOTE_LENGTH:,} characters; split it into several."
    if corrects_id is not None:
        corrected = db.session.get(Note, corrects_id)
        if corrected is None or corrected.case_id != case.id:
            errors["corrects"] = "The note to correct is not a note of this case."
    if errors:
        raise InvalidInput(errors)
    with committing(f"case {case.number}", duplicate_is_conflict=form_token is not None):
        note = Note(
            case_id=case.id,
            kind=kind,
            body=body.strip(),
            author_id=actor.user.id,
            created_at=clock.now(),
            corrects_id=corrects_id,
        )
        db.session.add(note)
        db.session.flush()
        content_changed(case, actor, "note added")
        record_for(
            actor,
            "note.added",
            case_id=case.id,
            object_type="note",
            object_id=note.id,
            detail={"kind": kind, "corrects": corrects_id},
        )
        submissions.claim(form_token, "note", case.id, note.id, actor)
    return note


def notes_of(case: Case) -> list[Note]:
    """The case's notes in the order they were written."""
    return list(db.session.scalars(select(Note).where(Note.case_id == case.id).order_by(Note.created_at, Note.id)))


def corrections_by_note(notes: list[Note]) -> dict[int, list[Note]]:
    corrections: dict[int, list[Note]] = {}
    for note in notes:
        if note.corrects_id is not None:
            corrections.setdefault(note.corrects_id, []).append(note)
    return corrections

"""Responses that tell the truth (issue 15, item 3 and Deliver 5): once a write is committed, nothing can turn
it into an error page, and the same submit sent again (a retry after a lost response) lands once.

The database is failed right after the commit of the write: every statement after it raises, as when the
server or the network goes away at that moment. The person is told the truth (saved), the record is stored
once, and the retried submit shows the saved record instead of saving it twice.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PIL import Image
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from project.extensions import db
from project.models import AuditEvent, Case, Exhibit, Note
from project.services import casework, submissions
from tests.factories import PASSWORD

FORM_TOKEN = re.compile(r'name="form_token" type="hidden" value="([^"]+)"|name="form_token" value="([^"]+)"')


class DatabaseGone(RuntimeError):
    """The injected failure: the database stops answering right after a commit."""


@contextmanager
def database_fails_after_the_commit(app) -> Iterator[list[str]]:
    """Within the block, every statement sent after the first commit raises; yields the statements refused."""
    committed: list[bool] = []
    refused: list[str] = []

    def arm(session: Session) -> None:
        committed.append(True)

    def refuse(conn, cursor, statement, parameters, context, executemany) -> None:
        if committed:
            refused.append(statement)
            raise DatabaseGone("injected fault: the database went away after the commit")

    event.listen(Session, "after_commit", arm)
    event.listen(db.engine, "before_cursor_execute", refuse)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # an unexpected error is the 500 page, as in production
    try:
        yield refused
    finally:
        event.remove(Session, "after_commit", arm)
        event.remove(db.engine, "before_cursor_execute", refuse)


def count(model, *where) -> int:
    with db.engine.connect() as connection:  # as stored, not as this session remembers
        return connection.scalar(select(func.count()).select_from(model).where(*where)) or 0


def tokens_of(client, path: str, csrf_token_from) -> tuple[str, str]:
    html = client.get(path).get_data(as_text=True)
    match = FORM_TOKEN.search(html)
    assert match, f"{path} has no form token"
    return csrf_token_from(html), match.group(1) or match.group(2)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), "teal").save(out, "PNG")
    return out.getvalue()


def test_a_note_saved_just_before_the_database_fails_is_reported_saved_and_a_retry_adds_nothing(
    app, client, world, sign_in, csrf_token_from
):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    csrf, token = tokens_of(client, f"/cases/{case.number}", csrf_token_from)
    data = {"csrf_token": csrf, "form_token": token, "kind": "observation", "body": "Called the reporter back."}
    with database_fails_after_the_commit(app) as refused:
        response = client.post(f"/cases/{case.number}/notes", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    assert response.headers["Location"].startswith(f"/cases/{case.number}#note-")
    assert refused == [] and count(Note, Note.case_id == case.id) == 1

    retried = client.post(f"/cases/{case.number}/notes", data=data, follow_redirects=True)
    assert retried.status_code == 200 and "already saved" in retried.get_data(as_text=True)
    assert count(Note, Note.case_id == case.id) == 1
    assert count(AuditEvent, AuditEvent.action == "note.added") == 1

    fresh_csrf, fresh_token = tokens_of(client, f"/cases/{case.number}", csrf_token_from)
    assert fresh_token != token  # each rendering of the form is a new submit
    client.post(f"/cases/{case.number}/notes", data=data | {"csrf_token": fresh_csrf, "form_token": fresh_token})
    assert count(Note, Note.case_id == case.id) == 2


def test_a_complaint_logged_just_before_the_database_fails_is_reported_logged_and_a_retry_opens_no_second_case(
    app, client, world, sign_in, csrf_token_from
):
    sign_in(client, world.investigator.email, PASSWORD)
    csrf, token = tokens_of(client, "/cases/new", csrf_token_from)
    data = {
        "csrf_token": csrf,
        "form_token": token,
        "title": "Photo of a housing unit",
        "complaint_source": "staff_report",
        "received_at": "2026-02-27T09:15",
        "platform": "facebook",
        "text": "Inside the unit tonight",
        "identified_as_doc": "yes",
    }
    before = count(Case)
    with database_fails_after_the_commit(app) as refused:
        response = client.post("/cases/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    assert refused == [] and count(Case) == before + 1
    number = response.headers["Location"].rsplit("/", 1)[-1]

    retried = client.post("/cases/new", data=data)
    assert retried.status_code == 302 and retried.headers["Location"].endswith(f"/cases/{number}")
    assert count(Case) == before + 1
    assert "already logged" in client.get(retried.headers["Location"]).get_data(as_text=True)


def test_an_exhibit_stored_just_before_the_database_fails_is_reported_stored(
    app, client, world, sign_in, csrf_token_from
):
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    csrf = csrf_token_from(client.get(f"/cases/{case.number}/exhibits/new").get_data(as_text=True))
    data = {
        "csrf_token": csrf,
        "description": "Screenshot of the post",
        "captured_at": "2026-02-27T09:15",
        "captured_by": "Ivy Investigator",
        "capture_method": "Snipping tool",
        "file": (io.BytesIO(png_bytes()), "capture.png"),
    }
    with database_fails_after_the_commit(app) as refused:
        response = client.post(f"/cases/{case.number}/exhibits/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    assert response.headers["Location"] == f"/cases/{case.number}/exhibits/1"
    assert count(Exhibit, Exhibit.case_id == case.id) == 1
    # after the commit only the print rendition's job reached for the database (its failure is logged: the first
    # packet makes the rendition); the answer is the exhibit stored
    assert all("FROM exhibits" in statement for statement in refused), refused


def test_one_form_token_holds_one_record(app, world):
    """A submit sent again returns the note the first saved; and the database itself refuses a second record
    for one token (the guard when two submits race past the check before writing)."""
    case = world.open()
    actor = world.actor(world.investigator)
    token = "t" * 32
    first = casework.add_note(case, "observation", "One call.", actor, form_token=token)
    again = casework.add_note(case, "observation", "One call.", actor, form_token=token)
    assert again.id == first.id and count(Note, Note.case_id == case.id) == 1
    submissions.claim(token, "note", case.id, first.id, actor)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def _edit_complaint(client, case, csrf_token_from):
    page = client.get(f"/cases/{case.number}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    data = {"title": "New title", "complaint_source": "staff_report", "received_at": "2026-02-27T09:15"}
    return f"/cases/{case.number}/edit", data | {"version": version, "csrf_token": csrf_token_from(page)}


def _edit_post(client, case, csrf_token_from):
    post = case.posts[0]
    page = client.get(f"/cases/{case.number}/posts/{post.id}").get_data(as_text=True)
    data = {"platform": "facebook", "text": "Edited text", "version": str(post.row_version)}
    return f"/cases/{case.number}/posts/{post.id}", data | {"csrf_token": csrf_token_from(page)}


def _add_post(client, case, csrf_token_from):
    page = client.get(f"/cases/{case.number}/posts/new").get_data(as_text=True)
    return f"/cases/{case.number}/posts/new", {"platform": "x", "text": "Another", "csrf_token": csrf_token_from(page)}


def _link_subject(client, case, csrf_token_from, world):
    employee = world.employees.make()
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    data = {"employee_number": employee.employee_number, "confirmed": "yes", "csrf_token": csrf_token_from(page)}
    return f"/cases/{case.number}/subjects", data


@pytest.mark.parametrize("write", ["edit_complaint", "edit_post", "add_post", "link_subject"])
def test_any_write_of_a_case_page_committed_just_before_the_database_fails_is_reported_saved(
    app, client, world, sign_in, csrf_token_from, write
):
    """The net under every view: whatever a view reads after its commit of the rows it wrote needs no query."""
    case = world.open()
    sign_in(client, world.investigator.email, PASSWORD)
    build = {"edit_complaint": _edit_complaint, "edit_post": _edit_post, "add_post": _add_post}.get(write)
    path, data = build(client, case, csrf_token_from) if build else _link_subject(client, case, csrf_token_from, world)
    with database_fails_after_the_commit(app) as refused:
        response = client.post(path, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert refused == []


def test_an_assignment_committed_just_before_the_database_fails_is_reported_made(
    app, client, world, sign_in, csrf_token_from
):
    case = world.intake()
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/assign").get_data(as_text=True)
    data = {"investigator": str(world.investigator.id), "csrf_token": csrf_token_from(page)}
    with database_fails_after_the_commit(app) as refused:
        response = client.post(f"/cases/{case.number}/assign", data=data)
    assert response.status_code == 302 and refused == []
    with db.engine.connect() as connection:
        assert (
            connection.scalar(select(Case.assigned_investigator_id).where(Case.id == case.id)) == world.investigator.id
        )

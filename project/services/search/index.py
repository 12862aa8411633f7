"""Keeps ``search_documents`` in step with the records people search, in the same flush that writes them.

Whatever code path adds or changes a case, a reported post, a note or an allegation, the flush that writes
it also writes its search text, in the same transaction: a rollback takes both back, and no search can
find text that was never saved or miss text that was.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from project.database import listen_once
from project.models import Allegation, Case, Note, ReportedPost, SearchDocument

DOCUMENTS = cast(Table, SearchDocument.__table__)


def _case_text(case: Case) -> str:
    number = case.number or ""
    # the number also as its parts, so "0004" or "2026-0004" finds SM-2026-0004
    return " ".join(part for part in (number, number.replace("-", " "), case.title, case.narrative) if part)


def _post_text(post: ReportedPost) -> str:
    return " ".join(part for part in (post.account_handle, post.display_name, post.text) if part)


SOURCES: dict[type, tuple[str, Any]] = {
    Case: ("case", _case_text),
    ReportedPost: ("post", _post_text),
    Note: ("note", lambda note: note.body or ""),
    Allegation: ("allegation", lambda allegation: allegation.reasoning or ""),
}


def _case_id(obj: Any) -> int:
    return int(obj.id if isinstance(obj, Case) else obj.case_id)


def install_index_upkeep() -> None:
    """Write the search text of every case, post, note and allegation in the flush that writes the record."""
    listen_once(Session, "after_flush", _index)


def _index(session: Session, _context: Any) -> None:
    for obj in list(session.new) + [o for o in session.dirty if session.is_modified(o, include_collections=False)]:
        source = SOURCES.get(type(obj))
        if source is None:
            continue
        kind, text_of = source
        body = text_of(obj)
        existing = session.execute(
            select(SearchDocument.id, SearchDocument.body).where(
                SearchDocument.kind == kind, SearchDocument.ref_id == obj.id
            )
        ).one_or_none()
        if existing is None:
            session.execute(DOCUMENTS.insert().values(case_id=_case_id(obj), kind=kind, ref_id=obj.id, body=body))
        elif existing.body != body:
            session.execute(update(DOCUMENTS).where(DOCUMENTS.c.id == existing.id).values(body=body))
    for obj in session.deleted:
        source = SOURCES.get(type(obj))
        if source is not None:
            session.execute(delete(DOCUMENTS).where(DOCUMENTS.c.kind == source[0], DOCUMENTS.c.ref_id == obj.id))

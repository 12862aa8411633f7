"""Keeps ``search_documents`` in step with the records people search, in the same flush that writes them.

Whatever code path adds or changes a case, a reported post, a note, an allegation, an exhibit's OCR text or a
subject (the employee's name and number: "Kowalski", "Terrence", "100487"; a roster change rewrites them), the
flush that writes it also writes its search text, in the same transaction: a rollback takes both back,
and no search can find text that was never saved or miss text that was.

An exhibit's OCR text (kind "exhibit") and a recording's transcript (kind "transcript") are indexed **masked**:
every protected identifier of its case (the reporter, listed witnesses, inmates, other employees; ``masking.mask``,
every spelling) is replaced by "[REDACTED]" before it is written. Text read from a screenshot is nobody's typing: it
holds whatever the picture shows (and a transcript whatever was said), so a role that may not see the reporter must
not find a case by a protected name in it, nor see it in a passage. Masking what is indexed is sound for every role
and every query the engines take (prefixes, stems), where filtering results afterwards would have to predict the
engines' matching; the cost is that nobody finds a case by a protected name read in a screenshot (the people who may
see it find the case by its other words). When a case's protected identifiers change (a person listed or removed,
the reporter edited), the flush that writes the change re-masks the case's exhibit documents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Table, delete, inspect, or_, select, update
from sqlalchemy.orm import Session

from project.database import listen_once
from project.models import (
    Allegation,
    Case,
    CaseSubject,
    Employee,
    Exhibit,
    Note,
    ProtectedPerson,
    ReportedPost,
    SearchDocument,
)
from project.services.masking import Identifier, mask

DOCUMENTS = cast(Table, SearchDocument.__table__)


def _case_text(case: Case) -> str:
    number = case.number or ""
    # the number also as its parts, so "0004" or "2026-0004" finds SM-2026-0004
    return " ".join(part for part in (number, number.replace("-", " "), case.title, case.narrative) if part)


def _post_text(post: ReportedPost) -> str:
    return " ".join(part for part in (post.account_handle, post.display_name, post.text) if part)


def _employee_text(employee: Employee) -> str:
    return f"{employee.last_name}, {employee.first_name} {employee.employee_number}"


def _subject_text(subject: CaseSubject) -> str:
    session = inspect(subject).session  # a subject just added has only its employee's id set
    employee = session.get(Employee, subject.employee_id) if session is not None else subject.employee
    return _employee_text(employee) if employee is not None else ""


SOURCES: dict[type, list[tuple[str, Any]]] = {
    Case: [("case", _case_text)],
    ReportedPost: [("post", _post_text)],
    Note: [("note", lambda note: note.body or "")],
    Allegation: [("allegation", lambda allegation: allegation.reasoning or "")],
    Exhibit: [
        ("exhibit", lambda exhibit: exhibit.ocr_text),  # None (not read yet): no document
        ("transcript", lambda exhibit: exhibit.transcript),  # a recording's, typed by the investigator
    ],
    CaseSubject: [("subject", _subject_text)],
}
MASKED_KINDS = frozenset({"exhibit", "transcript"})
REPORTER_FIELDS = ("reporter_name", "reporter_contact")
_protected: dict[str, Callable[[Case], list[Identifier]]] = {}


def _case_id(obj: Any) -> int:
    return int(obj.id if isinstance(obj, Case) else obj.case_id)


def install_index_upkeep(protected_identifiers: Callable[[Case], list[Identifier]]) -> None:
    """Write the search text of every case, post, note, allegation and exhibit text in the flush that writes
    the record; ``protected_identifiers`` gives what to mask in a case's exhibit text."""
    _protected["of"] = protected_identifiers
    listen_once(Session, "after_flush", _index)


def _write(session: Session, kind: str, ref_id: int, case_id: int, body: str) -> None:
    found = select(SearchDocument.id, SearchDocument.body)
    existing = session.execute(found.where(SearchDocument.kind == kind, SearchDocument.ref_id == ref_id)).one_or_none()
    if existing is None:
        session.execute(DOCUMENTS.insert().values(case_id=case_id, kind=kind, ref_id=ref_id, body=body))
    elif existing.body != body:
        session.execute(update(DOCUMENTS).where(DOCUMENTS.c.id == existing.id).values(body=body))


def _masked(session: Session, case_id: int, body: str) -> str:
    case = session.get(Case, case_id)
    identifiers = _protected["of"](case) if case is not None and "of" in _protected else []
    return mask(body, identifiers) if identifiers else body


def _identifiers_changed(session: Session, changed: list[Any]) -> set[int]:
    """The cases whose protected identifiers this flush changed: a person listed or removed, a reporter edited."""
    cases = {obj.case_id for obj in changed if isinstance(obj, ProtectedPerson)}
    for obj in changed:
        if isinstance(obj, Case) and obj in session.dirty:
            state = inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in REPORTER_FIELDS):
                cases.add(obj.id)
    return cases


def _reindex_subjects_of(session: Session, employees: list[Employee]) -> None:
    """A roster change to an employee's name or number rewrites the documents of the cases they are a subject of."""
    for employee in employees:
        subjects = session.execute(
            select(CaseSubject.id, CaseSubject.case_id).where(CaseSubject.employee_id == employee.id)
        ).all()
        for subject_id, case_id in subjects:
            _write(session, "subject", subject_id, case_id, _employee_text(employee))


def _index(session: Session, _context: Any) -> None:
    changed = list(session.new) + [o for o in session.dirty if session.is_modified(o, include_collections=False)]
    written = _write_changed(session, changed)
    _reindex_subjects_of(session, [o for o in changed if isinstance(o, Employee) and o in session.dirty])
    for case_id in _identifiers_changed(session, changed):
        _remask(session, case_id, written)
    for obj in session.deleted:
        kinds = [kind for kind, _ in SOURCES.get(type(obj), [])]
        if kinds:
            session.execute(delete(DOCUMENTS).where(DOCUMENTS.c.kind.in_(kinds), DOCUMENTS.c.ref_id == obj.id))


def _write_changed(session: Session, changed: list[Any]) -> set[tuple[str, int]]:
    """Write the documents of the records this flush changed; return the masked ones written (kind, id)."""
    written: set[tuple[str, int]] = set()
    for obj in changed:
        for kind, text_of in SOURCES.get(type(obj), []):
            body = text_of(obj)
            if body is None:  # none yet, or taken away (a transcript cleared): nothing to find
                if obj not in session.new:
                    session.execute(delete(DOCUMENTS).where(DOCUMENTS.c.kind == kind, DOCUMENTS.c.ref_id == obj.id))
                continue
            if kind in MASKED_KINDS:
                body = _masked(session, _case_id(obj), body)
                written.add((kind, obj.id))
            _write(session, kind, obj.id, _case_id(obj), body)
    return written


def _remask(session: Session, case_id: int, written: set[tuple[str, int]]) -> None:
    """Mask a case's exhibit texts and transcripts again, its protected identifiers having changed."""
    texts = session.execute(
        select(Exhibit.id, Exhibit.ocr_text, Exhibit.transcript).where(
            Exhibit.case_id == case_id, or_(Exhibit.ocr_text.is_not(None), Exhibit.transcript.is_not(None))
        )
    )
    for exhibit_id, *bodies in texts.all():
        for kind, text in zip(("exhibit", "transcript"), bodies, strict=True):
            if text is not None and (kind, exhibit_id) not in written:
                _write(session, kind, exhibit_id, case_id, _masked(session, case_id, text))

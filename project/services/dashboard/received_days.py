"""The window figures stored by local day received (``ReceivedDayCount``), so a supervisor's dashboard sums a
year's days instead of reading a year's cases, allegations and subjects (issue 19, item 2).

Kept by the commit itself, whoever writes, as the stored deadlines are: every flush notes the cases whose
counted facts it changed (a case received, moved to another day or facility; an allegation framed, removed,
or given another clause or finding; a subject named or unlinked) and the days they were received before the
change. Just before the commit, each of those days is counted again from the cases received on it, in the same
transaction. On PostgreSQL, the commits that count the same day again take turns (an advisory lock per day),
so two intakes on one day cannot each store a count that misses the other's case. A change that cannot be
placed on a day, or another time zone, has every day counted again at the next read."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import has_app_context
from sqlalchemy import ColumnElement, String, delete, func, insert, inspect, literal, or_, select, text, true
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from project import clock
from project.database import keep_with_each_commit
from project.extensions import db
from project.models import Allegation, Case, CaseSubject, ReceivedDayCount, StoredFigures
from project.models.casework.received_days import NO_FACILITY
from project.transaction import committing

log = logging.getLogger(__name__)

NAME = "received days"
VERSION = "1"  # what the rows count: raise it when that changes, and every day is counted again
CLAUSE, FINDING, EMPLOYEE = "clause", "finding", "employee"
_NOTES = "received_days.changed"
_LOCKS = 2260  # the advisory locks' first key on PostgreSQL: AD 2.26; the second is the day, or 0 for all days
_COUNTED = {Case: ("received_at", "facility"), Allegation: ("case_id", "clause_id", "finding_id")}
_COUNTED[CaseSubject] = ("case_id", "employee_id")


@dataclass
class _Changed:
    cases: set[int] = field(default_factory=set)  # counted again on the day they are received now
    days: set[date] = field(default_factory=set)  # counted again: the days cases were received before a change
    everything: bool = False


def install_upkeep() -> None:
    """Keep the stored days with every commit of the app's sessions (once per process)."""
    keep_with_each_commit(_note, _store, _forget)


def _note(session: Session, _context: Any) -> None:
    found = _Changed()
    for obj in (*session.new, *session.dirty, *session.deleted):
        counted = _COUNTED.get(type(obj))
        if counted is None:
            continue
        state = inspect(obj)
        if obj in session.dirty and not any(state.attrs[name].history.has_changes() for name in counted):
            continue  # a case saved again (its version moved on) with nothing counted changed
        if isinstance(obj, Case) and obj in session.new:
            found.cases.add(obj.id)
        elif isinstance(obj, Case):
            _note_case(obj, found, removed=obj in session.deleted)
        else:
            case_ids = {state.dict.get("case_id"), *state.attrs.case_id.history.deleted}
            found.cases |= {case_id for case_id in case_ids if case_id is not None}
            found.everything |= state.dict.get("case_id") is None  # removed unread: its case cannot be told
    if found.cases or found.days or found.everything:
        changed = session.info.setdefault(_NOTES, _Changed())
        changed.cases |= found.cases
        changed.days |= found.days
        changed.everything |= found.everything


def _note_case(case: Case, found: _Changed, removed: bool) -> None:
    state = inspect(case)
    history = state.attrs.received_at.history
    before = [*history.deleted, *history.unchanged] if removed else history.deleted
    found.days |= {clock.local_date(moment) for moment in before if moment is not None}
    if removed:
        found.everything |= not before  # removed unread: the day it was counted on cannot be told
    else:
        found.cases.add(case.id)
        found.everything |= history.has_changes() and not history.deleted  # moved from a day never read
        # (``received_at`` keeps its old value when set: ``active_history``, so this stays a safeguard)


def _forget(session: Session) -> None:
    session.info.pop(_NOTES, None)


def _store(session: Session) -> None:
    if _NOTES not in session.info or not has_app_context() or session is not db.session():
        return
    session.flush()  # what the transaction still holds is noted too
    changed: _Changed = session.info.pop(_NOTES)
    if changed.everything:
        session.execute(delete(StoredFigures).where(StoredFigures.name == NAME))  # all again at the next read
        return
    days = set(changed.days)
    if changed.cases:
        moments = session.scalars(select(Case.received_at).where(Case.id.in_(changed.cases)))
        days |= {clock.local_date(moment) for moment in moments}
    if days:
        _take_turns(session, sorted(days))
        _count_again(session, days)


def _take_turns(session: Session, days: list[date]) -> None:
    """On PostgreSQL, wait for any other transaction counting these days again, or all of them, to commit."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite writes one transaction at a time, and this one has written already
    session.execute(text("SELECT pg_advisory_xact_lock_shared(CAST(:locks AS integer), 0)"), {"locks": _LOCKS})
    session.execute(
        text(
            "SELECT pg_advisory_xact_lock(CAST(:locks AS integer), day)"
            " FROM (SELECT unnest(CAST(:days AS integer[])) AS day ORDER BY 1) AS days"
        ),
        {"locks": _LOCKS, "days": [day.toordinal() for day in days]},
    )


def _count_again(session: Session, days: Iterable[date]) -> None:
    ordered = sorted(days)
    for start in range(0, len(ordered), 200):
        chunk = ordered[start : start + 200]
        session.execute(delete(ReceivedDayCount).where(ReceivedDayCount.day.in_(chunk)))
        received = or_(
            *(
                (Case.received_at >= clock.local_midnight(day))
                & (Case.received_at < clock.local_midnight(day + timedelta(days=1)))
                for day in chunk
            )
        )
        rows = _rows(received)
        if rows:
            session.connection().execute(insert(ReceivedDayCount), rows)


def _rows(received: ColumnElement[bool]) -> list[dict[str, Any]]:
    """The day counts of the cases meeting ``received`` (whole days of them), as rows."""
    cases = {
        case_id: (clock.local_date(moment), facility or NO_FACILITY)
        for case_id, moment, facility in db.session.execute(
            select(Case.id, Case.received_at, Case.facility).where(received)
        )
    }
    counted: dict[tuple[str, date, int, str], set[int]] = defaultdict(set)
    alleged = select(Allegation.case_id, Allegation.clause_id, Allegation.finding_id).join(Case).where(received)
    for case_id, clause_id, finding_id in db.session.execute(alleged):
        day, facility = cases[case_id]
        if clause_id is not None:  # not an allegation citing a related directive as a whole
            counted[(CLAUSE, day, clause_id, NO_FACILITY)].add(case_id)
        if finding_id is not None:
            counted[(FINDING, day, finding_id, facility)].add(case_id)
    for case_id, employee_id in db.session.execute(
        select(CaseSubject.case_id, CaseSubject.employee_id).join(Case).where(received)
    ):
        counted[(EMPLOYEE, cases[case_id][0], employee_id, NO_FACILITY)].add(case_id)
    return [
        {"kind": kind, "day": day, "item_id": item_id, "facility": facility, "cases": len(case_ids)}
        for (kind, day, item_id, facility), case_ids in counted.items()
    ]


def fingerprint() -> str:
    """What decides every row besides the cases: the time zone their days are local to, and what they count."""
    return f"{clock.zone().key} v{VERSION}"


def refresh_all(when_stale: bool = False) -> int:
    """Count every day again and store it, in one transaction; how many rows were stored. ``when_stale``: unless
    another process stored them while this one waited its turn (each worker's first dashboard after an upgrade
    finds them stale; at 100,000 cases, counting takes seconds, and one count is enough)."""
    with committing("the dashboard's stored days"):
        session = db.session()
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(CAST(:locks AS integer), 0)"), {"locks": _LOCKS})
        stored = select(StoredFigures.fingerprint).where(StoredFigures.name == NAME)
        if when_stale and session.scalar(stored) == fingerprint():
            return 0
        session.execute(delete(ReceivedDayCount))
        rows = _rows(true())
        if rows:
            # Core, not the ORM's bulk insert: 11.5 s to 9.4 s for 348,000 rows (100,000 cases, SQLite)
            session.connection().execute(insert(ReceivedDayCount), rows)
        session.execute(delete(StoredFigures).where(StoredFigures.name == NAME))
        session.add(StoredFigures(name=NAME, fingerprint=fingerprint(), refreshed_at=clock.now()))
    return len(rows)


def ensure_stored() -> bool:
    """Whether the stored days can be read: counted in full first when they never were, or when the time zone
    changed since. False when that could not be written (another process was doing it, or the database refused):
    the caller counts the cases itself this once."""
    stored = db.session.get(StoredFigures, NAME)
    if stored is not None and stored.fingerprint == fingerprint():
        return True
    try:
        refresh_all(when_stale=True)
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("the dashboard's stored days could not be counted again now", exc_info=True)
        return False
    return True


def stored_differences() -> list[str]:
    """How the stored days a reader sees (``ensure_stored`` first) differ from the days counted now, one line
    each (none: they agree)."""
    ensure_stored()
    key = ("kind", "day", "item_id", "facility", "cases")
    live = {tuple(row[k] for k in key) for row in _rows(true())}
    stored = {tuple(row) for row in db.session.execute(select(*(getattr(ReceivedDayCount, k) for k in key)))}
    return [f"stored, not counted now: {row}" for row in sorted(stored - live)] + [
        f"counted now, not stored: {row}" for row in sorted(live - stored)
    ]


def summed(kind: str, since: date) -> Any:
    """(item id, facility, cases) summed over the days from ``since`` on, of one kind: a subquery. Only findings
    are grouped by facility (the others have none): grouping 21,000 employee rows by one column, not two, took
    21 ms, not 29 (SQLite, 100,000 cases, stress mix)."""
    cases = func.sum(ReceivedDayCount.cases).label("cases")
    window = (ReceivedDayCount.kind == kind) & (ReceivedDayCount.day >= since)
    if kind == FINDING:
        grouped = (ReceivedDayCount.item_id, ReceivedDayCount.facility)
        return select(*grouped, cases).where(window).group_by(*grouped)
    facility = literal(NO_FACILITY, String).label("facility")
    return select(ReceivedDayCount.item_id, facility, cases).where(window).group_by(ReceivedDayCount.item_id)

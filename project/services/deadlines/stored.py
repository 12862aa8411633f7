"""The running deadlines, stored (``DeadlineDue``), so the figures that count them are indexed counts (issue 19,
item 2): the dashboard's overdue and due-soon cases, the work queue's clocks and the case list's deadline filter.

Kept by the commit itself, whoever writes: every flush notes the cases whose dated events it touched (the case,
its subjects, transitions, reviews, posts, release notices, labor actions, proposals, modifications, grievances,
their steps and arbitrations), and just before the commit those cases' clocks are worked out again by
``clocks.clocks`` (the one place that knows the rules) and stored in the same transaction. A rolled-back
transaction drops its notes with its changes. The rules, the holidays and the steps decide every clock: a change
to them, or a fingerprint that no longer matches them (a file loaded without the ORM), has everything worked out
again at the next read. A stored clock holds no status: "overdue" and "due soon" are compared with today when
counted, so the rows do not go stale as days pass."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import has_app_context
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from project import clock
from project.database import keep_with_each_commit
from project.extensions import db
from project.models import (
    Arbitration,
    Case,
    CaseSubject,
    CaseTransition,
    DeadlineDue,
    DeadlineRule,
    DisciplineProposal,
    DisciplineStep,
    Grievance,
    GrievanceStep,
    Holiday,
    LaborAction,
    ProposalModification,
    ReleaseNotice,
    ReportedPost,
    Review,
    StoredFigures,
)
from project.services.deadlines.clocks import (
    NOT_CLOSED,
    clocks,
    open_clocks,
)
from project.services.deadlines.rules import DUE, OVERDUE
from project.services.visibility import always_true
from project.transaction import committing

log = logging.getLogger(__name__)

NAME = "deadlines"
_NOTES = "deadlines.changed"
_CHECKED = "deadlines.checked"  # the transaction in which the stored clocks were found up to date
BY_CASE = (CaseSubject, CaseTransition, Review, ReportedPost, ReleaseNotice)
BY_SUBJECT = (LaborAction, DisciplineProposal, ProposalModification, Grievance)
BY_GRIEVANCE = (GrievanceStep, Arbitration)
SETTINGS = (DeadlineRule, Holiday, DisciplineStep)


@dataclass
class _Changed:
    cases: set[int] = field(default_factory=set)
    subjects: set[int] = field(default_factory=set)
    grievances: set[int] = field(default_factory=set)
    settings: bool = False


def install_upkeep() -> None:
    """Keep the stored deadlines with every commit of the app's sessions (once per process)."""
    keep_with_each_commit(_note, _store, _forget)


def _note(session: Session, _context: Any) -> None:
    cases, subjects, grievances, settings = set(), set(), set(), False
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Case):
            cases.add(obj.id)
        elif isinstance(obj, BY_CASE):
            cases.add(obj.case_id)
        elif isinstance(obj, BY_SUBJECT):
            subjects.add(obj.subject_id)
        elif isinstance(obj, BY_GRIEVANCE):
            grievances.add(obj.grievance_id)
        elif isinstance(obj, SETTINGS):
            settings = True
    if cases or subjects or grievances or settings:
        changed = session.info.setdefault(_NOTES, _Changed())
        changed.cases |= cases
        changed.subjects |= subjects
        changed.grievances |= grievances
        changed.settings = changed.settings or settings
        if settings:
            session.info.pop(_CHECKED, None)  # a rule, holiday or step changed in this transaction


def _forget(session: Session) -> None:
    session.info.pop(_NOTES, None)


def _store(session: Session) -> None:
    if _NOTES not in session.info or not has_app_context() or session is not db.session():
        return
    session.flush()  # what the transaction still holds is noted too
    changed: _Changed = session.info.pop(_NOTES)
    if changed.settings:
        session.execute(delete(StoredFigures).where(StoredFigures.name == NAME))  # all again at the next read
    case_ids = _case_ids(session, changed)
    if case_ids:
        _write(session, case_ids)


def _case_ids(session: Session, changed: _Changed) -> set[int]:
    cases = {case_id for case_id in changed.cases if case_id is not None}
    subjects = set(changed.subjects)
    if changed.grievances:
        query = select(Grievance.subject_id).where(Grievance.id.in_(changed.grievances))
        subjects |= set(session.scalars(query))
    if subjects:
        cases |= set(session.scalars(select(CaseSubject.case_id).where(CaseSubject.id.in_(subjects))))
    return cases


def _write(session: Session, case_ids: Iterable[int]) -> None:
    """Replace the stored clocks of these cases with their running ones."""
    ids = sorted(case_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        session.execute(delete(DeadlineDue).where(DeadlineDue.case_id.in_(chunk)))
        rows = _rows(Case.id.in_(chunk) & Case.state.in_(NOT_CLOSED))
        if rows:
            session.execute(insert(DeadlineDue), rows)


def _rows(cases: Any) -> list[dict[str, Any]]:
    """The running clocks (due or overdue, not met) of the cases meeting ``cases``, as rows."""
    found = {}
    for running in clocks(clock.local_today(), cases):
        if running.status in (DUE, OVERDUE):
            key = (running.case_id, running.subject_id, running.rule.code)
            found[key] = {
                "case_id": running.case_id,
                "subject_id": running.subject_id,
                "rule_code": running.rule.code,
                "investigation": running.investigation,
                "listed": running.listed,
                "due_on": running.on,
                "warn_from": date.fromordinal(running.on.toordinal() - running.rule.warn_days),
            }
    return list(found.values())


def stored_differences() -> list[str]:
    """How the stored clocks a reader sees (``ensure_stored`` first) differ from the running ones worked out now,
    one line each (none: they agree)."""
    ensure_stored()
    key = ("case_id", "subject_id", "rule_code", "investigation", "listed", "due_on", "warn_from")
    live = {tuple(row[k] for k in key) for row in _rows(Case.state.in_(NOT_CLOSED))}
    stored = {tuple(row) for row in db.session.execute(select(*(getattr(DeadlineDue, k) for k in key)))}
    return [f"stored, not running: {row}" for row in sorted(stored - live)] + [
        f"running, not stored: {row}" for row in sorted(live - stored)
    ]


def fingerprint() -> str:
    """The SHA-256 of what decides every clock: the rules, the holidays and the steps."""
    digest = hashlib.sha256()
    for table in (DeadlineRule, Holiday, DisciplineStep):
        found = select(*table.__table__.columns).order_by(*table.__table__.primary_key)
        for row in db.session.execute(found):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def refresh_all() -> int:
    """Work out and store the clocks of every case not closed, in one transaction; how many were stored."""
    with committing("the stored deadlines"):
        session = db.session()
        session.execute(delete(DeadlineDue))
        rows = _rows(Case.state.in_(NOT_CLOSED))
        if rows:
            session.execute(insert(DeadlineDue), rows)
        session.execute(delete(StoredFigures).where(StoredFigures.name == NAME))
        session.add(StoredFigures(name=NAME, fingerprint=fingerprint(), refreshed_at=clock.now()))
    return len(rows)


def ensure_stored() -> bool:
    """Whether the stored clocks can be read: worked out in full first when they never were, or when the rules,
    holidays or steps changed since. False when that could not be written (another process was doing it at the
    same moment, or the database refused): the caller counts the clocks itself this once."""
    session = db.session()
    if session.info.get(_CHECKED) is session.get_transaction() is not None:
        return True  # checked already in this transaction (the home page counts twice: chart and work queue)
    stored = session.get(StoredFigures, NAME)
    if stored is not None and stored.fingerprint == fingerprint():
        session.info[_CHECKED] = session.get_transaction()
        return True
    try:
        refresh_all()
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("the stored deadlines could not be worked out again now", exc_info=True)
        return False
    return True


def overdue(today: date) -> Any:
    return DeadlineDue.due_on < today


def due_soon(today: date) -> Any:
    return (DeadlineDue.warn_from <= today) & (DeadlineDue.due_on >= today)


def cases_with(status: str, today: date) -> Any:
    """A condition on ``Case``: it has a listed clock overdue or due soon (``status``). From the stored clocks, or
    from the clocks worked out now when the stored ones cannot be brought up to date."""
    if not ensure_stored():
        return Case.id.in_({c.case_id for c in open_clocks(today) if c.status == status} or {-1})
    when = overdue(today) if status == OVERDUE else due_soon(today)
    return Case.id.in_(select(DeadlineDue.case_id).where(DeadlineDue.listed.is_(True), when))


def running_counts(cases: Any, today: date, distinct_cases: bool) -> dict[str, int]:
    """How many listed clocks (or ``distinct_cases``: cases with one) are overdue and due soon, of the cases
    meeting ``cases``: counted from the stored clocks, or worked out now when they cannot be brought up to date."""
    if not ensure_stored():
        running = open_clocks(today, cases=cases)
        if distinct_cases:
            return {status: len({c.case_id for c in running if c.status == status}) for status in (OVERDUE, DUE)}
        return {status: sum(1 for c in running if c.status == status) for status in (OVERDUE, DUE)}
    # one read of the listed clocks overdue or due soon, each counted where it belongs: from the index alone
    # when every case counts (a supervisor's), through the cases otherwise
    counted = func.count(func.distinct(DeadlineDue.case_id)) if distinct_cases else func.count()
    query = (
        select(counted.filter(overdue(today)), counted.filter(DeadlineDue.due_on >= today))
        .select_from(DeadlineDue)
        .where(DeadlineDue.listed.is_(True), or_(overdue(today), due_soon(today)))
    )
    if not always_true(cases):
        query = query.join(Case, Case.id == DeadlineDue.case_id).where(cases)
    late, soon = db.session.execute(query).one()
    return {OVERDUE: int(late or 0), DUE: int(soon or 0)}

"""Purges due under the retention rules (issue 18, item 5): the evidence of closed cases whose outcome a
``case_evidence`` rule names, once its months have run from the day the case was (last) closed.

A purge is done by the retention run (``retention.apply_retention``): the exhibits are marked purged in its
transaction, with an ``exhibit.purged`` custody event each, and their files are deleted after it commits
(``evidence.remove_purged_files``). A case on legal hold is kept, and named in the run's audit event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, exists, func, or_, select

from project import clock
from project.extensions import db
from project.models import (
    Allegation,
    Case,
    CaseState,
    CaseTransition,
    DisciplineRecord,
    Exhibit,
    FindingCategory,
)
from project.services.records.holds import held_case_ids
from project.services.records.rules import DueUnderRule, RetentionRule, months_after, retention_rules


@dataclass(frozen=True)
class PurgeItem(DueUnderRule):
    """The evidence of a closed case due to be purged; ``hold`` keeps it, when there is one."""

    case: Case
    closed_on: date
    exhibits: list[Exhibit]  # those not purged yet

    @property
    def line(self) -> str:
        what = f"{self.case.number} evidence ({len(self.exhibits)} exhibit(s)), closed {self.closed_on.isoformat()}"
        return self.line_for(what, "purge")


def _no_finding_sustained() -> ColumnElement[bool]:
    """Every allegation of the case has a finding, none of which supports discipline, and no discipline record
    names the case."""
    open_or_sustained = (
        select(Allegation.id)
        .outerjoin(FindingCategory, FindingCategory.id == Allegation.finding_id)
        .where(Allegation.case_id == Case.id)
        .where(or_(Allegation.finding_id.is_(None), FindingCategory.supports_discipline.is_(True)))
    )
    disciplined = select(DisciplineRecord.id).where(DisciplineRecord.case_id == Case.id)
    return ~exists(open_or_sustained) & ~exists(disciplined)


OUTCOMES = {"no_finding_sustained": _no_finding_sustained}


def due_purges(today: date, rules: tuple[RetentionRule, ...] | None = None) -> list[PurgeItem]:
    """Every closed case with exhibits not yet purged that a purge rule makes due on or before ``today``, by
    closing day, each with the legal hold that keeps it."""
    rules = tuple(r for r in (retention_rules() if rules is None else rules) if r.record_type == "case_evidence")
    # Read from the exhibits not yet purged (their index), each case's last closing by the index of the moves
    # into each state: the cost follows the evidence still kept, not every case ever closed.
    last_closing = (
        select(func.max(CaseTransition.occurred_at))
        .where(CaseTransition.to_state == CaseState.CLOSED.value, CaseTransition.case_id == Case.id)
        .scalar_subquery()
    )
    found: list[tuple[Case, RetentionRule, date]] = []
    for rule in rules:
        before = clock.local_midnight(last_day_due(rule, today) + timedelta(days=1))
        # a closed case takes no exhibit (an upload needs it open, or in discipline for an award), so the last
        # closing of a due case came after every upload of its exhibits: those uploaded since cannot be due
        holding = select(Exhibit.case_id).where(Exhibit.purged_at.is_(None), Exhibit.uploaded_at < before)
        query = (
            select(Case, last_closing.label("closed_at"))
            .where(Case.id.in_(holding), Case.state == CaseState.CLOSED.value)
            .where(last_closing < before)
            .where(OUTCOMES[rule.outcome]())  # after the closing day: it reads each case's allegations
            .order_by(last_closing, Case.id)
        )
        for case, closed_at in db.session.execute(query).all():
            closed_on = clock.local_date(closed_at)
            if rule.due_on(closed_on) <= today and all(case.id != c.id for c, _r, _d in found):
                found.append((case, rule, closed_on))
    holds = held_case_ids(case.id for case, _r, _d in found)
    exhibits = _unpurged([case.id for case, _r, _d in found])
    return [
        PurgeItem(
            case,
            closed_on,
            exhibits.get(case.id, []),
            rule=rule,
            due_on=rule.due_on(closed_on),
            hold=holds.get(case.id),
        )
        for case, rule, closed_on in sorted(found, key=lambda f: (f[2], f[0].id))
    ]


def last_day_due(rule: RetentionRule, today: date) -> date:
    """The last closing day whose period under ``rule`` has ended by ``today``: ``rule.due_on`` never goes back
    as the closing day moves on, so every day up to this one is due and none after it (read in SQL, not case
    by case)."""
    day = months_after(today, -rule.months) + timedelta(days=4)  # the month-end rule moves it by at most 3 days
    while rule.due_on(day) > today:
        day -= timedelta(days=1)
    return day


def _unpurged(case_ids: list[int]) -> dict[int, list[Exhibit]]:
    """The exhibits not yet purged of each case, by number (one query)."""
    found: dict[int, list[Exhibit]] = {}
    if not case_ids:
        return found
    query = select(Exhibit).where(Exhibit.case_id.in_(case_ids), Exhibit.purged_at.is_(None))
    for exhibit in db.session.scalars(query.order_by(Exhibit.case_id, Exhibit.number)):
        found.setdefault(exhibit.case_id, []).append(exhibit)
    return found

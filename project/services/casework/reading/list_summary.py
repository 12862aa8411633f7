"""What the case list says beside its rows: how many cases match (exact up to a bound, then "more than"), and
for each case on the page its age and its next deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from project import clock
from project.extensions import db
from project.models import Case, User
from project.services.casework.reading.case_list import CaseFilters, CasePage, filtered_query, within_bounds
from project.services.deadlines import DUE, OVERDUE, Clock, clocks

COUNT_BOUND = 500  # counting further would read every matching case for a figure nobody needs exactly


@dataclass(frozen=True)
class ListCount:
    count: int
    exact: bool  # False: at least ``count`` cases match (more than the bound)

    def __str__(self) -> str:
        noun = "case" if self.count == 1 else "cases"
        return f"{self.count} {noun}" if self.exact else f"more than {self.count} {noun}"


@dataclass(frozen=True)
class CaseFacts:
    age_days: int  # days since the complaint was received
    next_deadline: Clock | None  # the earliest clock still to be met (due or overdue), if any runs


def count_listed(user: User, filters: CaseFilters, bound: int | None = None, page: CasePage | None = None) -> ListCount:
    """How many cases the list holds with these filters, reading at most one more than ``bound`` of them.
    ``page``: the page of the list with these filters, whose search is not run again, and whose ranks, when
    it was cut from them, already counted the cases."""
    bound = COUNT_BOUND if bound is None else bound
    if page is not None and page.matched is not None:
        counted = page.matched
    else:
        query = filtered_query(user, within_bounds(filters), page.scope if page is not None else None)
        matching = query.with_only_columns(Case.id).limit(bound + 1).subquery()
        counted = int(db.session.scalar(select(func.count()).select_from(matching)) or 0)
    return ListCount(min(counted, bound), exact=counted <= bound)


def list_facts(cases: list[Case], today: date) -> dict[int, CaseFacts]:
    """Each case's age and next deadline, for a page of the list: the clocks of just these cases, in the few
    queries ``deadlines.clocks`` makes whatever their number."""
    if not cases:
        return {}
    running: dict[int, Clock] = {}
    for found in clocks(today, Case.id.in_([case.id for case in cases])):
        if found.status not in (DUE, OVERDUE):
            continue
        earliest = running.get(found.case_id)
        if earliest is None or (found.on, found.rule.id) < (earliest.on, earliest.rule.id):
            running[found.case_id] = found
    return {
        case.id: CaseFacts((today - case.received_at.astimezone(clock.zone()).date()).days, running.get(case.id))
        for case in cases
    }

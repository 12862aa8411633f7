"""Where things stand, for supervisors and labor relations: the figures on their home page.

Every figure counts only cases the person may see (``visibility.visible_to``), and carries the case-list
filters that list exactly the cases it counts, so a click on any bar or number opens them. Each figure is
one grouped query over open work, a window of time or a year: none reads the whole history of cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar

from sqlalchemy import distinct, func, select

from project import clock
from project.extensions import db
from project.models import (
    Case,
    CaseState,
    CaseSubject,
    Clause,
    DisciplineStep,
    FindingCategory,
    Grievance,
    LaborAction,
    Role,
    User,
)
from project.services.casework import GRIEVANCE_FILTERS, NO_FACILITY, OPEN_STATES, grievance_cases
from project.services.dashboard.windows import WindowCounts, window_counts
from project.services.deadlines import DUE, OVERDUE, running_counts
from project.services.records import LeaveFlag, RetentionFigures, leave_flags, limit_label, retention_figures
from project.services.visibility import visible_to

AGE_BUCKETS = ((0, 30), (31, 60), (61, 90), (91, 180), (181, None))  # days since the complaint was received
# Every figure counts cases, the unit the list it opens shows: a case with two allegations under one clause,
# or two subjects given the same step, counts once. Clause and finding figures cover the cases received in
# the last 12 months: what a supervisor acts on, and a cost that follows a year's intake, not twenty years.
RECENT_MONTHS = 12
NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    filters: dict[str, Any]  # the case-list query string that lists what this figure counts
    series: str = ""  # for a stacked chart: which part of the bar


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    figures: list[Figure]
    empty: str  # what to say when there is nothing to count
    column: str  # what the figures are grouped by, for the table's heading
    series: list[str] = field(default_factory=list)  # stacked charts: the parts, in order

    @property
    def largest(self) -> int:
        return max((figure.count for figure in self.figures), default=0)

    @property
    def total(self) -> int:
        return sum(figure.count for figure in self.figures)


@dataclass(frozen=True)
class Flagged:
    """An employee with several cases in the window (the early-warning pattern internal affairs flags)."""

    employee_number: str
    name: str
    facility: str
    cases: int
    filters: dict[str, Any]


@dataclass(frozen=True)
class Dashboard:
    FLAGGED_SHOWN: ClassVar[int] = 25  # employees listed by name under early warning; any more are counted

    charts: list[Chart]
    flagged: list[Flagged]  # most cases first: the ``FLAGGED_SHOWN`` the page names
    warning_cases: int
    warning_months: int
    leave: list[LeaveFlag] = field(default_factory=list)  # paid leave near, at or over its limit
    leave_limit: int = 15
    retention: RetentionFigures | None = None  # supervisors and labor relations: what a retention run would do
    flagged_count: int = 0  # every employee flagged, named or not

    @property
    def leave_limit_label(self) -> str:
        return limit_label(self.leave_limit)

    @property
    def flagged_shown(self) -> list[Flagged]:
        """The employees the page lists: the ``FLAGGED_SHOWN`` with the most cases (the rest are counted)."""
        return self.flagged[: self.FLAGGED_SHOWN]


def build(
    user: User,
    today: date,
    warning_cases: int = 2,
    warning_months: int = 12,
    leave_limit: tuple[int, int] = (15, 3),
) -> Dashboard:
    """Every figure of the dashboard (``leave_limit``: the paid-leave limit and how many days before it the
    warning comes)."""
    counts = window_counts(
        user, _since(today, RECENT_MONTHS), _since(today, warning_months), warning_cases, Dashboard.FLAGGED_SHOWN
    )
    charts = [
        open_by_state(user),
        open_by_age(user, today),
        deadlines_chart(user, today),
        grievances_chart(user, today),
        allegations_by_clause(user, today, counts),
        findings_by_facility(user, today, counts),
        steps_imposed(user, today.year),
    ]
    return Dashboard(
        charts,
        early_warning(user, today, warning_cases, warning_months, counts),
        warning_cases,
        warning_months,
        leave=leave_flags(visible_to(user), today, *leave_limit),
        leave_limit=leave_limit[0],
        retention=retention_figures(today, user) if user.has_role(Role.SUPERVISOR, Role.LABOR_RELATIONS) else None,
        flagged_count=counts.employees_flagged,
    )


def _all(**filters: Any) -> dict[str, Any]:
    return {"mine": "0", **filters}


def open_by_state(user: User) -> Chart:
    query = select(Case.state, func.count()).where(visible_to(user), Case.state.in_(OPEN_STATES)).group_by(Case.state)
    counts: dict[str, int] = {state: count for state, count in db.session.execute(query)}
    figures = [
        Figure(state.label, int(counts.get(state.value, 0)), _all(state=state.value))
        for state in CaseState
        if state is not CaseState.CLOSED
    ]
    return Chart("state", "Open cases by state", figures, "No open cases.", "State")


def open_by_age(user: User, today: date) -> Chart:
    """Open cases by days since the complaint was received (in local days, as the list's date filter)."""
    age_days = []
    columns = []
    for low, high in AGE_BUCKETS:
        newest = today - timedelta(days=low)
        condition = Case.received_at < clock.local_midnight(newest + timedelta(days=1))
        if high is not None:
            condition = condition & (Case.received_at >= clock.local_midnight(today - timedelta(days=high)))
        columns.append(func.count().filter(condition))
        age_days.append((low, high, newest))
    row = db.session.execute(select(*columns).where(visible_to(user), Case.state.in_(OPEN_STATES))).one()
    figures = []
    for (low, high, newest), count in zip(age_days, row, strict=True):
        filters = _all(open="1", to=newest.isoformat())
        if high is not None:
            filters["from"] = (today - timedelta(days=high)).isoformat()
        label = f"{low} to {high} days" if high is not None else f"over {low - 1} days"
        figures.append(Figure(label, int(count or 0), filters))
    return Chart("age", "Open cases by age (days since received)", figures, "No open cases.", "Age")


def deadlines_chart(user: User, today: date) -> Chart:
    """The cases with a deadline overdue or due soon (the stored running deadlines)."""
    cases = running_counts(visible_to(user), today, distinct_cases=True)
    figures = [
        Figure("Overdue", cases[OVERDUE], _all(deadline=OVERDUE)),
        Figure("Due soon", cases[DUE], _all(deadline=DUE)),
    ]
    return Chart(
        "deadlines",
        "Cases with deadlines (labor relations, investigations)",
        figures,
        "No deadline is running.",
        "Deadline",
    )


def grievances_chart(user: User, today: date) -> Chart:
    """Cases with a grievance open at a step, at arbitration, or under a last-chance agreement in force."""
    kinds = list(GRIEVANCE_FILTERS)
    columns = [func.count().filter(Case.id.in_(grievance_cases(kind, today))) for kind in kinds]
    grieved = select(CaseSubject.case_id).join(Grievance, Grievance.subject_id == CaseSubject.id)
    # only the cases with a grievance are counted: not every case the person may see
    row = db.session.execute(select(*columns).where(visible_to(user), Case.id.in_(grieved))).one()
    labels = {"step": "At a grievance step", "arbitration": "At arbitration", "last_chance": "Last-chance agreements"}
    figures = [
        Figure(labels[kind], int(count or 0), _all(grievance=kind)) for kind, count in zip(kinds, row, strict=True)
    ]
    return Chart("grievances", "Cases with grievances and arbitrations", figures, "No grievance is open.", "Grievance")


def _since(today: date, months: int) -> date:
    return today - timedelta(days=round(months * 365.25 / 12))


def allegations_by_clause(user: User, today: date, counts: WindowCounts | None = None) -> Chart:
    since = _since(today, RECENT_MONTHS)
    counted = (counts or window_counts(user, since, since, 1)).by_clause
    clauses = {
        clause_id: (number, text)
        for clause_id, number, text in db.session.execute(
            select(Clause.id, Clause.number, Clause.text).where(Clause.id.in_(counted))
        )
    }
    ordered = sorted(counted.items(), key=lambda item: (-item[1], clauses[item[0]][0]))
    figures = [
        Figure(
            f"{clauses[clause_id][0]} {_short(clauses[clause_id][1])}",
            count,
            _all(clause=clauses[clause_id][0], **{"from": since.isoformat()}),
        )
        for clause_id, count in ordered
    ]
    return Chart(
        "clause",
        f"Cases by AD 2.26 clause alleged, received since {since.isoformat()}",
        figures,
        "No allegation has been framed in a case received in the last 12 months.",
        "Clause",
    )


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def findings_by_facility(user: User, today: date, counts: WindowCounts | None = None) -> Chart:
    since = _since(today, RECENT_MONTHS)
    counted = (counts or window_counts(user, since, since, 1)).by_finding
    categories = {
        category.id: category
        for category in db.session.scalars(
            select(FindingCategory).where(FindingCategory.id.in_({finding for _, finding in counted}))
        )
    }
    # by facility, the cases with none recorded last, then in the order findings are listed everywhere
    ordered = sorted(
        counted.items(), key=lambda item: (item[0][0] is None, item[0][0] or "", categories[item[0][1]].position)
    )
    series = [c.name for c in sorted(categories.values(), key=lambda c: (c.position, c.name))]
    figures = [
        Figure(
            facility or NOT_RECORDED,
            count,
            _all(facility=facility or NO_FACILITY, finding=categories[finding].code, **{"from": since.isoformat()}),
            categories[finding].name,
        )
        for (facility, finding), count in ordered
    ]
    return Chart(
        "findings",
        f"Cases by facility and finding, received since {since.isoformat()}",
        figures,
        "No finding has been recorded in a case received in the last 12 months.",
        "Facility",
        series,
    )


def steps_imposed(user: User, year: int) -> Chart:
    rows = db.session.execute(
        select(DisciplineStep.code, DisciplineStep.name, DisciplineStep.rank, func.count(distinct(Case.id)))
        .join(LaborAction, LaborAction.imposed_step_id == DisciplineStep.id)
        .join(CaseSubject, CaseSubject.id == LaborAction.subject_id)
        .join(Case, Case.id == CaseSubject.case_id)
        .where(
            visible_to(user),
            LaborAction.effective_on >= date(year, 1, 1),
            LaborAction.effective_on <= date(year, 12, 31),
        )
        .group_by(DisciplineStep.code, DisciplineStep.name, DisciplineStep.rank)
        .order_by(DisciplineStep.rank)
    ).all()
    figures = [Figure(name, int(count), _all(step=code, year=str(year))) for code, name, _, count in rows]
    return Chart(
        "steps",
        f"Cases by discipline step imposed in {year} (by effective date)",
        figures,
        f"No discipline has taken effect in {year}.",
        "Step",
    )


def early_warning(
    user: User, today: date, min_cases: int, months: int, counts: WindowCounts | None = None
) -> list[Flagged]:
    since = _since(today, months)
    counted = (counts or window_counts(user, since, since, min_cases)).by_employee
    ordered = sorted(counted, key=lambda e: (-e.cases, e.last_name, e.employee_number))
    return [
        Flagged(
            e.employee_number,
            f"{e.last_name}, {e.first_name}",
            e.facility or "",
            e.cases,
            _all(employee=e.employee_number, **{"from": since.isoformat()}),
        )
        for e in ordered
    ]

"""The figures of a window of time, counted in one statement: the cases received in the last months, by the
clause alleged, by facility and finding, and by employee (early warning).

Each figure used to read the window on its own: the cases received since a date through their index, then
each case's allegations or subjects, one index probe per case. At 100,000 cases that was about 5,000 cases and
20 to 30 ms a figure on PostgreSQL, three times over (issue 19, item 2). Here the window's cases are read once
and its allegations once, each kept (MATERIALIZED) for the groupings that count them; every count is of
distinct cases, the unit the case list shows.

When every case counts (a supervisor's dashboard), the counts are sums of the days stored by the commits
(``received_days``) instead: at 100,000 cases in the stress mix, a year is 24,000 cases and 43,000 allegations
but 47,000 day rows, read from one index and grouped. Other roles see fewer cases and count them as above.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, String, cast, distinct, func, literal, null, select, union_all

from project import clock
from project.extensions import db
from project.models import Allegation, Case, CaseSubject, Employee, User
from project.services.dashboard import received_days
from project.services.visibility import always_true, visible_to

CLAUSE, FINDING, EMPLOYEE = "clause", "finding", "employee"


@dataclass(frozen=True)
class EmployeeCount:
    employee_number: str
    last_name: str
    first_name: str
    facility: str | None
    cases: int


@dataclass(frozen=True)
class WindowCounts:
    """Cases counted in the window, by what they are counted by."""

    by_clause: dict[int, int] = field(default_factory=dict)  # clause id: cases received since ``recent``
    by_finding: dict[tuple[str | None, int], int] = field(default_factory=dict)  # (facility, finding id): cases
    by_employee: list[EmployeeCount] = field(default_factory=list)  # cases since ``warning``, if enough
    employees_flagged: int = 0  # how many employees have enough (``by_employee`` may hold only the first)


def window_counts(
    user: User, recent: date, warning: date, min_cases: int, employees_named: int | None = None
) -> WindowCounts:
    """The visible cases received since ``recent`` by clause alleged and by facility and finding, and those
    received since ``warning`` by subject employee, for the employees with at least ``min_cases`` of them:
    only the ``employees_named`` with the most (None: all), the others counted. At 100,000 cases 1,290
    employees were read by name for a page that names 25."""
    if always_true(visible_to(user)) and received_days.ensure_stored():
        counted = _from_stored_days(recent, warning, min_cases, employees_named)
    else:
        counted = _from_cases(user, recent, warning, min_cases, employees_named)
    found, flagged_in_all = WindowCounts(), 0
    for kind, key, facility, number, last, first, count, flagged in db.session.execute(counted):
        if kind == CLAUSE:
            found.by_clause[key] = int(count)
        elif kind == FINDING:
            found.by_finding[(facility or None, key)] = int(count)  # the stored days write no facility as ""
        else:
            found.by_employee.append(EmployeeCount(number, last, first, facility, int(count)))
            flagged_in_all = int(flagged)  # the same on every employee's row
    return replace(found, employees_flagged=flagged_in_all)


def _from_stored_days(recent: date, warning: date, min_cases: int, named: int | None) -> Any:
    """The window's counts summed from the stored days (every case counts: a supervisor's dashboard)."""
    text, none = cast(null(), String), cast(null(), Integer)
    clauses = received_days.summed(CLAUSE, recent).subquery()
    findings = received_days.summed(FINDING, recent).subquery()
    subjects = received_days.summed(EMPLOYEE, warning)
    flagged = subjects.having(subjects.selected_columns.cases >= min_cases).subquery()
    employees = _most_cases_first(flagged.c.cases, named).join(flagged, flagged.c.item_id == Employee.id).subquery()
    return union_all(
        select(literal(CLAUSE), clauses.c.item_id, text, text, text, text, clauses.c.cases, none),
        select(literal(FINDING), findings.c.item_id, findings.c.facility, text, text, text, findings.c.cases, none),
        select(*employees.c),
    )


def _from_cases(user: User, recent: date, warning: date, min_cases: int, named: int | None) -> Any:
    """The window's counts read from the cases received in it, their allegations and their subjects."""
    since = {CLAUSE: clock.local_midnight(recent), EMPLOYEE: clock.local_midnight(warning)}
    cases = (
        select(Case.id, Case.facility, Case.received_at)
        .where(visible_to(user), Case.received_at >= min(since.values()))
        .cte("window_cases")
        .prefix_with("MATERIALIZED")
    )
    alleged = (
        select(Allegation.case_id, Allegation.clause_id, Allegation.finding_id, cases.c.facility)
        .join(cases, cases.c.id == Allegation.case_id)
        .where(cases.c.received_at >= since[CLAUSE])
        .cte("window_allegations")
        .prefix_with("MATERIALIZED")
    )
    text = cast(null(), String)  # the columns an allegation's rows leave empty: an employee's names
    none = cast(null(), Integer)  # nor do they count flagged employees
    alleged_cases = func.count(distinct(alleged.c.case_id))
    return union_all(
        select(literal(CLAUSE), alleged.c.clause_id, text, text, text, text, alleged_cases, none)
        .where(alleged.c.clause_id.is_not(None))  # not a related directive cited as a whole
        .group_by(alleged.c.clause_id),
        select(literal(FINDING), alleged.c.finding_id, alleged.c.facility, text, text, text, alleged_cases, none)
        .where(alleged.c.finding_id.is_not(None))
        .group_by(alleged.c.facility, alleged.c.finding_id),
        select(*_flagged_employees(cases, since[EMPLOYEE], min_cases, named).c),
    )


def _flagged_employees(cases: Any, since: datetime, min_cases: int, named: int | None) -> Any:
    """(kind, employee id, facility, number, names, cases, how many are flagged) of the ``named`` employees
    with the most cases since ``since`` (most first, then by name and number as the page orders them; the
    names compared by code point on both engines), among those with at least ``min_cases``. Named here, not
    looked up after: a thousand employees' ids in an IN list cost more than the counting."""
    subjects = func.count(distinct(cases.c.id))
    return (
        _most_cases_first(subjects, named)
        .join(CaseSubject, CaseSubject.employee_id == Employee.id)
        .join(cases, cases.c.id == CaseSubject.case_id)
        .where(cases.c.received_at >= since)
        .group_by(Employee.id)
        .having(subjects >= min_cases)
        .subquery()
    )


def _most_cases_first(cases: Any, named: int | None) -> Any:
    """(kind, employee id, facility, number, names, ``cases``, how many employees are counted before the limit)
    of the ``named`` employees with the most ``cases``, then by name and number as the page orders them: the
    employee arm of both ways of counting the window, given its FROM and its count."""
    return (
        select(
            literal(EMPLOYEE),
            Employee.id,
            Employee.facility,
            Employee.employee_number,
            Employee.last_name,
            Employee.first_name,
            cases,
            func.count().over(),  # the employees flagged, counted before the limit
        )
        .order_by(cases.desc(), _by_code_point(Employee.last_name), _by_code_point(Employee.employee_number))
        .limit(named)
    )


def _by_code_point(column: Any) -> Any:
    """The column ordered as Python orders strings: SQLite's default collation does; PostgreSQL's "C" does."""
    return column if db.engine.dialect.name == "sqlite" else column.collate("C")

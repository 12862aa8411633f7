"""The case list: what a user may see, filtered, searched, sorted and paged in the database.

``visible_to`` is ``permissions.can_view_case`` written as SQL; a test holds the two in step.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, false, func, or_, select, true
from sqlalchemy.orm import selectinload

from project import clock
from project.extensions import db
from project.models import (
    Allegation,
    Case,
    CaseState,
    CaseSubject,
    Clause,
    DisciplineStep,
    Employee,
    FindingCategory,
    LaborAction,
    Note,
    ReportedPost,
    Role,
    User,
    UserRole,
)
from project.permissions import LABOR_STATES
from project.services.deadlines import open_deadlines

PAGE_SIZE = 25
NO_FACILITY = "(none)"  # the facility filter's value for cases with no facility recorded
SORTS = {
    "newest": (Case.created_at.desc(), Case.id.desc()),
    "oldest": (Case.created_at.asc(), Case.id.asc()),
    "number": (Case.number.asc(),),
    "updated": (Case.updated_at.desc(), Case.id.desc()),
}


@dataclass
class CaseFilters:
    state: str = ""
    facility: str = ""
    investigator_id: int | None = None
    clause: str = ""
    finding: str = ""
    received_from: date | None = None
    received_to: date | None = None
    text: str = ""
    sort: str = "newest"
    page: int = 1
    mine: bool = False
    open_only: bool = False  # every state but closed
    employee: str = ""  # a subject's employee number
    imposed_step: str = ""  # a discipline step code labor relations imposed...
    imposed_year: int | None = None  # ...effective in this year
    deadline: str = ""  # "due" (within 7 days) or "overdue"

    def describe(self) -> list[str]:
        """The dashboard's filters in words, for the list's heading."""
        words = []
        if self.open_only:
            words.append("open (not closed)")
        if self.employee:
            words.append(f"about employee {self.employee}")
        if self.imposed_step:
            year = f" in {self.imposed_year}" if self.imposed_year else ""
            words.append(f"step {self.imposed_step} imposed{year}")
        if self.deadline:
            words.append({"due": "a deadline due within 7 days", "overdue": "a deadline overdue"}.get(
                self.deadline, "deadline"))
        return words


@dataclass
class CasePage:
    cases: list[Case]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def visible_to(user: User) -> Any:
    """The SQL condition that ``permissions.can_view_case`` states in Python."""
    allowed: list[Any] = []
    if user.has_role(Role.SUPERVISOR):
        allowed.append(true())
    if user.has_role(Role.LABOR_RELATIONS):
        allowed.append(Case.state.in_([s.value for s in LABOR_STATES]))
    if user.has_role(Role.INVESTIGATOR):
        allowed.append(Case.assigned_investigator_id == user.id)
        allowed.append(and_(Case.state == CaseState.INTAKE.value, Case.assigned_investigator_id.is_(None)))
    condition = or_(*allowed) if allowed else false()
    if user.employee_number:
        about_user = (
            select(CaseSubject.case_id)
            .join(Employee, Employee.id == CaseSubject.employee_id)
            .where(Employee.employee_number == user.employee_number)
        )
        condition = and_(condition, Case.id.not_in(about_user))
    return condition


def _local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.zone()).astimezone(clock.now().tzinfo)


def filtered_query(user: User, filters: CaseFilters) -> Select[Any]:
    query = select(Case).where(visible_to(user))
    if filters.mine:  # my cases, and the intake queue every investigator works from
        query = query.where(or_(
            Case.assigned_investigator_id == user.id,
            and_(Case.state == CaseState.INTAKE.value, Case.assigned_investigator_id.is_(None)),
        ))
    if filters.state:
        query = query.where(Case.state == filters.state)
    if filters.received_from:
        query = query.where(Case.received_at >= _local_midnight_utc(filters.received_from))
    if filters.received_to:
        query = query.where(Case.received_at < _local_midnight_utc(filters.received_to + timedelta(days=1)))
    if filters.text.strip():
        query = query.where(_text_matches(filters.text.strip()))
    return _dashboard_filters(_attribute_filters(query, filters), filters)


def _attribute_filters(query: Select[Any], filters: CaseFilters) -> Select[Any]:
    if filters.facility == NO_FACILITY:
        query = query.where(Case.facility.is_(None))
    elif filters.facility:
        query = query.where(Case.facility == filters.facility)
    if filters.investigator_id:
        query = query.where(Case.assigned_investigator_id == filters.investigator_id)
    if filters.clause:
        query = query.where(
            Case.id.in_(select(Allegation.case_id).join(Clause).where(Clause.number == filters.clause))
        )
    if filters.finding:
        query = query.where(
            Case.id.in_(select(Allegation.case_id).join(FindingCategory).where(FindingCategory.code == filters.finding))
        )
    return query


def _dashboard_filters(query: Select[Any], filters: CaseFilters) -> Select[Any]:
    """The filters the dashboard's figures link to, so each figure opens the cases it counts."""
    if filters.open_only:
        query = query.where(Case.state != CaseState.CLOSED.value)
    if filters.employee:
        query = query.where(Case.id.in_(
            select(CaseSubject.case_id).join(Employee).where(Employee.employee_number == filters.employee)))
    if filters.imposed_step:
        imposed = (select(CaseSubject.case_id).join(LaborAction, LaborAction.subject_id == CaseSubject.id)
                   .join(DisciplineStep, DisciplineStep.id == LaborAction.imposed_step_id)
                   .where(DisciplineStep.code == filters.imposed_step))
        if filters.imposed_year:
            imposed = imposed.where(LaborAction.effective_on >= date(filters.imposed_year, 1, 1),
                                    LaborAction.effective_on <= date(filters.imposed_year, 12, 31))
        query = query.where(Case.id.in_(imposed))
    if filters.deadline in ("due", "overdue"):
        ids = {d.case.id for d in open_deadlines(clock.local_today()) if d.status == filters.deadline}
        query = query.where(Case.id.in_(ids or [-1]))
    return query


def _text_matches(text: str) -> Any:
    """Case number, title, narrative, the text of its posts and of its notes contain the words."""
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

    def like(column: Any) -> Any:
        return func.lower(column).like(pattern, escape="\\")

    return or_(
        like(Case.number),
        like(Case.title),
        like(Case.narrative),
        Case.id.in_(
            select(ReportedPost.case_id).where(or_(like(ReportedPost.text), like(ReportedPost.account_handle)))
        ),
        Case.id.in_(select(Note.case_id).where(like(Note.body))),
    )


def list_cases(user: User, filters: CaseFilters) -> CasePage:
    page = max(filters.page, 1)
    query = (
        filtered_query(user, filters)
        .order_by(*SORTS.get(filters.sort, SORTS["newest"]))
        .options(
            selectinload(Case.assigned_investigator),
            selectinload(Case.subjects).selectinload(CaseSubject.employee),
        )
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    )
    rows: list[Case] = list(db.session.scalars(query))
    return CasePage(cases=rows[:PAGE_SIZE], page=page, has_next=len(rows) > PAGE_SIZE)


def facilities() -> list[str]:
    return [f for f in db.session.scalars(select(Case.facility).distinct().order_by(Case.facility)) if f]


def investigators() -> list[User]:
    return list(
        db.session.scalars(
            select(User).join(UserRole).where(UserRole.role == Role.INVESTIGATOR.value).order_by(User.name)
        )
    )


def count_cases(user: User, **conditions: Any) -> int:
    """How many cases the user may see that are in ``state`` (and, with ``mine``, assigned to them)."""
    query = select(func.count()).select_from(Case).where(visible_to(user))
    if "state" in conditions:
        query = query.where(Case.state == conditions["state"])
    if conditions.get("mine"):
        query = query.where(Case.assigned_investigator_id == user.id)
    if conditions.get("unassigned"):
        query = query.where(Case.assigned_investigator_id.is_(None))
    return int(db.session.scalar(query) or 0)

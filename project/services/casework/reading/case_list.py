"""The case list: what a user may see (``visibility.visible_to``), filtered, searched, sorted and paged by
keyset in the database."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from project import clock
from project.extensions import db
from project.models import (
    Agreement,
    AgreementKind,
    Allegation,
    Case,
    CaseState,
    CaseSubject,
    Clause,
    DisciplineStep,
    Employee,
    FindingCategory,
    Grievance,
    GrievanceState,
    LaborAction,
    Role,
    User,
    UserRole,
)
from project.services import deadlines, roster, search
from project.services.casework.reading import keyset
from project.services.casework.reading.keyset import Key
from project.services.visibility import visible_to

PAGE_SIZE = 25
# every state but closed, named: an IN list the state index serves ("not closed" would read every case)
OPEN_STATES = [state.value for state in CaseState if state is not CaseState.CLOSED]
NO_FACILITY = "(none)"  # the facility filter's value for cases with no facility recorded
SORT_KEYS: dict[str, tuple[Key, ...]] = {
    "newest": (Key(Case.created_at, True, datetime), Key(Case.id, True)),
    "oldest": (Key(Case.created_at, False, datetime), Key(Case.id, False)),
    "number": (Key(Case.number, False, str),),
    "updated": (Key(Case.updated_at, True, datetime), Key(Case.id, True)),
    "relevance": (Key(Case.created_at, True, datetime), Key(Case.id, True)),  # ranked when there are words
}
SORTS = {name: tuple(keyset.order_by(keys)) for name, keys in SORT_KEYS.items()}


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
    page: int = 1  # which page this is, for the heading; where it starts is ``after``
    after: str = ""  # keyset token: the sort key of the last case on the page before
    mine: bool = False
    open_only: bool = False  # every state but closed
    employee: str = ""  # a subject's employee number, or words of their name or facility
    imposed_step: str = ""  # a discipline step code labor relations imposed...
    imposed_year: int | None = None  # ...effective in this year
    deadline: str = ""  # "due" (soon: within the rule's warning days) or "overdue"
    grievance: str = ""  # "step" (a grievance open at a step), "arbitration", or "last_chance" (in force)

    def describe(self) -> list[str]:
        """The dashboard's filters the form does not show, in words, for the list's heading."""
        words = []
        if self.open_only:
            words.append("open (not closed)")
        if self.imposed_step:
            year = f" in {self.imposed_year}" if self.imposed_year else ""
            words.append(f"step {self.imposed_step} imposed{year}")
        if self.deadline:
            words.append({"due": "a deadline due soon", "overdue": "a deadline overdue"}.get(self.deadline, "deadline"))
        if self.grievance in GRIEVANCE_FILTERS:
            words.append(GRIEVANCE_FILTERS[self.grievance])
        return words


@dataclass
class CasePage:
    cases: list[Case]
    page: int
    has_next: bool
    next_after: str = ""  # the token that starts the next page
    searched_newest: int | None = None  # more documents held the words: only this many, the newest, were ranked
    scope: search.Scope | None = None  # the search the page ran, for its count to reuse
    matched: int | None = None  # how many cases the search ranked, when the page was cut from its ranks

    @property
    def has_previous(self) -> bool:
        return self.page > 1


FIRST_YEAR, LAST_YEAR = 1900, 2200  # dates outside these are typing mistakes, and overflow date arithmetic
LARGEST_ID = 2**31 - 1


def within_bounds(filters: CaseFilters) -> CaseFilters:
    """The filters with every value a query can take: numbers an id column holds, years and dates in range,
    no NUL (PostgreSQL refuses it in text). Out of range is ignored, as malformed is; never an error."""

    def text(value: str, limit: int = 200) -> str:
        return value.replace("\x00", "")[:limit]

    def day(value: date | None) -> date | None:
        return value if value is not None and FIRST_YEAR <= value.year <= LAST_YEAR else None

    investigator = filters.investigator_id
    year = filters.imposed_year
    return replace(
        filters,
        state=text(filters.state, 32),
        facility=text(filters.facility, 120),
        investigator_id=investigator if investigator is not None and 0 < investigator <= LARGEST_ID else None,
        clause=text(filters.clause, 32),
        finding=text(filters.finding, 32),
        received_from=day(filters.received_from),
        received_to=day(filters.received_to),
        text=text(filters.text),
        employee=text(filters.employee, 100),
        imposed_step=text(filters.imposed_step, 32),
        imposed_year=year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else None,
        after=text(filters.after, 512),
        deadline=text(filters.deadline, 16),
        grievance=text(filters.grievance, 16),
        page=min(max(filters.page, 1), 100_000),
    )


def list_search(user: User, filters: CaseFilters) -> search.Scope | None:
    """The search of the list's words among the cases its other filters select (None: no words). The filters
    narrow the search before the newest matches are ranked, so narrowing reaches older cases."""
    filters = within_bounds(filters)
    return search.scope_of(filters.text, _without_words(user, filters).whereclause)


def filtered_query(
    user: User, filters: CaseFilters, found: search.Scope | None = None, every_match: bool = False
) -> Select[Any]:
    """The cases the filters select: ``found`` is the list's search (``list_search``; searched here when not
    given). ``every_match``: every case holding the words (an export), not only those of the newest matches."""
    filters = within_bounds(filters)
    query = _without_words(user, filters)
    found = found if found is not None else list_search(user, filters)
    if found is not None:
        query = query.where(Case.id.in_(search.matching_case_ids(found, every_match)))
    return query


def _without_words(user: User, filters: CaseFilters) -> Select[Any]:
    query = select(Case).where(visible_to(user))
    if filters.mine:  # my cases, and the intake queue every investigator works from
        query = query.where(
            or_(
                Case.assigned_investigator_id == user.id,
                and_(Case.state == CaseState.INTAKE.value, Case.assigned_investigator_id.is_(None)),
            )
        )
    if filters.state:
        query = query.where(Case.state == filters.state)
    if filters.received_from:
        query = query.where(Case.received_at >= clock.local_midnight(filters.received_from))
    if filters.received_to:
        query = query.where(Case.received_at < clock.local_midnight(filters.received_to + timedelta(days=1)))
    return _dashboard_filters(_attribute_filters(query, filters), filters)


def _attribute_filters(query: Select[Any], filters: CaseFilters) -> Select[Any]:
    if filters.facility == NO_FACILITY:
        query = query.where(Case.facility.is_(None))
    elif filters.facility:
        query = query.where(Case.facility == filters.facility)
    if filters.investigator_id:
        query = query.where(Case.assigned_investigator_id == filters.investigator_id)
    if filters.clause:
        query = query.where(Case.id.in_(select(Allegation.case_id).join(Clause).where(Clause.number == filters.clause)))
    if filters.finding:
        query = query.where(
            Case.id.in_(select(Allegation.case_id).join(FindingCategory).where(FindingCategory.code == filters.finding))
        )
    return query


def _dashboard_filters(query: Select[Any], filters: CaseFilters) -> Select[Any]:
    """The filters the dashboard's figures link to, so each figure opens the cases it counts."""
    if filters.open_only:
        query = query.where(Case.state.in_(OPEN_STATES))
    if filters.employee:
        query = query.where(
            Case.id.in_(select(CaseSubject.case_id).join(Employee).where(roster.employee_filter(filters.employee)))
        )
    if filters.imposed_step:
        imposed = (
            select(CaseSubject.case_id)
            .join(LaborAction, LaborAction.subject_id == CaseSubject.id)
            .join(DisciplineStep, DisciplineStep.id == LaborAction.imposed_step_id)
            .where(DisciplineStep.code == filters.imposed_step)
        )
        if filters.imposed_year:
            imposed = imposed.where(
                LaborAction.effective_on >= date(filters.imposed_year, 1, 1),
                LaborAction.effective_on <= date(filters.imposed_year, 12, 31),
            )
        query = query.where(Case.id.in_(imposed))
    if filters.deadline in ("due", "overdue"):
        query = query.where(deadlines.cases_with(filters.deadline, clock.local_today()))
    if filters.grievance in GRIEVANCE_FILTERS:
        query = query.where(Case.id.in_(grievance_cases(filters.grievance, clock.local_today())))
    return query


GRIEVANCE_FILTERS = {
    "step": "a grievance open at a step",
    "arbitration": "a grievance at arbitration",
    "last_chance": "a last-chance agreement in force",
}


def grievance_cases(kind: str, today: date) -> Select[Any]:
    """The ids of the cases with a grievance open at a step, at arbitration, or a last-chance agreement in
    force today (what the dashboard's grievance figures count)."""
    query = select(CaseSubject.case_id).join(Grievance, Grievance.subject_id == CaseSubject.id)
    if kind == "last_chance":
        return query.join(Agreement, Agreement.grievance_id == Grievance.id).where(
            Agreement.kind == AgreementKind.LAST_CHANCE.value,
            Agreement.signed_on <= today,
            or_(Agreement.expires_on.is_(None), Agreement.expires_on >= today),
        )
    state = GrievanceState.ARBITRATION if kind == "arbitration" else GrievanceState.OPEN
    return query.where(Grievance.state == state.value)


def list_cases(user: User, filters: CaseFilters) -> CasePage:
    """One page of the list, found by keyset (no OFFSET, no count of the whole list)."""
    filters = within_bounds(filters)
    found = list_search(user, filters)
    keys = SORT_KEYS.get(filters.sort, SORT_KEYS["newest"])
    counted: tuple[Any, ...] = ()
    if found is not None and filters.sort == "relevance":  # the ranks restrict the list to the matches
        ranks = search.case_ranks(found)
        query = _without_words(user, filters).join(ranks, ranks.c.case_id == Case.id)
        # keyed on the ranks' own columns: the page is cut from the ranks before any case is read
        keys = (Key(ranks.c.rank, False, float), Key(ranks.c.case_id, True))
        counted = (ranks.c.matched,)  # every rank counted before the page is cut: the list's count
    else:
        query = filtered_query(user, filters, found)
    start = keyset.read_token(keys, filters.after)
    if start is not None:
        query = query.where(keyset.after(keys, start))
    query = query.order_by(*keyset.order_by(keys)).options(
        selectinload(Case.assigned_investigator),
        selectinload(Case.subjects).selectinload(CaseSubject.employee),
    )
    # the key values ride along with each case (the rank is the search's, not a column of the case)
    columns = (*(key.column for key in keys), *counted)
    rows = db.session.execute(query.add_columns(*columns).limit(PAGE_SIZE + 1)).all()
    has_next = len(rows) > PAGE_SIZE
    page = max(filters.page, 1) if start is not None else 1
    return CasePage(
        cases=[row[0] for row in rows[:PAGE_SIZE]],
        page=page,
        has_next=has_next,
        next_after=keyset.token(list(rows[PAGE_SIZE - 1][1 : 1 + len(keys)])) if has_next else "",
        searched_newest=found.only_newest_ranked() if found is not None else None,
        scope=found,
        matched=int(rows[0][-1]) if counted and rows else None,
    )


def facilities(user: User) -> list[str]:
    """The facilities named on the cases ``user`` may see (a facility typed into a case they cannot open is
    not theirs to learn), found by skipping through the facility index (one probe per facility) instead of
    reading every case, as DISTINCT would on PostgreSQL."""
    visible = visible_to(user)
    found = select(func.min(Case.facility).label("facility")).where(visible).cte("facilities", recursive=True)
    following = select(func.min(Case.facility)).where(visible, Case.facility > found.c.facility).scalar_subquery()
    found = found.union_all(select(following).where(found.c.facility.is_not(None)))
    return [f for f in db.session.scalars(select(found.c.facility)) if f]


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

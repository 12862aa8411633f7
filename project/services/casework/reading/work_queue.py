"""What is waiting for each person: the counts on their home page, each linking to the list it counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from project import clock
from project.models import CaseState, Role, User
from project.services import deadlines
from project.services.casework.reading.case_list import count_cases
from project.services.visibility import visible_to


@dataclass(frozen=True)
class QueueItem:
    label: str
    count: int
    endpoint: str
    args: dict[str, Any]


def _item(count: int, singular: str, plural: str, endpoint: str, args: dict[str, Any]) -> QueueItem:
    """A count and what it counts, in the singular for one ("1 case waiting for review")."""
    return QueueItem(singular if count == 1 else plural, count, endpoint, args)


def work_queue(user: User, clocks: list[deadlines.Clock] | None = None) -> list[QueueItem]:
    """The counts of what waits for this person (``clocks``: the running deadline clocks they may see, if
    already worked out for the same page)."""
    items: list[QueueItem] = []
    if user.has_role(Role.INVESTIGATOR):
        items.append(
            _item(
                count_cases(user, state=CaseState.OPEN.value, mine=True),
                "open case assigned to you",
                "open cases assigned to you",
                "cases.index",
                {"state": "open", "mine": "1"},
            )
        )
        items.append(
            _item(
                count_cases(user, state=CaseState.INTAKE.value, unassigned=True),
                "complaint in the intake queue",
                "complaints in the intake queue",
                "cases.index",
                {"state": "intake", "mine": "1"},
            )
        )
    if user.has_role(Role.SUPERVISOR):
        items.append(
            _item(
                count_cases(user, state=CaseState.IN_REVIEW.value),
                "case waiting for review",
                "cases waiting for review",
                "cases.index",
                {"state": "in_review", "mine": "0"},
            )
        )
        items.append(
            _item(
                count_cases(user, state=CaseState.INTAKE.value, unassigned=True),
                "complaint to assign",
                "complaints to assign",
                "cases.index",
                {"state": "intake", "mine": "0"},
            )
        )
    if user.has_role(Role.LABOR_RELATIONS, Role.SUPERVISOR):
        today = clock.local_today()
        if clocks is None and deadlines.ensure_stored():
            counted = deadlines.stored_counts(visible_to(user), today, distinct_cases=False)
        else:
            running = clocks if clocks is not None else deadlines.open_clocks(today, cases=visible_to(user))
            counted = {status: sum(1 for d in running if d.status == status) for status in ("overdue", "due")}
        overdue, due = counted["overdue"], counted["due"]
        items.append(_item(overdue, "deadline overdue", "deadlines overdue", "labor.index", {}))
        items.append(_item(due, "deadline due soon", "deadlines due soon", "labor.index", {}))
    if user.has_role(Role.LABOR_RELATIONS):
        items.append(
            _item(
                count_cases(user, state=CaseState.APPROVED.value),
                "approved case to process",
                "approved cases to process",
                "cases.index",
                {"state": "approved", "mine": "0"},
            )
        )
    return items

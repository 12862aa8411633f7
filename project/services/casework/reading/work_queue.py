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


def work_queue(user: User) -> list[QueueItem]:
    """The counts of what waits for this person."""
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
        counted = deadlines.running_counts(visible_to(user), clock.local_today(), distinct_cases=False)
        overdue, due = counted[deadlines.OVERDUE], counted[deadlines.DUE]
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

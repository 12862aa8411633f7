"""What is waiting for each person: the counts on their home page, each linking to the list it counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from project import clock
from project.models import CaseState, Role, User
from project.services import deadlines
from project.services.casework.case_list import count_cases
from project.services.visibility import visible_to


@dataclass(frozen=True)
class QueueItem:
    label: str
    count: int
    endpoint: str
    args: dict[str, Any]


def work_queue(user: User, clocks: list[deadlines.Clock] | None = None) -> list[QueueItem]:
    """The counts of what waits for this person (``clocks``: the running deadline clocks they may see, if
    already worked out for the same page)."""
    items: list[QueueItem] = []
    if user.has_role(Role.INVESTIGATOR):
        items.append(
            QueueItem(
                "open cases assigned to you",
                count_cases(user, state=CaseState.OPEN.value, mine=True),
                "cases.index",
                {"state": "open", "mine": "1"},
            )
        )
        items.append(
            QueueItem(
                "complaints in the intake queue",
                count_cases(user, state=CaseState.INTAKE.value, unassigned=True),
                "cases.index",
                {"state": "intake", "mine": "1"},
            )
        )
    if user.has_role(Role.SUPERVISOR):
        items.append(
            QueueItem(
                "cases waiting for review",
                count_cases(user, state=CaseState.IN_REVIEW.value),
                "cases.index",
                {"state": "in_review", "mine": "0"},
            )
        )
        items.append(
            QueueItem(
                "complaints to assign",
                count_cases(user, state=CaseState.INTAKE.value, unassigned=True),
                "cases.index",
                {"state": "intake", "mine": "0"},
            )
        )
    if user.has_role(Role.LABOR_RELATIONS, Role.SUPERVISOR):
        if clocks is None:
            clocks = deadlines.open_clocks(clock.local_today(), cases=visible_to(user))
        items.append(QueueItem("deadlines overdue", sum(1 for d in clocks if d.status == "overdue"), "labor.index", {}))
        items.append(QueueItem("deadlines due soon", sum(1 for d in clocks if d.status == "due"), "labor.index", {}))
    if user.has_role(Role.LABOR_RELATIONS):
        items.append(
            QueueItem(
                "approved cases to process",
                count_cases(user, state=CaseState.APPROVED.value),
                "cases.index",
                {"state": "approved", "mine": "0"},
            )
        )
    return items

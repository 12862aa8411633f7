"""Where a case stands, in words: its state, the move that brought it there (who and when), and what
happens next and who does it. The case page shows it under the title, and a page refused because the case
has moved on (Back to a submit form already sent, say) says it instead of "not permitted"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import Case, CaseState, CaseTransition, Role
from project.services.casework.review.life_cycle import MOVES

S = CaseState
NEXT_STEP = {
    S.INTAKE: (
        "Next: a supervisor assigns an investigator, who is told in their inbox. By a department setting, the "
        "investigator who logged it does not take it."
    ),
    S.OPEN: "Next: {investigator} investigates and submits it for review.",
    S.IN_REVIEW: "Next: a supervisor who did not investigate it approves it, returns it or closes it.",
    S.APPROVED: "Next: labor relations starts discipline processing.",
    S.DISCIPLINE: (
        "Next: labor relations holds the pre-disciplinary meeting, issues the notice and records the discipline; "
        "then labor relations or a supervisor closes the case."
    ),
    S.CLOSED: "Nothing more happens unless a supervisor reopens it, with a reason.",
}
INTAKE_SELF_ASSIGN_STEP = (
    "Next: the investigator who logged it may take it (a department setting allows this), or a supervisor "
    "assigns an investigator, who is told in their inbox."
)


def next_step(state: CaseState) -> str:
    if state is S.INTAKE and permissions.intake_self_assign():
        return INTAKE_SELF_ASSIGN_STEP
    return NEXT_STEP[state]


def after_intake(user: Any) -> str:
    """What the flash says after a complaint is logged: who assigns it, and what happens next. From the
    user's roles and the department setting alone (the response makes no query after the commit)."""
    if user.has_role(Role.SUPERVISOR):
        return "Next: assign an investigator from its page."
    if permissions.intake_self_assign():
        return (
            'You may take it yourself with "Take this case" on its page (a department setting), or leave it '
            "for a supervisor to assign."
        )
    return (
        "A supervisor assigns an investigator next (a department setting: the investigator who logs a complaint "
        "does not take it). If it is assigned to you, your inbox tells you; until then it waits in intake."
    )


MOVE_WORDS = {"logged": "logged", **{action: words for action, (_, _, words) in MOVES.items()}}


@dataclass(frozen=True)
class StateStory:
    state: str  # the state's label: "In review"
    last_move: str  # "submitted for review on 2026-03-02 14:30 EST by Ivy Investigator", or ""
    next_step: str

    @property
    def line(self) -> str:
        """For the case page: "Submitted for review on ... by Ivy Investigator. Next: a supervisor ..."."""
        moved = f"{self.last_move[:1].upper()}{self.last_move[1:]}. " if self.last_move else ""
        return f"{moved}{self.next_step}"

    def sentence(self, number: str) -> str:
        moved = f": {self.last_move}" if self.last_move else ""
        return f"{number} is {self.state.lower()}{moved}. {self.next_step}"


def state_story(case: Case, transitions: list[CaseTransition] | None = None) -> StateStory:
    """``transitions``: the case's, when the caller has read them (the latest is the last to have occurred)."""
    state = CaseState(case.state)
    if transitions is not None:
        last = max(transitions, key=lambda t: (t.occurred_at, t.id), default=None)
    else:
        last = db.session.scalars(
            select(CaseTransition)
            .where(CaseTransition.case_id == case.id)
            .order_by(CaseTransition.occurred_at.desc(), CaseTransition.id.desc())
            .limit(1)
        ).first()
    moved = ""
    if last is not None:
        when = last.occurred_at.astimezone(clock.zone()).strftime("%Y-%m-%d %H:%M %Z")
        what = MOVE_WORDS.get(last.action, last.action.replace("_", " "))
        to = f" to {last.assignee.name}" if last.assignee is not None else ""
        moved = f"{what}{to} on {when} by {last.actor.name}"
    investigator = case.assigned_investigator.name if case.assigned_investigator else "the assigned investigator"
    return StateStory(state.label, moved, next_step(state).format(investigator=investigator))

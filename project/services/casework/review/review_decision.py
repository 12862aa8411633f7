"""A supervisor's decision at review, by its name on the review form: checked first (for the confirmation
step, which shows only a decision the server would accept), then recorded."""

from __future__ import annotations

from project.models import Case
from project.services.audit import Actor
from project.services.casework.review import life_cycle
from project.services.errors import InvalidInput

CLOSES = ("closed_no_violation", "closed_by_exception")
DECISION_NAMES = ("approved", "approved_with_modification", "returned", *CLOSES)


def _known(decision: str) -> str:
    if decision not in DECISION_NAMES:
        raise InvalidInput({"decision": "Choose a decision."})
    return decision


def check_review_decision(case: Case, actor: Actor, decision: str, reasons: str, speech_override: str = "") -> None:
    """Raise what recording ``decision`` would raise (not permitted, a missing reason), and change nothing."""
    if _known(decision) == "returned":
        life_cycle.check_return(case, actor, reasons)
    elif decision in CLOSES:
        life_cycle.check_close_without_discipline(case, actor, reasons, by_exception=decision == "closed_by_exception")
    else:
        life_cycle.check_approval(
            case, actor, reasons, modified=decision == "approved_with_modification", speech_override=speech_override
        )


def record_review_decision(case: Case, actor: Actor, decision: str, reasons: str, speech_override: str = "") -> None:
    if _known(decision) == "returned":
        life_cycle.return_to_investigator(case, actor, reasons)
    elif decision in CLOSES:
        life_cycle.close_without_discipline(case, actor, reasons, by_exception=decision == "closed_by_exception")
    else:
        life_cycle.approve_outcome(
            case, actor, reasons, modified=decision == "approved_with_modification", speech_override=speech_override
        )

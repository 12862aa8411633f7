"""What an approval needs beyond the supervisor's decision: the seven tests of just cause answered for every
subject with a sustained finding and discipline, and a written override for a sustained 5.b finding that the
protected-speech screen found to be on a matter of public concern with no disruption (C.G.S. 31-51q)."""

from __future__ import annotations

from sqlalchemy import select

from project.extensions import db
from project.models import Allegation, Case, Review
from project.services.casework.findings.speech_rules import overrides_needed
from project.services.casework.review.just_cause import current_just_cause, needs_just_cause
from project.services.errors import InvalidInput

MAX_OVERRIDE = 5_000


def check_approval_conditions(case: Case, speech_override: str) -> str | None:
    """The override to record (None when none is needed); refused, saying what is missing."""
    missing = [
        s.employee.display_name
        for s in case.subjects
        if needs_just_cause(case, s) and current_just_cause(case, s) is None
    ]
    if missing:
        raise InvalidInput(
            {
                "just_cause": "Answer the seven tests of just cause for "
                + " and ".join(missing)
                + " before approving: a sustained finding with discipline needs them."
            }
        )
    allegations = list(db.session.scalars(select(Allegation).where(Allegation.case_id == case.id)))
    needed = overrides_needed(allegations)
    if not needed:
        return None
    override = speech_override.strip()
    if not override:
        cited = ", ".join(f"{a.citation} against {a.subject.employee.display_name}" for a in needed)
        raise InvalidInput(
            {
                "speech_override": f"The protected-speech screen of {cited} found a matter of public concern and "
                "no disruption (C.G.S. 31-51q): approving the sustained finding needs your written override."
            }
        )
    if len(override) > MAX_OVERRIDE:
        raise InvalidInput({"speech_override": f"The override is at most {MAX_OVERRIDE:,} characters."})
    return override


def attach_to_approval(case: Case, review: Review, speech_override: str | None) -> None:
    """In the approval's transaction: record the override on it, and the just-cause answers it relied on."""
    review.speech_override = speech_override
    for subject in case.subjects:
        assessment = current_just_cause(case, subject)
        if assessment is not None:
            assessment.approval_id = review.id

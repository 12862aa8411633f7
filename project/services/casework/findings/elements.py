"""A finding answers every element of the clause it cites: met or not, with a note. A finding that supports
discipline needs every element met, and an element that depends on a fact the post records as false
cannot be met."""

from __future__ import annotations

from dataclasses import dataclass

from project.models import Allegation, AllegationElementFinding, ClauseElement, FindingCategory
from project.services.errors import InvalidInput

# how the refusal names a post fact recorded as false
POST_FACT_FALSE = {
    "identified_as_doc": "as not identifying the poster as DOC personnel",
    "on_duty": "as not made on duty",
    "doc_insignia": "as showing no DOC images or insignia",
}
MAX_NOTE = 2_000


@dataclass(frozen=True)
class ElementAnswer:
    """One element as the finding form answers it: met (True), not met (False) or unanswered (None)."""

    element_id: int
    met: bool | None
    note: str = ""


def check_answers(
    allegation: Allegation, finding: FindingCategory | None, given: tuple[ElementAnswer, ...]
) -> dict[ClauseElement, ElementAnswer]:
    """The answers by element, checked against the finding; refused with the reason when they do not hold."""
    elements = list(allegation.clause.elements) if allegation.clause is not None else []
    by_id = {e.id: e for e in elements}
    answered = {a.element_id: a for a in given if a.met is not None}
    if any(element_id not in by_id for element_id in answered):
        raise InvalidInput({"elements": "Answer only the elements of the clause this allegation cites."})
    if any(len(a.note) > MAX_NOTE for a in given):
        raise InvalidInput({"elements": f"An element's note is at most {MAX_NOTE:,} characters."})
    number = allegation.clause.number if allegation.clause is not None else ""
    post = allegation.post
    for element in elements:
        answer = answered.get(element.id)
        fact = element.post_fact
        if answer is not None and answer.met and fact and post is not None and getattr(post, fact) is False:
            raise InvalidInput(
                {
                    "elements": f"The post is recorded {POST_FACT_FALSE[fact]}; {number} requires it. "
                    "Correct the post's facts first if that is wrong."
                }
            )
    if finding is None:
        return {by_id[i]: a for i, a in answered.items()}
    missing = [e for e in elements if e.id not in answered]
    if missing:
        raise InvalidInput(
            {"elements": f"Answer every element of {number}, met or not met: {'; '.join(e.text for e in missing)}"}
        )
    unmet = [e for e in elements if not answered[e.id].met]
    if finding.supports_discipline and unmet:
        raise InvalidInput(
            {
                "elements": f"A {finding.name.lower()} finding needs every element of {number} met; not met: "
                + "; ".join(e.text for e in unmet)
            }
        )
    return {by_id[i]: a for i, a in answered.items()}


def save_answers(allegation: Allegation, answers: dict[ClauseElement, ElementAnswer]) -> dict[str, bool]:
    """Write the answers onto the allegation (those not given stay as they were); the codes answered, for the audit."""
    current = {f.element_id: f for f in allegation.element_findings}
    for element, answer in answers.items():
        assert answer.met is not None
        row = current.get(element.id)
        if row is None:
            allegation.element_findings.append(
                AllegationElementFinding(element_id=element.id, met=answer.met, note=answer.note.strip())
            )
        else:
            row.met, row.note = answer.met, answer.note.strip()
    return element_codes(allegation)


def element_codes(allegation: Allegation) -> dict[str, bool]:
    codes = {e.id: e.code for e in allegation.clause.elements} if allegation.clause is not None else {}
    return {codes[f.element_id]: f.met for f in allegation.element_findings if f.element_id in codes}


def element_problem(allegation: Allegation) -> str | None:
    """Why the allegation's recorded finding no longer stands on its elements (answers missing, say from before
    elements were recorded, or a post fact corrected since), in the investigator's words; None when it does."""
    if allegation.finding is None or allegation.clause is None:
        return None
    answers = {f.element_id: f.met for f in allegation.element_findings}
    number = allegation.clause.number
    if any(e.id not in answers for e in allegation.clause.elements):
        return f"The finding under {allegation.citation} does not answer every element of {number}."
    post = allegation.post
    for element in allegation.clause.elements:
        fact = element.post_fact
        if answers[element.id] and fact and post is not None and getattr(post, fact) is False:
            return (
                f"The finding under {allegation.citation} meets an element the post is now recorded "
                f"{POST_FACT_FALSE[fact]}; correct the finding or the post."
            )
    if allegation.finding.supports_discipline and not all(answers.values()):
        return (
            f"The finding under {allegation.citation} is {allegation.finding.name} with an element of {number} not met."
        )
    return None

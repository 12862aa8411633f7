"""What a letter must say that its editable wording cannot change: the facts of each charge (the post's date,
platform, account and summary), the rebuttal statement (C.G.S. 31-128e), the directive's title from the
catalogue, and the rule that a letter never cites the case file's internal note numbers."""

from __future__ import annotations

import re

from project.models import Allegation
from project.services import casework, catalogue
from project.services.casework import ChargeFacts

# C.G.S. 31-128e, stated in every notice of discipline; filled into {rebuttal_statement}, never editable.
REBUTTAL_STATEMENT = (
    "Under section 31-128e of the Connecticut General Statutes, if you disagree with information in your "
    "personnel file, including this notice, you may submit a written statement explaining your position. "
    "Your statement will be kept in your personnel file with the information you dispute."
)

# "Note 3", "note #3", "Notes 3 and 4", "Note no. 3": the case file numbers its notes for the people who
# work the case; a letter to the employee cannot cite them (the employee never sees that numbering).
NOTE_REFERENCE = re.compile(
    r"\b(?:case\s+)?notes?\s*(?:no\.?\s*|number\s*|#\s*)?\d+"
    r"(?:\s*(?:,|and|&|-|to)\s*(?:notes?\s*)?#?\d+)*\b",
    re.IGNORECASE,
)
NOTE_REPLACEMENT = "the investigation record"


def without_note_references(text: str) -> str:
    """The text with every internal note reference replaced by "the investigation record"."""
    return NOTE_REFERENCE.sub(NOTE_REPLACEMENT, text)


def directive_title(allegation: Allegation | None = None) -> str:
    """``Administrative Directive 2.26, Social Media``: the charged clause's directive, from the catalogue."""
    directive = casework.charged_directive(allegation) if allegation is not None else None
    directive = directive or catalogue.directive_by_number("2.26")
    if directive is None:
        return "Administrative Directive 2.26"
    return f"Administrative Directive {directive.number}, {directive.title}"


def post_line(facts: ChargeFacts) -> str:
    """``Post: Facebook, @co_pat, February 27, 2026: "Look at these keys lol"`` (from ``casework.charge_facts``)."""
    if not facts.platform:
        return "Post: no reported post is recorded for this charge"
    when = f"{facts.post_date:%B} {facts.post_date.day}, {facts.post_date.year}" if facts.post_date else "date unknown"
    who = f", {facts.account_handle}" if facts.account_handle else ""
    summary = f': "{facts.summary}"' if facts.summary else ""
    return f"Post: {facts.platform or 'platform not recorded'}{who}, {when}{summary}"

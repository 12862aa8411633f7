"""Labor relations: the actions recorded after approval, the letters and their wording.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.labor.actions import LaborRecordInput, labor_action_of, record_labor_action
from project.services.labor.bargaining_units import GrievanceProcedure, GrievanceStepRule, UnitRights, rights_of
from project.services.labor.due_process import appointing_authorities
from project.services.labor.letters import (
    LetterOrder,
    LetterTampered,
    download_letter,
    download_name,
    kinds,
    letter_bytes,
    letter_of,
    letter_path,
    letters_of,
    print_letter,
    render_pdf,
)
from project.services.labor.notice_content import REBUTTAL_STATEMENT, without_note_references

__all__ = [
    "GrievanceProcedure",
    "GrievanceStepRule",
    "REBUTTAL_STATEMENT",
    "LaborRecordInput",
    "LetterOrder",
    "LetterTampered",
    "download_letter",
    "download_name",
    "kinds",
    "labor_action_of",
    "letter_bytes",
    "letter_of",
    "letter_path",
    "letters_of",
    "print_letter",
    "record_labor_action",
    "render_pdf",
    "rights_of",
    "UnitRights",
    "appointing_authorities",
    "without_note_references",
]

"""Case work: cases and their records (posts, subjects, notes, allegations), the life cycle from
intake to closing, the case file, the list, the work queue and the export.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.casework.allegations import (
    AllegationInput,
    FindingInput,
    allegation_of_case,
    citable_clauses,
    citable_directives,
    finding_categories,
    frame_allegation,
    record_finding,
)
from project.services.casework.case_export import export_csv
from project.services.casework.case_file import CaseFile, case_file, timeline, transitions
from project.services.casework.case_list import (
    NO_FACILITY,
    OPEN_STATES,
    SORTS,
    CaseFilters,
    facilities,
    investigators,
    list_cases,
)
from project.services.casework.list_facts import CaseFacts, ListCount, count_listed, list_facts
from project.services.casework.cases import (
    ComplaintInput,
    PostInput,
    add_post,
    case_by_id,
    find_case,
    log_complaint,
    post_of_case,
    update_complaint,
    update_post,
)
from project.services.casework.charges import (
    ChargeFacts,
    charge_facts,
    chargeable_clauses,
    post_conduct_date,
    posted_on,
    summarize,
)
from project.services.casework.elements import ElementAnswer
from project.services.casework.identifiers import (
    ProtectedPersonInput,
    add_protected_person,
    protected_identifiers,
    protected_identifiers_of,
    protected_people,
    protected_person_of_case,
    remove_protected_person,
)
from project.services.casework.life_cycle import (
    approve_outcome,
    assign_investigator,
    begin_discipline,
    close_case,
    close_without_discipline,
    content_changed,
    move,
    reopen_case,
    return_to_investigator,
    standing_approval,
    submit_for_review,
)
from project.services.casework.notes import add_note, notes_of
from project.services.casework.readiness import allegations_of, proposal_of, submission_problems
from project.services.casework.review_history import (
    DiffLine,
    ReviewHistory,
    content_snapshot,
    discipline_phrase,
    modifications_in_review,
    modifications_of,
    review_cycle_start,
    review_history,
)
from project.services.casework.subjects import find_employee, link_subject, subject_of_case, unlink_subject
from project.services.casework.work_queue import work_queue

__all__ = [
    "AllegationInput",
    "CaseFile",
    "ChargeFacts",
    "ElementAnswer",
    "CaseFacts",
    "CaseFilters",
    "ComplaintInput",
    "DiffLine",
    "ListCount",
    "FindingInput",
    "NO_FACILITY",
    "OPEN_STATES",
    "PostInput",
    "ProtectedPersonInput",
    "ReviewHistory",
    "SORTS",
    "add_note",
    "add_post",
    "add_protected_person",
    "allegation_of_case",
    "allegations_of",
    "approve_outcome",
    "assign_investigator",
    "begin_discipline",
    "case_by_id",
    "case_file",
    "charge_facts",
    "chargeable_clauses",
    "citable_clauses",
    "citable_directives",
    "close_case",
    "close_without_discipline",
    "post_conduct_date",
    "content_changed",
    "content_snapshot",
    "count_listed",
    "discipline_phrase",
    "export_csv",
    "facilities",
    "find_case",
    "find_employee",
    "finding_categories",
    "frame_allegation",
    "investigators",
    "link_subject",
    "list_cases",
    "list_facts",
    "log_complaint",
    "modifications_in_review",
    "modifications_of",
    "move",
    "notes_of",
    "post_of_case",
    "posted_on",
    "proposal_of",
    "protected_identifiers",
    "protected_identifiers_of",
    "protected_people",
    "protected_person_of_case",
    "record_finding",
    "remove_protected_person",
    "reopen_case",
    "return_to_investigator",
    "review_cycle_start",
    "review_history",
    "standing_approval",
    "subject_of_case",
    "submission_problems",
    "summarize",
    "submit_for_review",
    "timeline",
    "transitions",
    "unlink_subject",
    "update_complaint",
    "update_post",
    "work_queue",
]

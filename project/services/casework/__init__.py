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
    charged_directive,
    post_conduct_date,
    posted_on,
    summarize,
)
from project.services.casework.conduct import ConductDate, conduct_of
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
from project.services.casework.just_cause import (
    STANDARD as JUST_CAUSE_STANDARD,
)
from project.services.casework.just_cause import (
    TESTS as JUST_CAUSE_TESTS,
)
from project.services.casework.just_cause import (
    JustCauseInput,
    TestAnswer,
    current_just_cause,
    just_cause_of_approval,
    needs_just_cause,
    notice_on_record,
    record_just_cause,
)
from project.services.casework.life_cycle import (
    approve_outcome,
    assign_investigator,
    begin_discipline,
    check_close,
    check_reopen,
    close_case,
    close_without_discipline,
    content_changed,
    move,
    reopen_case,
    return_to_investigator,
    standing_approval,
    submit_for_review,
    take_case,
)
from project.services.casework.list_summary import CaseFacts, ListCount, count_listed, list_facts
from project.services.casework.notes import add_note, notes_of
from project.services.casework.readiness import allegations_of, proposal_of, submission_problems
from project.services.casework.review_decision import check_review_decision, record_review_decision
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
from project.services.casework.speech_rules import needs_speech_screen, overrides_needed, screen_of
from project.services.casework.speech_screen import (
    AUTHORITY as SPEECH_AUTHORITY,
)
from project.services.casework.speech_screen import (
    OBTAINED_LABELS,
    QUESTIONS,
    SpeechScreenInput,
    record_speech_screen,
)
from project.services.casework.state_story import StateStory, after_intake, state_story
from project.services.casework.subjects import (
    find_employee,
    link_subject,
    records_about,
    require_unlinking_allowed,
    subject_of_case,
    unlink_subject,
)
from project.services.casework.work_queue import work_queue

__all__ = [
    "JUST_CAUSE_STANDARD",
    "JUST_CAUSE_TESTS",
    "JustCauseInput",
    "OBTAINED_LABELS",
    "QUESTIONS",
    "SPEECH_AUTHORITY",
    "SpeechScreenInput",
    "TestAnswer",
    "current_just_cause",
    "just_cause_of_approval",
    "needs_just_cause",
    "needs_speech_screen",
    "notice_on_record",
    "overrides_needed",
    "record_just_cause",
    "record_speech_screen",
    "screen_of",
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
    "take_case",
    "check_review_decision",
    "record_review_decision",
    "check_close",
    "check_reopen",
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
    "charged_directive",
    "ConductDate",
    "conduct_of",
    "StateStory",
    "state_story",
    "after_intake",
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
    "records_about",
    "remove_protected_person",
    "reopen_case",
    "require_unlinking_allowed",
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

"""Discipline: the step the ladder suggests (on the date of the conduct), the investigator's proposal, the
prior discipline on record as imposed and as modified, and the department's settings that weigh it.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.discipline.comparables import (
    ComparableCase,
    Comparison,
    charged_pairs,
    comparable_cases,
    comparable_query,
)
from project.services.discipline.conduct import conduct_date
from project.services.discipline.lookback import Lookback, lookback_for, step_refusal
from project.services.discipline.matrix import offence_class_of
from project.services.discipline.priors import PriorDisciplineImportResult, import_prior_discipline
from project.services.discipline.proposals import ProposalInput, propose_discipline, withdraw_proposal
from project.services.discipline.record_changes import (
    RecordModificationInput,
    apply_record_modification,
    check_record_modification,
    modify_discipline_record,
)
from project.services.discipline.review_changes import (
    ApprovedDiscipline,
    DisciplineHistory,
    approved_discipline,
    discipline_history,
    modify_proposal_at_review,
)
from project.services.discipline.suggestion import (
    Suggestion,
    ladder_in_force,
    step_by_code,
    suggest_step,
    suspension_cap_warning,
    suspension_days_imposed,
    sustained_allegations_of,
    weighed_priors,
)
from project.services.discipline.weighing import Weighed, prior_active_discipline

ActiveDiscipline = Weighed  # the name callers used before records were weighed on the conduct date

__all__ = [
    "ActiveDiscipline",
    "ApprovedDiscipline",
    "ComparableCase",
    "Comparison",
    "DisciplineHistory",
    "Lookback",
    "PriorDisciplineImportResult",
    "ProposalInput",
    "RecordModificationInput",
    "Suggestion",
    "Weighed",
    "approved_discipline",
    "charged_pairs",
    "comparable_cases",
    "comparable_query",
    "conduct_date",
    "discipline_history",
    "import_prior_discipline",
    "ladder_in_force",
    "lookback_for",
    "modify_discipline_record",
    "apply_record_modification",
    "check_record_modification",
    "modify_proposal_at_review",
    "offence_class_of",
    "prior_active_discipline",
    "propose_discipline",
    "step_by_code",
    "step_refusal",
    "suggest_step",
    "suspension_cap_warning",
    "suspension_days_imposed",
    "sustained_allegations_of",
    "weighed_priors",
    "withdraw_proposal",
]

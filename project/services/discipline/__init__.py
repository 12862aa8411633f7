"""Discipline: the step the ladder suggests, the investigator's proposal and the prior discipline on record.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.discipline.priors import PriorDisciplineImportResult, import_prior_discipline
from project.services.discipline.proposals import ProposalInput, propose_discipline, withdraw_proposal
from project.services.discipline.review_changes import (
    ApprovedDiscipline,
    DisciplineHistory,
    approved_discipline,
    discipline_history,
    modify_proposal_at_review,
)
from project.services.discipline.suggestion import (
    ActiveDiscipline,
    ladder_in_force,
    prior_active_discipline,
    step_by_code,
    suggest_step,
    suspension_cap_warning,
    suspension_days_imposed,
    sustained_allegations_of,
)

__all__ = [
    "ActiveDiscipline",
    "ApprovedDiscipline",
    "DisciplineHistory",
    "PriorDisciplineImportResult",
    "ProposalInput",
    "approved_discipline",
    "discipline_history",
    "import_prior_discipline",
    "ladder_in_force",
    "modify_proposal_at_review",
    "prior_active_discipline",
    "propose_discipline",
    "step_by_code",
    "suggest_step",
    "suspension_cap_warning",
    "suspension_days_imposed",
    "sustained_allegations_of",
    "withdraw_proposal",
]

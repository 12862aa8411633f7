"""After the notice of discipline: a subject's grievance through the steps of the unit's procedure, the
arbitration and its award, settlements and last-chance agreements. Each step's deadlines come from the unit's
procedure (``seed_data/bargaining_units.toml``) with their source; an outcome that changes the penalty keeps the
discipline as imposed and adds it as modified (``project.services.discipline``).

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.grievances.arbitration import (
    AgreementInput,
    ArbitrationInput,
    AwardInput,
    back_pay_cents,
    demand_arbitration,
    record_agreement,
    record_award,
)
from project.services.grievances.checks import grievance_of, grievances_of
from project.services.grievances.steps import (
    ENDINGS,
    GrievanceInput,
    StepInput,
    appeal_grievance,
    end_grievance,
    file_grievance,
    record_step,
)
from project.services.grievances.windows import FilingWindow, close_case, filing_windows

__all__ = [
    "ENDINGS",
    "AgreementInput",
    "ArbitrationInput",
    "AwardInput",
    "FilingWindow",
    "GrievanceInput",
    "StepInput",
    "appeal_grievance",
    "back_pay_cents",
    "close_case",
    "demand_arbitration",
    "end_grievance",
    "file_grievance",
    "filing_windows",
    "grievance_of",
    "grievances_of",
    "record_agreement",
    "record_award",
    "record_step",
]

"""The clocks labor relations lives by (seed_data/deadlines.toml): what is due, overdue, met, or may not
happen before a date, per subject of a case and across all cases in labor relations' hands; and the clock of
the investigation, from the day the department first knew of the post.

A rule runs ``days`` (calendar or business) after its trigger event (``due_within``, ``not_before``), or
before it (``due_before``), for the discipline steps it applies to (the step imposed, or else the step
proposed and approved). Trigger events:

  decision_to_discipline        LaborAction.decision_on, or else the local date of the standing approval
  notice_issued                 LaborAction.notice_issued_on
  disciplinary_document_issued  LaborAction.notice_issued_on (the notice is the disciplinary document)
  effective_date                LaborAction.effective_on (a report due some days before it)
  release_notice                the newest notice of a public records request on the case (C.G.S. 1-214(c))
  department_knew               the case's received date, or the day its earliest post was first seen

What meets a rule: a ``not_before`` rule is met by the effective date (an immediate dismissal under RCSA
5-240-8a(b) is not held by the earliest date after the notice); a due date by the event the rule's ``met_by``
names, or else the one ``COMPLETED_BY`` names for its trigger (the decision is answered by the written notice,
a disciplinary document by the employee's copy, the investigation by the first approval or closing). A rule
whose trigger has not happened yet has no clock and is not listed. A clock is "due soon" within its rule's
``warn_days``.

Business days skip Saturdays, Sundays and the Connecticut legal holidays (C.G.S. 1-4) of seed_data/holidays.toml,
which covers 2018 through 2030. Every rule carries its source (``DeadlineRule.source_label``).

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.deadlines.calendar import (
    add_business_days,
    deadline_date,
    forget_holidays,
    holidays,
    is_business_day,
)
from project.services.deadlines.clocks import (
    Clock,
    case_deadlines,
    clocks,
    is_due_soon,
    open_clocks,
    open_deadlines,
)
from project.services.deadlines.rules import (
    DUE,
    MET,
    NOT_BEFORE,
    OVERDUE,
    Deadline,
    Facts,
    applies,
    evaluate,
    not_before_problems,
    rules,
)
from project.services.deadlines.stored import (
    cases_with,
    install_upkeep,
    refresh_all,
    running_counts,
    stored_differences,
)

__all__ = [
    "DUE",
    "MET",
    "NOT_BEFORE",
    "OVERDUE",
    "Clock",
    "Deadline",
    "Facts",
    "add_business_days",
    "applies",
    "case_deadlines",
    "cases_with",
    "install_upkeep",
    "refresh_all",
    "running_counts",
    "stored_differences",
    "clocks",
    "deadline_date",
    "evaluate",
    "forget_holidays",
    "holidays",
    "is_business_day",
    "is_due_soon",
    "not_before_problems",
    "open_clocks",
    "open_deadlines",
    "rules",
]

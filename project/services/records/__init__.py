"""Records over time (issue 18): administrative leave, legal holds, retention rules and runs, and the sealed
history of expunged discipline.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.records.figures import (
    LeaveAlert,
    LeaveFlag,
    RetentionFigures,
    leave_alerts,
    leave_flags,
    retention_figures,
)
from project.services.records.holds import active_hold, active_holds, lift_hold, place_hold
from project.services.records.leave import (
    LIMIT_AUTHORITY,
    LeaveInput,
    LeaveStanding,
    end_leave,
    leave_of,
    limit_label,
    record_leave,
    standing_of,
)
from project.services.records.leave_notices import leave_notices
from project.services.records.purges import PurgeItem, due_purges, last_day_due
from project.services.records.retention import (
    RetentionItem,
    RetentionRun,
    apply_retention,
    due_items,
    review_retention,
)
from project.services.records.retention_jobs import queue_retention_run, run_retention_job, settle_retention_job
from project.services.records.rules import RetentionRule, load_rules, retention_rules
from project.services.records.sealed import open_sealed_history

__all__ = [
    "LIMIT_AUTHORITY",
    "LeaveAlert",
    "LeaveFlag",
    "LeaveInput",
    "LeaveStanding",
    "PurgeItem",
    "RetentionFigures",
    "RetentionItem",
    "RetentionRule",
    "RetentionRun",
    "active_hold",
    "active_holds",
    "apply_retention",
    "due_items",
    "due_purges",
    "last_day_due",
    "end_leave",
    "leave_alerts",
    "leave_flags",
    "leave_notices",
    "leave_of",
    "lift_hold",
    "limit_label",
    "load_rules",
    "open_sealed_history",
    "place_hold",
    "record_leave",
    "retention_figures",
    "retention_rules",
    "review_retention",
    "queue_retention_run",
    "run_retention_job",
    "settle_retention_job",
    "standing_of",
]

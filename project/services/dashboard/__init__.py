"""The dashboard: where things stand, for supervisors and labor relations.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.dashboard.figures import (
    Chart,
    Dashboard,
    Figure,
    Flagged,
    build,
    deadlines_chart,
    early_warning,
    open_by_age,
    open_by_state,
)
from project.services.dashboard.received_days import install_upkeep
from project.services.dashboard.received_days import refresh_all as refresh_stored_days
from project.services.dashboard.received_days import stored_differences as stored_days_differences
from project.services.dashboard.windows import WindowCounts, window_counts

__all__ = [
    "Chart",
    "Dashboard",
    "Figure",
    "Flagged",
    "WindowCounts",
    "build",
    "deadlines_chart",
    "early_warning",
    "open_by_age",
    "install_upkeep",
    "open_by_state",
    "refresh_stored_days",
    "stored_days_differences",
    "window_counts",
]

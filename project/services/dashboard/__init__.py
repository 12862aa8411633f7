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

__all__ = [
    "Chart",
    "Dashboard",
    "Figure",
    "Flagged",
    "build",
    "deadlines_chart",
    "early_warning",
    "open_by_age",
    "open_by_state",
]

"""What every template can use: local time, the navigation for the user's roles, the permission predicates."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request
from flask_login import current_user

from project import permissions

NAVIGATION = (
    # (endpoint, label, predicate)
    ("main.home", "Home", lambda user: True),
    ("cases.index", "Cases", permissions.can_list_cases),
    ("cases.new", "Log a complaint", permissions.can_log_complaint),
    ("labor.index", "Deadlines", permissions.can_see_labor_list),
    ("catalogue.index", "Policy catalogue", permissions.can_view_catalogue),
    ("admin.users", "Users", permissions.can_manage_users),
    ("admin.roster_list", "Roster", permissions.can_manage_roster),
)


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M %Z") -> str:
    """A stored UTC time shown in the configured zone, with the zone named."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).strftime(fmt)


def navigation() -> list[dict[str, Any]]:
    if not current_user.is_authenticated:
        return []
    return [
        {"endpoint": endpoint, "label": label, "active": request.endpoint == endpoint}
        for endpoint, label, allowed in NAVIGATION
        if allowed(current_user)
    ]


def init_app(app: Flask) -> None:
    app.add_template_filter(local_time, "localtime")

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {
            "navigation": navigation(),
            "url_endpoints": app.view_functions.keys(),
            **permissions.PREDICATES,
        }

"""What every template can use: local time, the protected-identifier mask, the navigation for the user's roles,
the permission predicates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_login import current_user
from markupsafe import Markup

from project import permissions
from project.models import Case
from project.services import casework
from project.services.evidence import purged_note
from project.services.masking import Identifier, mask
from project.web.folding import fold
from project.wording import counted

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


def _identifiers_to_mask(case: Case) -> list[Identifier]:
    """The identifiers the current user must not see on this case's pages: none for those who may see the
    reporter, else the case's protected identifiers. Worked out once per request and case (kept in the
    request's environ, which lives exactly as long as the request)."""
    if not has_request_context():
        return casework.protected_identifiers(case)  # no one to ask: mask
    cache: dict[int, list[Identifier]] = request.environ.setdefault("casefile.protected_identifiers", {})
    if case.id not in cache:
        sees = permissions.can_see_reporter(current_user, case)
        cache[case.id] = [] if sees else casework.protected_identifiers(case)
    return cache[case.id]


def protect_cases(cases: list[Case]) -> str:
    """``{% set _ = protect_cases(result.cases) %}`` before a list of cases: their identifiers to mask read in
    one query, not one per row."""
    if not has_request_context():
        return ""
    cache: dict[int, list[Identifier]] = request.environ.setdefault("casefile.protected_identifiers", {})
    hidden = [case for case in cases if case.id not in cache and not permissions.can_see_reporter(current_user, case)]
    cache.update(casework.protected_identifiers_of(hidden) if hidden else {})
    cache.update({case.id: [] for case in cases if case.id not in cache})
    return ""


def protect(value: Any, case: Case | None) -> Any:
    """``{{ text | protect(case) }}``: the text with the case's protected identifiers (the reporter, witnesses,
    inmates, other employees) masked, unless the user may see the reporter. Every free-text field of a case
    shown on a page goes through it. None becomes ""; marked-up text (a search snippet) loses its markup only
    when something in it is masked."""
    if value is None:
        return ""
    if case is None:
        return value
    identifiers = _identifiers_to_mask(case)
    if not identifiers:
        return value
    if isinstance(value, Markup):
        plain = value.striptags()
        masked = mask(plain, identifiers)
        return value if masked == plain else masked
    return mask(str(value), identifiers)


URL_SAFE = "!$'()*,/:;?@"  # what Werkzeug leaves unquoted in a query string


def cases_link(filters: Mapping[str, Any]) -> str:
    """``url_for("cases.index", **filters)``, the list's address built once a request and each query once:
    the dashboard links each of its figures to its cases twice (the bar and the table), about 280 links, and
    matching the route for each cost 5 ms a page."""
    built: dict[tuple[tuple[str, Any], ...], str] | None = g.get("cases_links")
    if built is None:
        built = g.cases_links = {(): url_for("cases.index")}
    key = tuple((name, value) for name, value in filters.items() if value is not None)
    link = built.get(key)
    if link is None:
        link = built[key] = f"{built[()]}?{urlencode(key, safe=URL_SAFE)}"
    return link


def navigation() -> list[dict[str, Any]]:
    if not current_user.is_authenticated:
        return []
    return [
        {"endpoint": endpoint, "label": label, "active": request.endpoint == endpoint}
        for endpoint, label, allowed in NAVIGATION
        if allowed(current_user)
    ]


def init_app(app: Flask) -> None:
    app.add_template_global(cases_link, "cases_link")  # a global: the imported chart macros see it
    app.add_template_filter(local_time, "localtime")
    app.add_template_filter(protect, "protect")
    app.add_template_filter(counted, "counted")  # {{ n | counted("day") }}: "1 day", "5 days"
    app.add_template_filter(fold, "fold")  # item 5 of issue 16: long notes folded on the case page
    app.add_template_filter(purged_note, "purged_note")  # "Purged on 2029-03-02 under evidence_not_sustained"

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {
            "navigation": navigation(),
            "protect_cases": protect_cases,
            "url_endpoints": app.view_functions.keys(),
            **permissions.PREDICATES,
        }

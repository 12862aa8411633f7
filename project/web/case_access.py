"""Fetching a case for a request and checking permission in one step (the Flask tutorial's ``get_post``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, make_response, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from project.models import Case, CaseSubject
from project.permissions import can_view_case, refused_only_for_its_state
from project.services import casework
from project.services.audit import Actor
from project.web.access import audit_refusal


def load_case(number: str, allowed: Callable[[Any, Case], bool] = can_view_case) -> Case:
    """The case, or 404 when it does not exist or the user may not see it (its existence stays hidden),
    or 403 when the user sees it but may not do this to it now."""
    case = casework.find_case(number)
    if case is None:
        abort(404)
    if not can_view_case(current_user, case):
        audit_refusal("case_hidden", case.id)  # F6: audited, though the page says only "not found"
        abort(404)
    if not allowed(current_user, case):
        if refused_only_for_its_state(current_user, case, allowed):
            abort(_moved_on(case))
        abort(403)
    return case


def _moved_on(case: Case) -> Response:
    """What was asked fitted an earlier state of the case (a form opened again with Back): still refused (403,
    audited), but the page says where the case stands, who moved it and when, and what happens next, rather
    than "not permitted"."""
    audit_refusal("forbidden", case.id)
    story = casework.state_story(case).sentence(case.number)
    page = render_template(
        "errors/generic.html", code=403, title=f"{case.number} has moved on", message=f"{story} Nothing was changed."
    )
    return make_response(page, 403)


def load_subject(case: Case, subject_id: int) -> CaseSubject:
    """A subject of this case (404 for another case's subject, whatever its id)."""
    subject = casework.subject_of_case(case, subject_id)
    if subject is None:
        abort(404)
    return subject


def current_actor() -> Actor:
    return Actor(user=current_user._get_current_object(), remote_addr=request.remote_addr)

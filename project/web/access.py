"""View decorators that apply the predicates of ``project.permissions`` on the server."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, request
from flask_login import current_user, login_required

from project.services import accounts

F = TypeVar("F", bound=Callable[..., Any])


def permission_required(predicate: Callable[[Any], bool]) -> Callable[[F], F]:
    """Sign-in first, then the predicate; a signed-in user who fails it gets 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return login_required(wrapped)

    return decorator


def sign_in_required(blueprint: Blueprint) -> None:
    """Every route of the blueprint needs a signed-in user; the others are sent to sign in first."""

    @blueprint.before_request
    def _require_sign_in() -> Any:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        return None


def audit_refusal(kind: str, case_id: int | None = None) -> None:
    """Audit this request's refusal (grouped per person, kind and minute: ``accounts.record_refusal``)."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    accounts.record_refusal(kind, user=user, remote_addr=request.remote_addr, path=request.path, case_id=case_id)

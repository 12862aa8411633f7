"""View decorators that apply the predicates of ``project.permissions`` on the server."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app
from flask_login import current_user, login_required

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

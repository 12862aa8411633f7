"""Who may do what. One predicate per action, used by views, services and templates alike."""
from __future__ import annotations

from typing import Any

from project.models import Role


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_view_catalogue(user: Any) -> bool:
    return _signed_in(user)


def can_manage_users(user: Any) -> bool:
    return _signed_in(user) and user.has_role(Role.ADMIN)


def can_manage_roster(user: Any) -> bool:
    return _signed_in(user) and user.has_role(Role.ADMIN)


PREDICATES = {
    "can_view_catalogue": can_view_catalogue,
    "can_manage_users": can_manage_users,
    "can_manage_roster": can_manage_roster,
}

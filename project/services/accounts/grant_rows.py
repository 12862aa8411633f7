"""The rows of a role grant (issue 15, F8), written inside the caller's transaction: ``users`` and ``grants``
both use them, so they live apart from either."""

from __future__ import annotations

from project import clock
from project.extensions import db
from project.models import Role, RoleGrant, User, UserRole
from project.services import audit

CASE_ROLES = frozenset(Role) - {Role.ADMIN}  # the roles that open case content


def add_grant(user: User, role: Role, actor: User, *, two_person: bool) -> RoleGrant:
    """Record that ``actor`` gives ``user`` the role: held at once, or (two-person rule) once another
    administrator approves. A case role held makes the account choose a new password at its next sign-in."""
    grant = RoleGrant(user_id=user.id, role=role.value, granted_by_id=actor.id, granted_at=clock.now())
    db.session.add(grant)
    if two_person:
        db.session.flush()
        audit.record(
            "user.role_grant_requested",
            actor=actor,
            object_type="user",
            object_id=user.id,
            detail={"role": role.value, "email": user.email, "grant": grant.id},
        )
        return grant
    apply_grant(grant, user, role, approver=actor)
    audit.record(
        "user.role_granted",
        actor=actor,
        object_type="user",
        object_id=user.id,
        detail={"role": role.value, "email": user.email},
    )
    return grant


def apply_grant(grant: RoleGrant, user: User, role: Role, *, approver: User) -> None:
    grant.approved_by_id, grant.approved_at = approver.id, clock.now()
    if role not in user.role_set:
        user.roles.append(UserRole(role=role.value))
    if role in CASE_ROLES:
        user.password_change_required = True

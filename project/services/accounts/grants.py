"""Giving roles to accounts without giving administrators a way into case content (issue 15, F8).

No administrator gives themselves a case role. Every grant is recorded (``role_grants``) and audited, and the
administrators' users page lists the recent ones, so the other administrators see each. A case role held
makes the account choose a new password at its next sign-in, so a password an administrator chose does not
stay in use. With the setting ``ROLE_GRANTS_NEED_SECOND_ADMIN`` (the two-person rule) a grant waits until an
administrator other than the granter and the grantee approves it.
"""

from __future__ import annotations

from sqlalchemy import select

from project.extensions import db
from project.models import RoleGrant, User
from project.services import audit
from project.services.accounts.grant_rows import CASE_ROLES, add_grant, apply_grant
from project.services.accounts.users import AccountError, parse_roles
from project.transaction import committing


def grant_role(user: User, role_name: str, *, actor: User, two_person: bool = False) -> RoleGrant:
    """Give ``user`` a role (or ask for it, under the two-person rule); refuse a case role for oneself."""
    [role] = parse_roles([role_name])
    if user.id == actor.id and role in CASE_ROLES:
        raise AccountError("An administrator cannot give themselves a case role. Ask another administrator.")
    if role in user.role_set:
        raise AccountError(f"{user.email} already has the role {role.label}.")
    with committing("this account"):
        grant = add_grant(user, role, actor, two_person=two_person)
    return grant


def grant_by_id(grant_id: int) -> RoleGrant | None:
    return db.session.get(RoleGrant, grant_id)


def approve_grant(grant_id: int, *, actor: User) -> RoleGrant:
    """A second administrator approves a waiting grant; the role is then held."""
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or grant.approved_at is not None:
        raise AccountError("No grant waits for approval under that number.")
    if actor.id in (grant.granted_by_id, grant.user_id):
        raise AccountError("A second administrator, not the one who asked and not its holder, approves a grant.")
    [role] = parse_roles([grant.role])
    with committing("this account"):
        apply_grant(grant, grant.user, role, approver=actor)
        audit.record(
            "user.role_grant_approved",
            actor=actor,
            object_type="user",
            object_id=grant.user_id,
            detail={"role": grant.role, "email": grant.user.email, "grant": grant.id},
        )
    return grant


def recent_grants(limit: int = 50) -> list[RoleGrant]:
    """The latest grants, waiting ones first: for every administrator to see."""
    query = select(RoleGrant).order_by(RoleGrant.approved_at.is_not(None), RoleGrant.granted_at.desc()).limit(limit)
    return list(db.session.scalars(query))

"""The Casefile account of a person the directory or the identity provider vouches for: made at their first
sign-in, brought up to date (email, name, roles from groups) at each later one and at each re-check, audited.

An identity provider never takes over an account that signs in another way: an email that is already a local
account (a break-glass administrator, say) is refused, not linked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select

from project.extensions import db
from project.models import ExternalIdentity, Role, User, UserRole
from project.services import audit
from project.services.accounts import Client, end_all_sessions, find_user, record_sign_in_failure
from project.services.errors import StaleEdit
from project.transaction import committing

NO_PASSWORD = "!external"  # noqa: S105 - not a hash: no password can match it, so the account has no local password
UNMAPPED = (
    "Your {source} account is not in any group that gives access to Casefile. "
    "Ask your Casefile administrator to add you to one of its groups."
)
SOURCES = {"ldap": "directory", "oidc": "organisation"}


class SignInRefused(Exception):
    """The identity was proven but Casefile refuses it; the message says why, for the person signing in."""


@dataclass(frozen=True)
class Identity:
    """Who the directory or the identity provider says is signing in, and the roles their groups map to."""

    source: str  # "ldap" or "oidc"
    external_id: str
    email: str
    name: str
    roles: frozenset[Role]


def roles_for(group_roles: Mapping[str, Iterable[str]], groups: Iterable[str]) -> frozenset[Role]:
    """The roles the mapped groups among ``groups`` give (keys and groups compared in lower case)."""
    mapping = {group.lower(): roles for group, roles in group_roles.items()}
    return frozenset(Role(role) for group in groups for role in mapping.get(group.lower(), ()))


def trusts_provider_mfa(user: User, directory_mfa: str) -> bool:
    """True when the account signs in with a directory or identity provider and the department trusts the
    provider's own sign-in (``DIRECTORY_MFA="provider"``) instead of asking for Casefile's second factor."""
    return user.identity_source != "local" and directory_mfa == "provider"


def audit_refusal(user: User | None, reason: str, client: Client, **detail: str) -> None:
    """Audit and count a refused sign-in as the local sign-in does (``auth.sign_in_failed``, committed)."""
    record_sign_in_failure(user, reason, client, **detail)


def refuse(user: User | None, reason: str, client: Client, message: str, **detail: str) -> SignInRefused:
    """``audit_refusal``; return the error to raise, with ``message`` for the person signing in."""
    audit_refusal(user, reason, client, **detail)
    return SignInRefused(message)


def admit(identity: Identity, client: Client, entry_gone: Callable[[str], bool] | None = None) -> User:
    """The Casefile account of ``identity``, made or brought up to date; ``SignInRefused`` when it has no mapped
    role, has no usable email, is disabled in Casefile, or its email is an account that signs in another way
    or is another entry's. An account of the same source under another id is this person's only when
    ``entry_gone(old_id)`` says the old entry is gone (an LDAP entry moved to a new DN)."""
    source = SOURCES[identity.source]
    email = identity.email.strip().lower()
    if not identity.roles:
        raise refuse(None, "unmapped_groups", client, UNMAPPED.format(source=source), external_id=identity.external_id)
    if "@" not in email or len(email) > 254:
        message = f"Your {source} account has no email address Casefile can use. Ask your administrator."
        raise refuse(None, "no_email", client, message, external_id=identity.external_id)
    user = db.session.scalars(
        select(User)
        .join(ExternalIdentity)
        .where(ExternalIdentity.source == identity.source, ExternalIdentity.external_id == identity.external_id)
    ).one_or_none()
    if user is None:
        user = _same_email(identity, email, client, entry_gone)
    if user is not None and not user.is_active:
        raise refuse(user, "disabled", client, "This Casefile account is disabled. Ask your Casefile administrator.")
    try:
        with committing("this account", duplicate_is_conflict=True):
            if user is None:
                user = _new_account(identity, email)
            else:
                apply_identity(user, identity, email)
    except StaleEdit:
        if user is not None:
            raise
        return admit(identity, client, entry_gone)  # a parallel first sign-in made the account: bring it up to date
    return user


def _same_email(
    identity: Identity, email: str, client: Client, entry_gone: Callable[[str], bool] | None
) -> User | None:
    """The account with the identity's email, when it may become this identity's; None when there is none."""
    user = find_user(email)
    if user is None:
        return None
    held = user.external_identity
    if held is None or held.source != identity.source:
        message = (
            f"A Casefile account with the email {email} signs in another way, so your {SOURCES[identity.source]} "
            "account cannot use it. Ask your Casefile administrator."
        )
        raise refuse(user, "email_signs_in_another_way", client, message)
    if entry_gone is None or not entry_gone(held.external_id):
        message = f"The Casefile account with the email {email} belongs to another entry. Ask your administrator."
        raise refuse(user, "email_of_another_entry", client, message, external_id=identity.external_id)
    return user


def _new_account(identity: Identity, email: str) -> User:
    user = User(
        email=email,
        name=identity.name or email,
        password_hash=NO_PASSWORD,
        external_identity=ExternalIdentity(source=identity.source, external_id=identity.external_id),
        roles=[UserRole(role=role.value) for role in sorted(identity.roles)],
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user.created",
        object_type="user",
        object_id=user.id,
        detail={"email": email, "roles": sorted(role.value for role in identity.roles), "source": identity.source},
    )
    return user


def apply_identity(user: User, identity: Identity, email: str | None = None) -> dict[str, list[str]]:
    """Bring the account's email, name, directory id and roles to what the directory says (the caller commits);
    audit what changed as ``user.updated_from_directory``; return the changes, field -> [before, after]."""
    email = email or identity.email.strip().lower()
    changes: dict[str, list[str]] = {}
    if email != user.email and find_user(email) is None:
        changes["email"], user.email = [user.email, email], email
    if identity.name and identity.name != user.name:
        changes["name"], user.name = [user.name, identity.name], identity.name
    held = user.external_identity
    assert held is not None and held.source == identity.source
    if identity.external_id != held.external_id:
        changes["external_id"], held.external_id = [held.external_id, identity.external_id], identity.external_id
    before = sorted(role.value for role in user.role_set)
    after = sorted(role.value for role in identity.roles)
    if before != after:
        changes["roles"] = [", ".join(before), ", ".join(after)]
        user.roles = [held for held in user.roles if held.role in after]
        user.roles.extend(UserRole(role=role) for role in after if role not in before)
    if changes:
        audit.record(
            "user.updated_from_directory",
            object_type="user",
            object_id=user.id,
            detail={"source": identity.source, "changes": changes},
        )
    return changes


def end_directory_account(user: User, reason: str) -> int:
    """The directory no longer vouches for the account: end every session of it (audited, committed)."""
    with committing("this account"):
        ended = end_all_sessions(user, reason=reason)
        audit.record(
            "user.directory_sessions_ended",
            object_type="user",
            object_id=user.id,
            detail={"reason": reason, "sessions_ended": ended},
        )
    return ended

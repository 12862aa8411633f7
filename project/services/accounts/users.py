"""User accounts: creating them, their roles, disabling them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from project import clock
from project.extensions import db
from project.models import Role, User, UserRole
from project.services import audit
from project.services.accounts import reauth, sessions
from project.services.accounts.addresses import normalize_email
from project.services.accounts.grant_rows import add_grant
from project.services.accounts.passwords import PasswordRejected, hash_password
from project.transaction import committing


class AccountError(ValueError):
    """The account change was refused; the message says why, for the person who asked."""


def user_by_id(user_id: object) -> User | None:
    """The account with this id, or None (also for an id that is not a number)."""
    try:
        return db.session.get(User, int(str(user_id)))
    except ValueError:
        return None


def find_user(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == normalize_email(email))).one_or_none()


def parse_roles(names: Iterable[str]) -> set[Role]:
    roles = set()
    for name in names:
        try:
            roles.add(Role(name.strip().lower()))
        except ValueError:
            known = ", ".join(role.value for role in Role)
            raise AccountError(f"Unknown role {name!r}; roles are: {known}.") from None
    if not roles:
        raise AccountError("A user needs at least one role.")
    return roles


def create_user(
    email: str,
    name: str,
    roles: Iterable[str],
    password: str,
    *,
    actor: User | None = None,
    employee_number: str | None = None,
    two_person: bool = False,
) -> User:
    """Create an account; refuse a malformed or taken email, an unknown role or a weak password. An account
    an administrator (``actor``) creates gets its roles as recorded grants (under the two-person rule, once a
    second administrator approves) and chooses a new password at its first sign-in (F8)."""
    email = normalize_email(email)
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        raise AccountError(f"{email!r} is not an email address.")
    if not name.strip():
        raise AccountError("A user needs a name.")
    role_set = parse_roles(roles)
    if find_user(email) is not None:
        raise AccountError(f"A user with the email {email} already exists.")
    with committing("this account"):
        user = User(
            email=email,
            name=name.strip(),
            password_hash=hash_password(password, (email, *name.split())),
            employee_number=(employee_number or "").strip() or None,
        )
        if actor is None:  # the command line, the demo seed: roles held at once
            user.roles = [UserRole(role=role.value) for role in sorted(role_set)]
        else:
            user.password_change_required = True
        db.session.add(user)
        db.session.flush()
        if actor is not None:
            for role in sorted(role_set):
                add_grant(user, role, actor, two_person=two_person)
        audit.record(
            "user.created",
            actor=actor,
            object_type="user",
            object_id=user.id,
            detail={"email": email, "roles": sorted(role.value for role in role_set)},
        )
    return user


def disable_user(email: str, *, actor: User | None = None) -> User:
    """Disable an account and end every one of its sessions at once."""
    user = find_user(email)
    if user is None:
        raise AccountError(f"No user has the email {normalize_email(email)}.")
    if user.disabled_at is None:
        with committing("this account"):
            user.disabled_at = clock.now()
            ended = sessions.end_all_sessions(user, reason="account_disabled")
            audit.record(
                "user.disabled", actor=actor, object_type="user", object_id=user.id, detail={"sessions_ended": ended}
            )
    return user


def change_password(
    user: User,
    current: str,
    new: str,
    *,
    keep_token: str | None,
    remote_addr: str | None = None,
    policy: sessions.SignInPolicy | None = None,
) -> int:
    """Change one's own password after proving the current one (wrong tries count toward the lockout, F5);
    every other session of the account ends (ASVS 3.3.3). Returns how many sessions were ended. A directory or
    OpenID Connect account has no password here: it is changed where it is kept."""
    if user.identity_source != "local":
        raise AccountError(
            "Your password is kept by your organisation's directory or sign-in service. Change it there."
        )
    reauth.prove_password(
        user,
        current,
        refused_event="user.password_change_refused",
        wrong_message="The current password is not right.",
        error=AccountError,
        policy=policy,
        remote_addr=remote_addr,
    )
    if new == current:
        raise PasswordRejected("The new password must differ from the current one.")
    with committing("this account"):
        user.password_hash = hash_password(new, (user.email, *user.name.split()))
        user.password_changed_at = clock.now()
        user.password_change_required = False
        ended = sessions.end_all_sessions(user, reason="password_changed", keep_token=keep_token)
        audit.record(
            "user.password_changed",
            actor=user,
            object_type="user",
            object_id=user.id,
            remote_addr=remote_addr,
            detail={"other_sessions_ended": ended},
        )
    return ended


def enable_user(user: User, *, actor: User | None = None) -> None:
    if user.disabled_at is not None:
        with committing("this account"):
            user.disabled_at = None
            user.failed_sign_ins, user.locked_until = 0, None
            audit.record("user.enabled", actor=actor, object_type="user", object_id=user.id)


def list_users() -> list[User]:
    """Every account, with its roles (the admin page shows them all)."""
    return list(
        db.session.scalars(
            select(User).order_by(User.email).options(selectinload(User.roles), selectinload(User.external_identity))
        )
    )

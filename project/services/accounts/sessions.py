"""Signing in and out, with server-side sessions that can be revoked.

The browser's signed cookie carries a random token; the database keeps its SHA-256 in
``user_sessions``. A session is valid only while its row is open, was used within the idle timeout and is
within its absolute lifetime from sign-in, so signing out (or disabling the account) ends it even for a
copied cookie.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from project import clock, metrics
from project.extensions import db
from project.models import User, UserSession
from project.services import audit
from project.services.accounts.addresses import normalize_email
from project.services.accounts.passwords import upgraded_hash, verify_password
from project.transaction import committing

SIGN_IN_FAILED = (
    "Sign-in failed. Check the email and password. "
    "After {failures} failed attempts an account is locked for {minutes} minutes."
)
LAST_SEEN_RESOLUTION = timedelta(seconds=60)


class SignInFailed(Exception):
    """Sign-in refused. The message is the same whatever the reason, so it reveals no account."""

    def __init__(self, policy: SignInPolicy) -> None:
        super().__init__(failure_message(policy))


@dataclass(frozen=True)
class SignInPolicy:
    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=10)
    idle_timeout: timedelta = timedelta(minutes=30)
    absolute_lifetime: timedelta = timedelta(hours=12)  # F12: however busy, a session ends this long after sign-in


def failure_message(policy: SignInPolicy) -> str:
    minutes = int(policy.lockout.total_seconds() // 60)
    return SIGN_IN_FAILED.format(failures=policy.max_failures, minutes=minutes)


@dataclass(frozen=True)
class Client:
    remote_addr: str | None = None
    user_agent: str | None = None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(email: str, password: str, client: Client, policy: SignInPolicy) -> tuple[User, str]:
    """Check the credentials and open a session; return the user and the session token for the cookie.
    For an account with a second factor, call ``check_password`` and, once the code is right, ``open_session``.
    """
    user = check_password(email, password, client, policy)
    return user, open_session(user, client)


def check_password(email: str, password: str, client: Client, policy: SignInPolicy) -> User:
    """The first factor: the account whose password this is, or ``SignInFailed`` (audited, committed).

    Each attempt on an account is claimed (counted) in the database *before* the password is checked,
    so parallel guesses cannot get more than ``max_failures`` checks per lockout window (ASVS 2.2.1).
    The count is cleared only when a session opens, so a known password does not buy endless tries at
    a second factor.
    """
    now = clock.now()
    user = db.session.scalars(select(User).where(User.email == normalize_email(email))).one_or_none()
    if user is None:
        verify_password(None, password)  # spend the same time as for a real account
        _refuse(None, "unknown_account", client, policy, email=normalize_email(email)[:254])
    assert user is not None
    if not claim_attempt(user, now, policy):
        verify_password(None, password)
        _refuse(user, "locked", client, policy)
    if not verify_password(user.password_hash, password):
        refuse_attempt(user, "wrong_password", client, policy)
    if not user.is_active:
        _refuse(user, "disabled", client, policy)
    with committing("this account"):
        user.password_hash = upgraded_hash(user.password_hash, password) or user.password_hash
    return user


def open_session(user: User, client: Client, second_factor: str | None = None) -> str:
    """Open a server-side session for a user who has proven who they are; return its token."""
    now = clock.now()
    with committing("this account"):
        user.failed_sign_ins = 0
        user.locked_until = None
        token = secrets.token_urlsafe(32)
        db.session.add(
            UserSession(
                user_id=user.id,
                token_hash=_token_hash(token),
                created_at=now,
                last_seen_at=now,
                remote_addr=client.remote_addr,
                user_agent=(client.user_agent or "")[:255] or None,
            )
        )
        audit.record(
            "auth.sign_in",
            actor=user,
            object_type="user",
            object_id=user.id,
            remote_addr=client.remote_addr,
            detail={"second_factor": second_factor} if second_factor else None,
        )
    return token


def refuse_attempt(user: User, reason: str, client: Client, policy: SignInPolicy) -> None:
    """A wrong secret for an account: the attempt is already counted; lock it when none are left;
    audit, commit and raise ``SignInFailed``."""
    locked = count_failure(user, clock.now(), policy)
    _refuse(user, f"{reason}_locked" if locked else reason, client, policy)


def claim_attempt(user: User, now: datetime, policy: SignInPolicy) -> bool:
    """Count this attempt if the account is not locked and has attempts left; commit the claim at once."""
    not_locked = or_(User.locked_until.is_(None), User.locked_until <= now)
    with committing("this account"):
        claimed = db.session.execute(
            update(User)
            .where(User.id == user.id, not_locked, User.failed_sign_ins < policy.max_failures)
            .values(failed_sign_ins=User.failed_sign_ins + 1)
            .execution_options(synchronize_session=False)
        )
        if not getattr(claimed, "rowcount", 0):
            # Out of attempts without a lock (attempts in flight, or a crash mid-attempt): lock now.
            db.session.execute(
                update(User)
                .where(User.id == user.id, not_locked)
                .values(locked_until=now + policy.lockout, failed_sign_ins=0)
                .execution_options(synchronize_session=False)
            )
    if not getattr(claimed, "rowcount", 0):
        return False
    db.session.refresh(user)
    return True


def count_failure(user: User, now: datetime, policy: SignInPolicy) -> bool:
    """After a wrong password: the attempt is already counted; lock the account when none are left."""
    if user.failed_sign_ins >= policy.max_failures:
        user.locked_until = now + policy.lockout
        user.failed_sign_ins = 0
        return True
    return False


def record_sign_in_failure(user: User | None, reason: str, client: Client, **detail: str) -> None:
    """Audit and count a refused sign-in (``auth.sign_in_failed``, committed), whichever way it was tried:
    a local password here, a directory's (``directory``)."""
    with committing("the audit trail"):
        audit.record(
            "auth.sign_in_failed",
            object_type="user" if user else None,
            object_id=user.id if user else None,
            remote_addr=client.remote_addr,
            detail={"reason": reason, **detail},
        )
    metrics.count_sign_in_failure(reason)


def _refuse(user: User | None, reason: str, client: Client, policy: SignInPolicy, **detail: str) -> None:
    record_sign_in_failure(user, reason, client, **detail)
    raise SignInFailed(policy)


@dataclass(frozen=True)
class LiveSession:
    """A live session's user, and when the session ends if nothing more happens."""

    user: User
    ends_at: datetime


def resolve_session(token: str | None, user_id: str, policy: SignInPolicy) -> User | None:
    """The user of a live session, or None when the token is unknown, ended, idle too long or disabled."""
    live = resolve_live_session(token, user_id, policy)
    return live.user if live else None


def resolve_live_session(token: str | None, user_id: str, policy: SignInPolicy) -> LiveSession | None:
    """``resolve_session`` with the moment the session ends unless it is used again (issue 16, item 4)."""
    row = _live_row(token, user_id, policy)
    if row is None:
        return None
    now = clock.now()
    last_seen = row.last_seen_at
    if now - last_seen > LAST_SEEN_RESOLUTION:
        _touch_session(row.id, last_seen_at=now)
        last_seen = now
    return LiveSession(row.user, session_end(row.created_at, last_seen, policy))


def keep_session_alive(token: str | None, user_id: str, policy: SignInPolicy) -> datetime | None:
    """ "Stay signed in": count now as the session's last use, whatever the resolution of ``last_seen_at``;
    return when it ends now. The absolute lifetime from sign-in (F12) is not moved. None when not live."""
    row = _live_row(token, user_id, policy)
    if row is None:
        return None
    now = clock.now()
    _touch_session(row.id, last_seen_at=now)
    return session_end(row.created_at, now, policy)


def session_end(created_at: datetime, last_seen_at: datetime, policy: SignInPolicy) -> datetime:
    """The idle timeout after the last use, but never past the absolute lifetime from sign-in."""
    return min(last_seen_at + policy.idle_timeout, created_at + policy.absolute_lifetime)


def seconds_left(ends_at: datetime) -> int:
    """Whole seconds until ``ends_at``, rounded up, for the idle warning in the browser: rounding down would let
    the page say "Your session has ended" up to a second before the server ends it."""
    return max(0, math.ceil((ends_at - clock.now()).total_seconds()))


def _with_its_person() -> tuple[Any, ...]:
    """Every request reads its session, its person, the person's roles and where they sign in: one statement,
    not four. Built when first asked for, not at import: building it makes SQLAlchemy configure every mapper,
    which would cost every ``flask`` command a third of a second (issue 19)."""
    return (
        joinedload(UserSession.user).joinedload(User.roles),
        joinedload(UserSession.user).joinedload(User.external_identity),
    )


def _live_row(token: str | None, user_id: str, policy: SignInPolicy) -> UserSession | None:
    if not token:
        return None
    row = (
        db.session.scalars(
            select(UserSession).where(UserSession.token_hash == _token_hash(token)).options(*_with_its_person())
        )
        .unique()
        .one_or_none()
    )
    if row is None or row.ended_at is not None or str(row.user_id) != str(user_id):
        return None
    now = clock.now()
    if now - row.created_at > policy.absolute_lifetime:
        _touch_session(row.id, ended_at=now, end_reason="absolute_lifetime")
        return None
    if now - row.last_seen_at > policy.idle_timeout:
        _touch_session(row.id, ended_at=now, end_reason="idle_timeout")
        return None
    if not row.user.is_active:
        return None
    return row


def _touch_session(session_id: int, **values: object) -> None:
    """Session bookkeeping in its own short transaction, so it never commits a request's pending work."""
    with db.engine.begin() as connection:
        connection.execute(update(UserSession).where(UserSession.id == session_id).values(**values))


def sign_out(token: str | None, user: User, client: Client) -> None:
    """End this browser's session on the server."""
    with committing("this session"):
        if token:
            row = db.session.scalars(
                select(UserSession).where(UserSession.token_hash == _token_hash(token))
            ).one_or_none()
            if row is not None and row.ended_at is None:
                row.ended_at, row.end_reason = clock.now(), "signed_out"
        audit.record("auth.sign_out", actor=user, object_type="user", object_id=user.id, remote_addr=client.remote_addr)


def end_all_sessions(user: User, reason: str, keep_token: str | None = None) -> int:
    """End every open session of a user but the one holding ``keep_token`` (the caller commits); return
    how many were ended."""
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep_token:
        query = query.where(UserSession.token_hash != _token_hash(keep_token))
    result = db.session.execute(query.values(ended_at=clock.now(), end_reason=reason))
    return int(getattr(result, "rowcount", 0) or 0)

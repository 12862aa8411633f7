"""Signing in and out, with server-side sessions that can be revoked.

The browser's signed cookie carries a random token; the database keeps its SHA-256 in
``user_sessions``. A session is valid only while its row is open and was used within the idle
timeout, so signing out (or disabling the account) ends it even for a copied cookie.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from project import clock
from project.extensions import db
from project.models import User, UserSession
from project.services import audit
from project.services.passwords import upgraded_hash, verify_password

SIGN_IN_FAILED = (
    "Sign-in failed. Check the email and password. "
    "After 5 failed attempts an account is locked for 10 minutes."
)
LAST_SEEN_RESOLUTION = timedelta(seconds=60)


class SignInFailed(Exception):
    """Sign-in refused. The message is the same whatever the reason, so it reveals no account."""

    def __init__(self) -> None:
        super().__init__(SIGN_IN_FAILED)


@dataclass(frozen=True)
class SignInPolicy:
    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=10)
    idle_timeout: timedelta = timedelta(minutes=30)


@dataclass(frozen=True)
class Client:
    remote_addr: str | None = None
    user_agent: str | None = None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(email: str, password: str, client: Client, policy: SignInPolicy) -> tuple[User, str]:
    """Check the credentials and open a session; return the user and the session token for the cookie."""
    now = clock.now()
    user = db.session.scalars(select(User).where(User.email == email.strip().lower())).one_or_none()
    if user is None:
        verify_password(None, password)  # spend the same time as for a real account
        _refuse(None, "unknown_account", client, email=email.strip().lower()[:254])
    assert user is not None
    if user.locked_until is not None and user.locked_until > now:
        verify_password(None, password)
        _refuse(user, "locked", client)
    if not verify_password(user.password_hash, password):
        _count_failure(user, now, policy)
        _refuse(user, "locked" if user.locked_until else "wrong_password", client)
    if not user.is_active:
        _refuse(user, "disabled", client)

    user.failed_sign_ins = 0
    user.locked_until = None
    user.password_hash = upgraded_hash(user.password_hash, password) or user.password_hash
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
    audit.record("auth.sign_in", actor=user, object_type="user", object_id=user.id, remote_addr=client.remote_addr)
    db.session.commit()
    return user, token


def _count_failure(user: User, now: datetime, policy: SignInPolicy) -> None:
    """Count a failed password atomically; the fifth in a row locks the account."""
    db.session.execute(
        update(User).where(User.id == user.id).values(failed_sign_ins=User.failed_sign_ins + 1)
    )
    db.session.refresh(user, ["failed_sign_ins"])
    if user.failed_sign_ins >= policy.max_failures:
        user.locked_until = now + policy.lockout
        user.failed_sign_ins = 0


def _refuse(user: User | None, reason: str, client: Client, **detail: str) -> None:
    audit.record(
        "auth.sign_in_failed",
        object_type="user" if user else None,
        object_id=user.id if user else None,
        remote_addr=client.remote_addr,
        detail={"reason": reason, **detail},
    )
    db.session.commit()
    raise SignInFailed()


def resolve_session(token: str | None, user_id: str, policy: SignInPolicy) -> User | None:
    """The user of a live session, or None when the token is unknown, ended, idle too long or disabled."""
    if not token:
        return None
    row = db.session.scalars(select(UserSession).where(UserSession.token_hash == _token_hash(token))).one_or_none()
    if row is None or row.ended_at is not None or str(row.user_id) != str(user_id):
        return None
    now = clock.now()
    if now - row.last_seen_at > policy.idle_timeout:
        row.ended_at, row.end_reason = now, "idle_timeout"
        db.session.commit()
        return None
    if not row.user.is_active:
        return None
    if now - row.last_seen_at > LAST_SEEN_RESOLUTION:
        row.last_seen_at = now
        db.session.commit()
    return row.user


def sign_out(token: str | None, user: User, client: Client) -> None:
    """End this browser's session on the server."""
    if token:
        row = db.session.scalars(
            select(UserSession).where(UserSession.token_hash == _token_hash(token))
        ).one_or_none()
        if row is not None and row.ended_at is None:
            row.ended_at, row.end_reason = clock.now(), "signed_out"
    audit.record("auth.sign_out", actor=user, object_type="user", object_id=user.id, remote_addr=client.remote_addr)
    db.session.commit()


def end_all_sessions(user: User, reason: str) -> int:
    """End every open session of a user (the caller commits); return how many were open."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=clock.now(), end_reason=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)

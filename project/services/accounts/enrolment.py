"""Setting up an authenticator app: the secret shown to one browser waits on the server until a code confirms it.

The secret is sealed (as an enrolled one is) in ``mfa_pending_enrolments``; the browser's session holds only a
random handle whose SHA-256 finds the row (F11: no secret in the cookie). Each browser gets a secret of its own,
so two people who know a password never share one, and the row goes when the enrolment is confirmed or stale.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from project import clock
from project.extensions import db
from project.models import PendingEnrolment, User
from project.services import audit
from project.services.accounts.mfa import (
    MfaError,
    MfaPolicy,
    confirm_enrolment,
    new_secret,
)
from project.services.accounts.sealing import seal_secret, unseal_secret
from project.transaction import committing

PENDING_FOR = timedelta(minutes=30)  # time to scan the code and type one; then the page shows a new secret


def _handle_hash(handle: str) -> str:
    return hashlib.sha256(handle.encode()).hexdigest()


def start_enrolment(user: User, policy: MfaPolicy) -> tuple[str, str]:
    """A new secret for this browser, kept sealed on the server; return (the handle for the cookie, the secret)."""
    now = clock.now()
    handle, secret = secrets.token_urlsafe(32), new_secret()
    with committing("this account"):
        db.session.execute(
            delete(PendingEnrolment).where(
                PendingEnrolment.user_id == user.id, PendingEnrolment.created_at < now - PENDING_FOR
            )
        )
        db.session.add(
            PendingEnrolment(
                user_id=user.id,
                token_hash=_handle_hash(handle),
                sealed_secret=seal_secret(secret, policy.secret_key),
                created_at=now,
            )
        )
        audit.record("mfa.enrolment_started", actor=user, object_type="user", object_id=user.id)
    return handle, secret


def pending_secret(user: User, handle: str | None, policy: MfaPolicy) -> str | None:
    """The secret this browser's handle names for this user, while it is fresh; else None."""
    if not handle:
        return None
    row = db.session.scalars(
        select(PendingEnrolment).where(PendingEnrolment.token_hash == _handle_hash(handle))
    ).one_or_none()
    if row is None or row.user_id != user.id or clock.now() - row.created_at > PENDING_FOR:
        return None
    return unseal_secret(row.sealed_secret, policy.secret_key)


def confirm_pending_enrolment(user: User, handle: str | None, code: str, policy: MfaPolicy) -> list[str]:
    """Turn on the secret this browser was shown, once the app shows a right code for it; return the new
    recovery codes (shown once). The account's pending secrets are deleted with the same commit."""
    secret = pending_secret(user, handle, policy)
    if secret is None:
        raise MfaError("This set-up page has expired. Scan the new code shown and try again.")
    return confirm_enrolment(user, secret, code, policy)

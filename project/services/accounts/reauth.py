"""Proving the current factor again before a change to the account's own secrets (issue 15, F5).

A signed-in session alone does not change a password or a second factor: the current password (or app code)
is asked, and each attempt is counted in the database before it is checked, against the same per-account
budget as sign-in. Once the budget is spent the account is locked for the lockout period, also for sign-in,
and a right answer is refused until then. Every wrong or refused attempt is audited under the change's own
event name, with the reason ("wrong", "wrong_locked" when it spent the last try, "locked").
"""

from __future__ import annotations

from collections.abc import Callable

from project import clock
from project.models import User
from project.services import audit
from project.services.accounts import sessions
from project.services.accounts.passwords import verify_password
from project.transaction import committing

LOCKED = "Too many wrong attempts. Try again in {minutes} minutes."


def prove_current_factor(
    user: User,
    proven: Callable[[], bool],
    *,
    refused_event: str,
    wrong_message: str,
    error: type[Exception],
    policy: sessions.SignInPolicy,
    remote_addr: str | None = None,
) -> None:
    """Count the attempt, then call ``proven``; raise ``error`` (audited as ``refused_event``) when the account
    is locked or the answer is wrong. A right answer clears the count, as a session opening does."""
    if not sessions.claim_attempt(user, clock.now(), policy):
        _refused(user, refused_event, "locked", remote_addr)
        raise error(LOCKED.format(minutes=int(policy.lockout.total_seconds() // 60)))
    if not proven():
        locked = sessions.count_failure(user, clock.now(), policy)
        _refused(user, refused_event, "wrong_locked" if locked else "wrong", remote_addr)
        raise error(wrong_message)
    with committing("this account"):
        user.failed_sign_ins = 0


def prove_password(
    user: User,
    password: str,
    *,
    refused_event: str,
    wrong_message: str,
    error: type[Exception],
    policy: sessions.SignInPolicy | None = None,
    remote_addr: str | None = None,
) -> None:
    """``prove_current_factor`` with the account's current password as the factor."""
    prove_current_factor(
        user,
        lambda: verify_password(user.password_hash, password),
        refused_event=refused_event,
        wrong_message=wrong_message,
        error=error,
        policy=policy or sessions.SignInPolicy(),
        remote_addr=remote_addr,
    )


def _refused(user: User, event: str, reason: str, remote_addr: str | None) -> None:
    with committing("the audit trail"):
        audit.record(
            event,
            actor=user,
            object_type="user",
            object_id=user.id,
            remote_addr=remote_addr,
            detail={"reason": reason},
        )

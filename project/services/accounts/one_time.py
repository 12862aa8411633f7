"""Spending a one-time factor exactly once, even when several requests present it at the same moment (F1).

An app code's 30-second step is recorded in ``mfa_used_steps``, whose primary key (account, step) lets only
one transaction insert it; the account's ``mfa_last_step`` moves forward by a conditional UPDATE in the same
transaction, so an older code is refused too. A recovery code is spent by an UPDATE that only matches while
the code is unused: of parallel requests, one changes the row and the others change nothing. Each claim
commits on its own, before any session opens, so the winner is decided by the database on both engines.
"""

from __future__ import annotations

from sqlalchemy import delete, or_, update
from sqlalchemy.exc import IntegrityError

from project import clock
from project.extensions import db
from project.models import RecoveryCode, UsedTotpStep, User
from project.transaction import committing

KEEP_STEPS = 10  # steps older than this are past any drift window: their rows are pruned


class _AlreadyUsed(Exception):
    """Raised inside the claim's transaction so that it rolls back."""


def claim_step(user: User, step: int) -> bool:
    """Record ``step`` as used by ``user`` and commit; False when this step (or a later one) already was."""
    try:
        with committing("this account"):
            db.session.add(UsedTotpStep(user_id=user.id, step=step, used_at=clock.now()))
            db.session.flush()  # the primary key decides between parallel claims here
            moved = db.session.execute(
                update(User)
                .where(User.id == user.id, or_(User.mfa_last_step.is_(None), User.mfa_last_step < step))
                .values(mfa_last_step=step)
                .execution_options(synchronize_session=False)
            )
            if getattr(moved, "rowcount", 0) != 1:
                raise _AlreadyUsed
            db.session.execute(
                delete(UsedTotpStep).where(UsedTotpStep.user_id == user.id, UsedTotpStep.step < step - KEEP_STEPS)
            )
    except (IntegrityError, _AlreadyUsed):
        return False
    db.session.refresh(user)
    return True


def spend_recovery_code(code_id: int) -> bool:
    """Mark the recovery code used and commit; False when another request spent it first."""
    with committing("this account"):
        spent = db.session.execute(
            update(RecoveryCode)
            .where(RecoveryCode.id == code_id, RecoveryCode.used_at.is_(None))
            .values(used_at=clock.now())
            .execution_options(synchronize_session=False)
        )
    return getattr(spent, "rowcount", 0) == 1

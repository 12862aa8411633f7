"""Multi-factor sign-in with authenticator apps (TOTP, RFC 6238) and one-time recovery codes.

The shared secret is sealed (``sealing``) before it is stored, so a copy of the database alone does not
give anyone the codes. A code is good for its 30-second step and the one
either side (clock drift), and never twice (ASVS 2.8.4), even when posted twice at once: each step used is
recorded once per account and recovery codes are spent by a conditional UPDATE (``one_time``).
Recovery codes are shown once and kept as salted SHA-256 hashes (ASVS 2.6.1, 2.6.2).

Wrong codes count against the same per-account budget as wrong passwords (the count clears only when a
session opens), so knowing the password does not buy endless guesses at the code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

import pyotp
from sqlalchemy import delete, select

from project import clock
from project.extensions import db
from project.models import PendingEnrolment, RecoveryCode, UsedTotpStep, User
from project.services import audit
from project.services.accounts import one_time, reauth, sessions
from project.services.accounts.sealing import seal_secret, unseal_secret
from project.transaction import committing

STEP_SECONDS = 30
DRIFT_STEPS = 1  # accept the step before and after the current one
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt


class MfaError(ValueError):
    """The multi-factor change was refused; the message says why, for the person who asked."""


@dataclass(frozen=True)
class MfaPolicy:
    required_roles: frozenset[str]
    secret_key: str
    issuer: str = "Casefile"


def is_required(user: User, policy: MfaPolicy) -> bool:
    return any(role.value in policy.required_roles for role in user.role_set)


def needs_enrolment(user: User, policy: MfaPolicy) -> bool:
    """True when the account may not sign in until it has set up an authenticator app."""
    return is_required(user, policy) and not user.has_mfa


# --- the sealed secret -----------------------------------------------------------------------------


def _unseal(user: User, policy: MfaPolicy) -> str:
    secret = unseal_secret(user.mfa_secret or "", policy.secret_key)
    if secret is None:
        raise MfaError(
            "This account's authenticator secret cannot be read (the server's key changed). "
            "Use a recovery code, or ask an administrator to reset multi-factor sign-in."
        )
    return secret


def new_secret() -> str:
    """A fresh secret for an enrolment (kept on the server until a code confirms it: ``enrolment``)."""
    return pyotp.random_base32(32)  # 160 bits (RFC 4226 section 4)


def provisioning_uri(email: str, secret: str, policy: MfaPolicy) -> str:
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(name=email, issuer_name=policy.issuer)


def manual_key(secret: str) -> str:
    """The secret in groups of four, for typing into an app that cannot scan."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code, drawn here: nothing leaves the agency's network."""
    import qrcode  # on first use: only enrolment draws a QR code
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def confirm_enrolment(user: User, secret: str, code: str, policy: MfaPolicy) -> list[str]:
    """Turn the secret on once the app shows a right code for it; return new recovery codes (shown once)."""
    if user.has_mfa:
        raise MfaError("Multi-factor sign-in is already set up for this account.")
    step = _matching_step(secret, code, last_step=None)
    if step is None:
        with committing("the audit trail"):
            audit.record("mfa.enrolment_code_wrong", actor=user, object_type="user", object_id=user.id)
        raise MfaError("That code is not the one the app shows now. Check the app's clock and try the next code.")
    with committing("this account"):
        user.mfa_secret = seal_secret(secret, policy.secret_key)
        user.mfa_enabled_at = clock.now()
        user.mfa_last_step = step
        db.session.execute(delete(PendingEnrolment).where(PendingEnrolment.user_id == user.id))
        db.session.add(UsedTotpStep(user_id=user.id, step=step, used_at=clock.now()))
        codes = _replace_recovery_codes(user)
        audit.record("mfa.enrolled", actor=user, object_type="user", object_id=user.id)
    return codes


# --- checking a code at sign-in ----------------------------------------------------------------------


def verify_sign_in(
    user: User, code: str, client: sessions.Client, policy: MfaPolicy, sign_in_policy: sessions.SignInPolicy
) -> str:
    """The second factor: check an app code or a recovery code and open the session; return its token.
    A wrong or reused code raises ``sessions.SignInFailed`` (audited, counted toward the lockout)."""
    if not sessions.claim_attempt(user, clock.now(), sign_in_policy):
        sessions.refuse_attempt(user, "locked", client, sign_in_policy)
    method = _accept_code(user, code, client, policy)
    if method is None:
        sessions.refuse_attempt(user, "wrong_code", client, sign_in_policy)
    return sessions.open_session(user, client, second_factor=method)


def _accept_code(user: User, code: str, client: sessions.Client, policy: MfaPolicy) -> str | None:
    cleaned = "".join(code.split())
    if cleaned.isdigit():
        step = _matching_step(_unseal(user, policy), cleaned, last_step=None)
        if step is None:
            return None
        if not one_time.claim_step(user, step):
            # ASVS 2.8.5: a reused code is refused and logged, also when the reuse is simultaneous (F1).
            audit.record(
                "mfa.code_reused", actor=user, object_type="user", object_id=user.id, remote_addr=client.remote_addr
            )
            return None
        return "totp"
    if use_recovery_code(user, cleaned):
        remaining = recovery_codes_left(user)
        audit.record(
            "mfa.recovery_code_used",
            actor=user,
            object_type="user",
            object_id=user.id,
            remote_addr=client.remote_addr,
            detail={"codes_left": remaining},
        )
        return "recovery_code"
    return None


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The 30-second step (within the drift allowed) whose code this is and that is later than
    ``last_step``; None when there is none."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int(clock.now().timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code) and (last_step is None or step > last_step):
            return step
    return None


# --- recovery codes ----------------------------------------------------------------------------------


def _hash_code(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _normalise_recovery_code(code: str) -> str:
    return "".join(char for char in code.lower() if char in RECOVERY_ALPHABET)


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(15))  # about 74 bits
    return "-".join(raw[i : i + 5] for i in range(0, 15, 5))


def _replace_recovery_codes(user: User) -> list[str]:
    now = clock.now()
    for old in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.session.delete(old)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        salt = secrets.token_hex(16)
        code_hash = _hash_code(salt, _normalise_recovery_code(code))
        db.session.add(RecoveryCode(user_id=user.id, salt=salt, code_hash=code_hash, created_at=now))
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code (committed at once, so only one request can spend it); False when
    none matches or another request spent it first."""
    wanted = _normalise_recovery_code(code)
    if len(wanted) != 15:
        return False
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    for row in unused:
        if hmac.compare_digest(row.code_hash, _hash_code(row.salt, wanted)):
            return one_time.spend_recovery_code(row.id)
    return False


def recovery_codes_left(user: User) -> int:
    rows = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    return len(list(rows))


def new_recovery_codes(
    user: User,
    code: str,
    policy: MfaPolicy,
    sign_in_policy: sessions.SignInPolicy | None = None,
    remote_addr: str | None = None,
) -> list[str]:
    """Replace all recovery codes, after a right app code (wrong ones count toward the lockout, F5); the old
    codes stop working."""

    def proven() -> bool:
        step = _matching_step(_unseal(user, policy), code, user.mfa_last_step) if user.has_mfa else None
        return step is not None and one_time.claim_step(user, step)

    reauth.prove_current_factor(
        user,
        proven,
        refused_event="mfa.recovery_codes_refused",
        wrong_message="Enter the code your authenticator app shows now.",
        error=MfaError,
        policy=sign_in_policy or sessions.SignInPolicy(),
        remote_addr=remote_addr,
    )
    with committing("this account"):
        codes = _replace_recovery_codes(user)
        audit.record("mfa.recovery_codes_replaced", actor=user, object_type="user", object_id=user.id)
    return codes


# --- turning it off ----------------------------------------------------------------------------------


def turn_off(
    user: User,
    password: str,
    policy: MfaPolicy,
    sign_in_policy: sessions.SignInPolicy | None = None,
    remote_addr: str | None = None,
) -> None:
    """The account holder turns their own second factor off, where their roles allow it, after proving the
    password (wrong ones count toward the lockout, F5)."""
    if is_required(user, policy):
        raise MfaError("Your role requires multi-factor sign-in; it cannot be turned off.")
    reauth.prove_password(
        user,
        password,
        refused_event="mfa.turn_off_refused",
        wrong_message="The password is not right.",
        error=MfaError,
        policy=sign_in_policy,
        remote_addr=remote_addr,
    )
    with committing("this account"):
        _clear(user)
        audit.record("mfa.turned_off", actor=user, object_type="user", object_id=user.id)


def reset(user: User, *, actor: User) -> int:
    """An administrator clears a lost authenticator (ASVS 2.8.6); the account's sessions end and it
    enrols again at its next sign-in. Returns how many sessions were ended."""
    if actor.id == user.id:
        raise MfaError("Ask another administrator to reset your own multi-factor sign-in.")
    with committing("this account"):
        _clear(user)
        ended = sessions.end_all_sessions(user, reason="mfa_reset")
        audit.record(
            "mfa.reset",
            actor=actor,
            object_type="user",
            object_id=user.id,
            detail={"email": user.email, "sessions_ended": ended},
        )
    return ended


def _clear(user: User) -> None:
    user.mfa_secret = user.mfa_enabled_at = user.mfa_last_step = None
    db.session.execute(delete(UsedTotpStep).where(UsedTotpStep.user_id == user.id))
    for row in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.session.delete(row)

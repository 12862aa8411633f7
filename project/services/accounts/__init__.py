"""Accounts: people who sign in, their passwords, sessions, second factor and sign-in rate limits.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.accounts.enrolment import confirm_pending_enrolment, pending_secret, start_enrolment
from project.services.accounts.grants import approve_grant, grant_by_id, grant_role, recent_grants
from project.services.accounts.mfa import (
    DRIFT_STEPS,
    MfaError,
    MfaPolicy,
    confirm_enrolment,
    is_required,
    manual_key,
    needs_enrolment,
    new_recovery_codes,
    new_secret,
    provisioning_uri,
    qr_svg,
    recovery_codes_left,
    reset,
    turn_off,
    verify_sign_in,
)
from project.services.accounts.passwords import PasswordRejected, configure_hasher, verify_password
from project.services.accounts.rate_limits import (
    MemoryStorage,
    RateLimiter,
    RedisStorage,
    SignInRate,
    limiter_for,
    within_sign_in_rate,
)
from project.services.accounts.refusals import record_refusal
from project.services.accounts.sessions import (
    Client,
    SignInFailed,
    SignInPolicy,
    check_password,
    failure_message,
    open_session,
    resolve_session,
    sign_in,
    sign_out,
)
from project.services.accounts.users import (
    AccountError,
    change_password,
    create_user,
    disable_user,
    enable_user,
    find_user,
    list_users,
    user_by_id,
)

__all__ = [
    "AccountError",
    "Client",
    "DRIFT_STEPS",
    "MemoryStorage",
    "MfaError",
    "MfaPolicy",
    "PasswordRejected",
    "RateLimiter",
    "RedisStorage",
    "SignInFailed",
    "SignInPolicy",
    "SignInRate",
    "approve_grant",
    "change_password",
    "check_password",
    "configure_hasher",
    "confirm_enrolment",
    "confirm_pending_enrolment",
    "create_user",
    "disable_user",
    "enable_user",
    "failure_message",
    "find_user",
    "grant_by_id",
    "grant_role",
    "is_required",
    "limiter_for",
    "list_users",
    "manual_key",
    "needs_enrolment",
    "new_recovery_codes",
    "new_secret",
    "open_session",
    "pending_secret",
    "provisioning_uri",
    "qr_svg",
    "record_refusal",
    "recent_grants",
    "recovery_codes_left",
    "reset",
    "resolve_session",
    "sign_in",
    "sign_out",
    "start_enrolment",
    "turn_off",
    "user_by_id",
    "verify_password",
    "verify_sign_in",
    "within_sign_in_rate",
]

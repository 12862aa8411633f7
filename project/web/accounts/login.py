"""Flask-Login wiring: a user is loaded only through a live server-side session."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_login import LoginManager
from werkzeug.wrappers import Response

from project.models import User
from project.services import accounts, directory

SESSION_TOKEN_KEY = "sid"  # noqa: S105 - the name of a session key, not a secret


def sign_in_policy() -> accounts.SignInPolicy:
    config = current_app.config
    return accounts.SignInPolicy(
        max_failures=config["SIGN_IN_MAX_FAILURES"],
        lockout=config["SIGN_IN_LOCKOUT"],
        idle_timeout=config["SESSION_IDLE_TIMEOUT"],
        absolute_lifetime=config["SESSION_ABSOLUTE_LIFETIME"],
    )


def mfa_policy() -> accounts.MfaPolicy:
    config = current_app.config
    return accounts.MfaPolicy(
        required_roles=frozenset(config["MFA_REQUIRED_ROLES"]),
        secret_key=config["SECRET_KEY"],
        issuer=config["MFA_ISSUER"],
    )


def ldap_settings() -> directory.LdapSettings | None:
    return directory.LdapSettings.from_config(current_app.config)


def directory_recheck() -> directory.Recheck:
    config = current_app.config
    return directory.Recheck(
        every=timedelta(seconds=config["DIRECTORY_RECHECK_SECONDS"]),
        grace=timedelta(seconds=config["DIRECTORY_UNREACHABLE_GRACE_SECONDS"]),
    )


def within_sign_in_rate(email: str) -> bool:
    """Count a sign-in attempt against the client's address and the account name; False when either is
    over its limit (the refusal is audited; the account lockout stands behind this)."""
    config = current_app.config
    rate = accounts.SignInRate(
        per_address=config["SIGN_IN_RATE_PER_ADDRESS"],
        per_account=config["SIGN_IN_RATE_PER_ACCOUNT"],
        window_seconds=config["SIGN_IN_RATE_WINDOW_SECONDS"],
    )
    return accounts.within_sign_in_rate(
        current_app.extensions["casefile_rate_limiter"], rate, email, request.remote_addr
    )


def current_client() -> accounts.Client:
    return accounts.Client(remote_addr=request.remote_addr, user_agent=request.headers.get("User-Agent"))


def safe_next_url(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target:
        return None
    if "\\" in target or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def configure_login(manager: LoginManager) -> None:
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(user_id: str) -> User | None:
        live = accounts.resolve_live_session(session.get(SESSION_TOKEN_KEY), user_id, sign_in_policy())
        if live is None or not directory.still_vouched_for(live.user, ldap_settings(), directory_recheck()):
            return None
        g.session_ends_at = live.ends_at  # the page tells its idle warning when this is (issue 16, item 4)
        return live.user

    @manager.unauthorized_handler
    def unauthorized() -> Response:
        had_session = SESSION_TOKEN_KEY in session
        session.clear()
        if had_session:
            flash("Your session has ended. Sign in again to continue.", "info")
        else:
            flash("Sign in to continue.", "info")
        return redirect(url_for("auth.sign_in", next=return_path()))


def return_path() -> str | None:
    """Where to go back to after signing in again: the page asked for, or, for a form sent after the session
    ended, the page the form was on (its typed text waits there in the browser's draft, issue 16 item 4)."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    return safe_next_url(referrer.path + (f"?{referrer.query}" if referrer.query else ""))

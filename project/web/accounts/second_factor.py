"""The second step of signing in, setting up an authenticator app, and managing one's own second factor.

After a right password, an account with an authenticator app (or one whose role requires one) gets no
session yet: the browser's signed session holds only who passed the first step and when, for
``MFA_PENDING_SECONDS``. The server-side session opens once the code is right (or the app is set up).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from project import clock
from project.models import User
from project.services import accounts, directory
from project.web.accounts.forms import AppCodeForm, CodeForm, EnrolForm, TurnOffForm
from project.web.accounts.login import (
    SESSION_TOKEN_KEY,
    current_client,
    mfa_policy,
    safe_next_url,
    sign_in_policy,
    within_sign_in_rate,
)
from project.wording import counted

bp = Blueprint("mfa", __name__, url_prefix="/auth")

PENDING_KEY = "mfa_pending"
ENROLMENT_KEY = "mfa_enrolment"  # a handle to the secret kept on the server (F11), never the secret


def after_first_factor(user: User, next_url: str | None) -> Response:
    """The password (local or directory) or the identity provider vouched for the person: an account of the
    directory or the identity provider skips Casefile's second factor when DIRECTORY_MFA is "provider"."""
    if directory.trusts_provider_mfa(user, current_app.config["DIRECTORY_MFA"]):
        return complete_sign_in(user, accounts.open_session(user, current_client(), "identity_provider"), next_url)
    return after_password(user, next_url)


def after_password(user: User, next_url: str | None) -> Response:
    """The password was right: open the session, or ask for the second factor first."""
    policy = mfa_policy()
    if not user.has_mfa and not accounts.needs_enrolment(user, policy):
        return complete_sign_in(user, accounts.open_session(user, current_client()), next_url)
    session.clear()
    session[PENDING_KEY] = {"user_id": user.id, "since": clock.now().timestamp(), "next": safe_next_url(next_url)}
    return redirect(url_for("mfa.verify" if user.has_mfa else "mfa.enrol"))


def complete_sign_in(user: User, token: str, next_url: str | None) -> Response:
    session.clear()  # a new session for a new sign-in: nothing carries over from before (ASVS 3.2.1)
    session.permanent = True
    session[SESSION_TOKEN_KEY] = token
    login_user(user)
    return redirect(safe_next_url(next_url) or url_for("main.home"))


def pending_user() -> User | None:
    """Who passed the password step in this browser, while that is recent enough; else None."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if clock.now().timestamp() - float(pending.get("since", 0)) > current_app.config["MFA_PENDING_SECONDS"]:
        session.pop(PENDING_KEY, None)
        return None
    user = accounts.user_by_id(pending.get("user_id"))
    return user if user is not None and user.is_active else None


def _start_again() -> Response:
    session.clear()
    flash("Sign in to continue. The code is asked within a few minutes of the password.", "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
def verify() -> Response | str | tuple[str, int]:
    """The code from the authenticator app, or a recovery code (ASVS 2.8.1, 2.8.4, 2.6.1)."""
    if current_user.is_authenticated:  # already signed in: nothing to do here, and nothing to undo
        return redirect(url_for("main.home"))
    user = pending_user()
    if user is None or not user.has_mfa:
        return _start_again()
    form = CodeForm()
    if form.validate_on_submit():
        if not within_sign_in_rate(user.email):
            form.code.errors.append("Too many sign-in attempts. Wait a few minutes and try again.")
            return render_template("auth/code.html", form=form), 429
        try:
            token = accounts.verify_sign_in(
                user, form.code.data or "", current_client(), mfa_policy(), sign_in_policy()
            )
        except accounts.SignInFailed as failure:
            form.code.errors.append(f"That code did not work. {failure}")
        except accounts.MfaError as refused:
            form.code.errors.append(str(refused))
        else:
            left = accounts.recovery_codes_left(user)
            if left <= 3:
                flash(f"You have {counted(left, 'recovery code')} left. Make new ones under Sign-in security.", "info")
            return complete_sign_in(user, token, session.get(PENDING_KEY, {}).get("next"))
    return render_template("auth/code.html", form=form), 400 if request.method == "POST" else 200


@bp.route("/mfa/set-up", methods=["GET", "POST"])
def enrol() -> Response | str | tuple[str, int]:
    """Set up an authenticator app: at sign-in when the role requires it, or from Sign-in security."""
    user = current_user if current_user.is_authenticated else pending_user()
    if user is None:
        return _start_again()
    if user.has_mfa:
        flash("An authenticator app is already set up for this account.", "info")
        return redirect(url_for("mfa.settings" if current_user.is_authenticated else "mfa.verify"))
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = accounts.confirm_pending_enrolment(
                user, session.get(ENROLMENT_KEY), form.code.data or "", mfa_policy()
            )
        except accounts.MfaError as refused:
            form.code.errors.append(str(refused))
        else:
            session.pop(ENROLMENT_KEY, None)
            next_url = url_for("mfa.settings")
            if not current_user.is_authenticated:
                next_url = session.get(PENDING_KEY, {}).get("next") or url_for("main.home")
                complete_sign_in(user, accounts.open_session(user, current_client(), "totp_enrolment"), None)
            return render_template("auth/recovery_codes.html", codes=codes, next_url=next_url)
    secret = accounts.pending_secret(user, session.get(ENROLMENT_KEY), mfa_policy())
    if secret is None:
        session[ENROLMENT_KEY], secret = accounts.start_enrolment(user, mfa_policy())
    uri = accounts.provisioning_uri(user.email, secret, mfa_policy())
    return render_template(
        "auth/enrol.html",
        form=form,
        qr_svg=accounts.qr_svg(uri),
        key=accounts.manual_key(secret),
        required=accounts.is_required(user, mfa_policy()),
    ), 400 if request.method == "POST" else 200


def _settings_page(code_form: AppCodeForm | None = None, turn_off_form: TurnOffForm | None = None) -> str:
    return render_template(
        "auth/mfa.html",
        codes_left=accounts.recovery_codes_left(current_user),
        required=accounts.is_required(current_user, mfa_policy()),
        code_form=code_form or AppCodeForm(),
        turn_off_form=turn_off_form or TurnOffForm(),
    )


@bp.get("/mfa")
@login_required
def settings() -> str:
    return _settings_page()


@bp.post("/mfa/recovery-codes")
@login_required
def new_recovery_codes() -> str | tuple[str, int]:
    form = AppCodeForm()
    if form.validate_on_submit():
        try:
            codes = accounts.new_recovery_codes(
                current_user, form.code.data or "", mfa_policy(), sign_in_policy(), current_client().remote_addr
            )
        except accounts.MfaError as refused:
            form.code.errors.append(str(refused))
        else:
            return render_template("auth/recovery_codes.html", codes=codes, next_url=url_for("mfa.settings"))
    return _settings_page(code_form=form), 400


@bp.post("/mfa/turn-off")
@login_required
def turn_off() -> Response | tuple[str, int]:
    form = TurnOffForm()
    if form.validate_on_submit():
        try:
            accounts.turn_off(
                current_user, form.password.data or "", mfa_policy(), sign_in_policy(), current_client().remote_addr
            )
        except accounts.MfaError as refused:
            form.password.errors.append(str(refused))
        else:
            flash("The authenticator app is no longer asked for at sign-in.", "success")
            return redirect(url_for("mfa.settings"))
    return _settings_page(turn_off_form=form), 400

from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from project.services import accounts, directory
from project.services.accounts import PasswordRejected
from project.web.accounts.forms import PasswordChangeForm, SignInForm
from project.web.accounts.login import (
    SESSION_TOKEN_KEY,
    current_client,
    ldap_settings,
    sign_in_policy,
    within_sign_in_rate,
)
from project.web.accounts.second_factor import after_first_factor
from project.wording import counted

bp = Blueprint("auth", __name__, url_prefix="/auth")


PASSWORD_CHANGE_ALLOWS = {
    "auth.change_password",
    "auth.sign_out",
    "auth.keep_alive",
    "static",
    "probes.healthz",  # the probes read no session: no user is loaded, no database touched
    "probes.readyz",
    "probes.metrics",
}


@bp.before_app_request
def _password_change_first() -> Response | None:
    """F8: an account whose password an administrator chose, or that was given a case role, sets a password of
    its own before anything else."""
    if (
        request.endpoint not in PASSWORD_CHANGE_ALLOWS
        and current_user.is_authenticated
        and current_user.password_change_required
    ):
        flash("Choose a new password of your own before you continue.", "info")
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        if not within_sign_in_rate(form.email.data or ""):
            form.password.errors.append("Too many sign-in attempts. Wait a few minutes and try again.")
            return _sign_in_page(form), 429
        try:
            user = directory.sign_in_with_password(
                form.email.data or "", form.password.data or "", current_client(), sign_in_policy(), ldap_settings()
            )
        except (accounts.SignInFailed, directory.SignInRefused) as failure:
            form.password.errors.append(str(failure))
        else:
            return after_first_factor(user, form.next.data)
    return _sign_in_page(form)


def _sign_in_page(form: SignInForm) -> str:
    """The sign-in form, with the button of the OpenID Connect provider when one is set up."""
    return render_template("auth/sign_in.html", form=form, oidc=directory.OidcSettings.from_config(current_app.config))


@bp.post("/sign-out")
@login_required
def sign_out() -> Response:
    # CSRFProtect has already refused a POST without a valid token.
    accounts.sign_out(session.get(SESSION_TOKEN_KEY), current_user, current_client())
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.sign_in"))


@bp.post("/keep-alive")
def keep_alive() -> tuple[Response, int]:
    """ "Stay signed in" (issue 16, item 4): count this as a use of the session and say how many seconds it has
    left. It never moves the absolute lifetime from sign-in (F12). CSRFProtect has already checked the token."""
    ends_at = None
    if current_user.is_authenticated:
        ends_at = accounts.keep_session_alive(session.get(SESSION_TOKEN_KEY), current_user.get_id(), sign_in_policy())
    if ends_at is None:
        return jsonify(signed_in=False, seconds_left=0), 401
    return jsonify(signed_in=True, seconds_left=accounts.seconds_left(ends_at)), 200


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> Response | tuple[str, int]:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            ended = accounts.change_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                keep_token=session.get(SESSION_TOKEN_KEY),
                remote_addr=current_client().remote_addr,
                policy=sign_in_policy(),
            )
        except accounts.AccountError as refused:
            form.current_password.errors.append(str(refused))
        except PasswordRejected as refused:
            form.new_password.errors.append(str(refused))
        else:
            flash(
                f"Password changed. {counted(ended, 'other session')} of your account "
                f"{'was' if ended == 1 else 'were'} signed out.",
                "success",
            )
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form), 400 if request.method == "POST" else 200

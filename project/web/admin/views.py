from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from project.permissions import can_manage_roster, can_manage_users
from project.services import accounts, discipline, roster
from project.services.accounts import PasswordRejected
from project.web.access import permission_required
from project.web.admin.forms import RoleGrantForm, RosterImportForm, UserForm
from project.web.case_access import current_actor
from project.wording import counted

bp = Blueprint("admin", __name__, url_prefix="/admin")

MAX_ROSTER_BYTES = 5 * 1024 * 1024


@bp.get("/users")
@permission_required(can_manage_users)
def users() -> str:
    return render_template(
        "admin/users.html",
        users=accounts.list_users(),
        grants=accounts.recent_grants(),
        grant_form=RoleGrantForm(),
        two_person=current_app.config["ROLE_GRANTS_NEED_SECOND_ADMIN"],
    )


@bp.post("/users/<int:user_id>/roles")
@permission_required(can_manage_users)
def grant_role(user_id: int) -> Response:
    """Give an account a role (F8): never a case role to oneself; under the two-person rule it waits."""
    user = accounts.user_by_id(user_id)
    if user is None:
        abort(404)
    form = RoleGrantForm()
    if form.validate_on_submit():
        two_person = current_app.config["ROLE_GRANTS_NEED_SECOND_ADMIN"]
        try:
            accounts.grant_role(user, form.role.data or "", actor=current_actor().user, two_person=two_person)
        except accounts.AccountError as refused:
            flash(str(refused), "error")
        else:
            waits = " It waits for a second administrator's approval." if two_person else ""
            flash(f"Role {form.role.data} given to {user.email}.{waits}", "success")
    return redirect(url_for("admin.users"))


@bp.post("/grants/<int:grant_id>/approve")
@permission_required(can_manage_users)
def approve_grant(grant_id: int) -> Response:
    if accounts.grant_by_id(grant_id) is None:
        abort(404)
    try:
        grant = accounts.approve_grant(grant_id, actor=current_actor().user)
    except accounts.AccountError as refused:
        flash(str(refused), "error")
    else:
        flash(f"Role {grant.role} for {grant.user.email} approved.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/new", methods=["GET", "POST"])
@permission_required(can_manage_users)
def new_user() -> Response | tuple[str, int]:
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data or "",
                form.name.data or "",
                form.roles.data or [],
                form.password.data or "",
                actor=current_actor().user,
                employee_number=form.employee_number.data,
                two_person=current_app.config["ROLE_GRANTS_NEED_SECOND_ADMIN"],
            )
        except accounts.AccountError as refused:
            field = "roles" if "role" in str(refused) else "email"
            getattr(form, field).errors.append(str(refused))
        except PasswordRejected as refused:
            form.password.errors.append(str(refused))
        else:
            flash(f"Account {user.email} created.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form), 400 if request.method == "POST" else 200


@bp.post("/users/<int:user_id>/<any(disable, enable):change>")
@permission_required(can_manage_users)
def set_user_active(user_id: int, change: str) -> Response:
    """Disable (every session ends at once) or enable an account. CSRF is checked by CSRFProtect."""
    user = accounts.user_by_id(user_id)
    if user is None:
        abort(404)
    if user.id == current_actor().user.id:
        flash("You cannot disable your own account.", "error")
    elif change == "disable":
        accounts.disable_user(user.email, actor=current_actor().user)
        flash(f"{user.email} is disabled; their sessions have ended.", "success")
    else:
        accounts.enable_user(user, actor=current_actor().user)
        flash(f"{user.email} is enabled again.", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/mfa-reset")
@permission_required(can_manage_users)
def reset_mfa(user_id: int) -> Response:
    """Clear a lost authenticator: the account's sessions end and it sets up a new app at next sign-in."""
    user = accounts.user_by_id(user_id)
    if user is None:
        abort(404)
    try:
        ended = accounts.reset(user, actor=current_actor().user)
    except accounts.MfaError as refused:
        flash(str(refused), "error")
    else:
        flash(
            f"Multi-factor sign-in for {user.email} is reset; {counted(ended, 'session')} ended. "
            "They set up their authenticator app again at their next sign-in.",
            "success",
        )
    return redirect(url_for("admin.users"))


@bp.get("/roster")
@permission_required(can_manage_roster)
def roster_list() -> str:
    forms = {"admin.roster_import": RosterImportForm(), "admin.discipline_import": RosterImportForm()}
    return render_template("admin/roster.html", employees=roster.list_employees(), forms=forms, row_errors={})


@bp.post("/roster")
@permission_required(can_manage_roster)
def roster_import() -> Response | tuple[str, int]:
    return _import(roster.import_roster, "Roster imported")


@bp.post("/roster/discipline")
@permission_required(can_manage_roster)
def discipline_import() -> Response | tuple[str, int]:
    return _import(discipline.import_prior_discipline, "Prior discipline imported")


def _import(importer: Callable[..., Any], done: str) -> Response | tuple[str, int]:
    """Read an uploaded CSV and hand it to an all-or-nothing importer; show every bad row with its line."""
    form = RosterImportForm()
    row_errors: list[roster.RowError] = []
    if form.validate_on_submit():
        raw = form.file.data.read(MAX_ROSTER_BYTES + 1)
        try:
            if len(raw) > MAX_ROSTER_BYTES:
                raise ValueError(f"The file is larger than {MAX_ROSTER_BYTES // (1024 * 1024)} MB.")
            result = importer(
                raw.decode("utf-8-sig"), actor=current_actor().user, source=form.file.data.filename or "upload"
            )
        except UnicodeDecodeError:
            form.file.errors.append("The file is not UTF-8 text. Save it as CSV (UTF-8) and try again.")
        except roster.RosterImportError as refused:
            row_errors = refused.errors
            wrong = counted(len({e.line for e in row_errors}), "row is", "rows are")
            form.file.errors.append(
                f"Nothing was imported: {wrong} wrong; fix the rows listed below and import the file again."
            )
        except ValueError as refused:
            form.file.errors.append(str(refused))
        else:
            flash(f"{done}: {result.created} added, {result.updated} updated, {result.unchanged} unchanged.", "success")
            return redirect(url_for("admin.roster_list"))
    forms = {"admin.roster_import": RosterImportForm(), "admin.discipline_import": RosterImportForm()}
    forms[str(request.endpoint)] = form
    return render_template(
        "admin/roster.html", employees=roster.list_employees(), forms=forms, row_errors={request.endpoint: row_errors}
    ), 400

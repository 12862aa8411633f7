from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from project.permissions import can_manage_roster, can_manage_users
from project.services import accounts, roster
from project.web.access import permission_required
from project.web.admin.forms import RosterImportForm
from project.web.case_access import current_actor

bp = Blueprint("admin", __name__, url_prefix="/admin")

MAX_ROSTER_BYTES = 5 * 1024 * 1024


@bp.get("/users")
@permission_required(can_manage_users)
def users() -> str:
    return render_template("admin/users.html", users=accounts.list_users())


@bp.get("/roster")
@permission_required(can_manage_roster)
def roster_list() -> str:
    return render_template("admin/roster.html", employees=roster.list_employees(), form=RosterImportForm())


@bp.post("/roster")
@permission_required(can_manage_roster)
def roster_import() -> Response | tuple[str, int]:
    form = RosterImportForm()
    row_errors: list[roster.RowError] = []
    if form.validate_on_submit():
        raw = form.file.data.read(MAX_ROSTER_BYTES + 1)
        try:
            if len(raw) > MAX_ROSTER_BYTES:
                raise ValueError(f"The file is larger than {MAX_ROSTER_BYTES // (1024 * 1024)} MB.")
            text = raw.decode("utf-8-sig")
            result = roster.import_roster(text, actor=current_actor().user, source=form.file.data.filename or "upload")
        except UnicodeDecodeError:
            form.file.errors.append("The file is not UTF-8 text. Save it as CSV (UTF-8) and try again.")
        except ValueError as refused:
            if isinstance(refused, roster.RosterImportError):
                row_errors = refused.errors
                form.file.errors.append(f"Nothing was imported: {len({e.line for e in row_errors})} row(s) are wrong.")
            else:
                form.file.errors.append(str(refused))
        else:
            flash(f"Roster imported: {result.created} added, {result.updated} updated, "
                  f"{result.unchanged} unchanged.", "success")
            return redirect(url_for("admin.roster_list"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/roster.html", employees=roster.list_employees(), form=form,
                           row_errors=row_errors), status

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from project.permissions import can_manage_roster, can_manage_users
from project.services import accounts, prior_discipline, roster
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
    forms = {"admin.roster_import": RosterImportForm(), "admin.discipline_import": RosterImportForm()}
    return render_template("admin/roster.html", employees=roster.list_employees(), forms=forms, row_errors={})


@bp.post("/roster")
@permission_required(can_manage_roster)
def roster_import() -> Response | tuple[str, int]:
    return _import(roster.import_roster, "Roster imported")


@bp.post("/roster/discipline")
@permission_required(can_manage_roster)
def discipline_import() -> Response | tuple[str, int]:
    return _import(prior_discipline.import_prior_discipline, "Prior discipline imported")


def _import(importer: Callable[..., Any], done: str) -> Response | tuple[str, int]:
    """Read an uploaded CSV and hand it to an all-or-nothing importer; show every bad row with its line."""
    form = RosterImportForm()
    row_errors: list[roster.RowError] = []
    if form.validate_on_submit():
        raw = form.file.data.read(MAX_ROSTER_BYTES + 1)
        try:
            if len(raw) > MAX_ROSTER_BYTES:
                raise ValueError(f"The file is larger than {MAX_ROSTER_BYTES // (1024 * 1024)} MB.")
            result = importer(raw.decode("utf-8-sig"), actor=current_actor().user,
                              source=form.file.data.filename or "upload")
        except UnicodeDecodeError:
            form.file.errors.append("The file is not UTF-8 text. Save it as CSV (UTF-8) and try again.")
        except roster.RosterImportError as refused:
            row_errors = refused.errors
            form.file.errors.append(f"Nothing was imported: {len({e.line for e in row_errors})} row(s) are wrong.")
        except ValueError as refused:
            form.file.errors.append(str(refused))
        else:
            flash(f"{done}: {result.created} added, {result.updated} updated, {result.unchanged} unchanged.", "success")
            return redirect(url_for("admin.roster_list"))
    forms = {"admin.roster_import": RosterImportForm(), "admin.discipline_import": RosterImportForm()}
    forms[str(request.endpoint)] = form
    return render_template("admin/roster.html", employees=roster.list_employees(), forms=forms,
                           row_errors={request.endpoint: row_errors}), 400

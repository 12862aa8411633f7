"""The subject employees of a case page: the picker (search the roster as you type, with a plain search that
works without JavaScript), the confirmation of who will be linked, the link itself, and unlinking a wrong one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from project import permissions
from project.models import Case, Employee
from project.services import casework, roster
from project.services.errors import CaseworkError
from project.web.access import sign_in_required
from project.web.case_access import current_actor, load_case, load_subject
from project.web.casework.forms import SubjectForm, UnlinkForm
from project.web.forms_common import clean_text, show_refusal

bp = Blueprint("subjects", __name__, url_prefix="/cases")
sign_in_required(bp)

MAX_QUERY = 100


def _query() -> str:
    return clean_text(request.args.get("q", ""), MAX_QUERY).strip()


def _matches(case: Case, query: str, form: SubjectForm | None = None, status: int = 200) -> tuple[str, int]:
    """The no-JavaScript picker: the search box and the employees matching ``query``, each to choose."""
    found = roster.find_employees(query) if query else roster.RosterMatches()
    return render_template("cases/subject_find.html", case=case, query=query, matches=found, form=form), status


def _confirmation(case: Case, employee: Employee) -> str:
    form = SubjectForm(formdata=None, employee_number=employee.employee_number, confirmed="yes")
    already = any(s.employee_id == employee.id for s in case.subjects)
    return render_template("cases/subject_confirm.html", case=case, employee=employee, form=form, already=already)


@bp.get("/<number>/subjects/find")
def find(number: str) -> tuple[str, int]:
    return _matches(load_case(number, permissions.can_edit_case), _query())


@bp.get("/<number>/subjects/roster.json")
def roster_matches(number: str) -> Response:
    """The picker's answer as it is typed: at most ``roster.PICKER_LIMIT`` employees, never cached."""
    load_case(number, permissions.can_edit_case)
    query = _query()
    return roster_json(query, lambda employee: url_for("subjects.confirm", number=number, employee=employee))


def roster_json(query: str, confirm_url: Callable[[str], str]) -> Response:
    """The roster picker's answer (static/js/picker.js) to what is typed: at most ``roster.PICKER_LIMIT``
    employees, each with the page that confirms it, never cached."""
    found = roster.find_employees(query) if query else roster.RosterMatches()
    employees: list[dict[str, Any]] = [
        {
            "number": e.employee_number,
            "name": e.display_name,
            "title": e.title,
            "facility": e.facility,
            "status": e.status,
            "confirm_url": confirm_url(e.employee_number),
        }
        for e in found.employees
    ]
    response = jsonify({"employees": employees, "more": found.more})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<number>/subjects/confirm")
def confirm(number: str) -> str | tuple[str, int]:
    case = load_case(number, permissions.can_edit_case)
    employee = casework.find_employee(clean_text(request.args.get("employee", ""), 20))
    if employee is None:
        return _matches(case, _query())
    return _confirmation(case, employee)


@bp.post("/<number>/subjects")
def link(number: str) -> Response | str | tuple[str, int]:
    """Link the employee once confirmed. A number not yet confirmed shows who it is first; anything that is
    no employee number (a name, a mistyped number) lists the employees it matches."""
    case = load_case(number, permissions.can_edit_case)
    form = SubjectForm()
    if not form.validate_on_submit():
        return _matches(case, "", form, 400)
    typed = (form.employee_number.data or "").strip()
    employee = casework.find_employee(typed)
    if employee is None:
        return _matches(case, typed)
    if form.confirmed.data != "yes":
        return _confirmation(case, employee)
    linked = f"{employee.display_name} linked as a subject."  # read before the commit
    try:
        casework.link_subject(case, employee, current_actor())
    except CaseworkError as error:
        show_refusal(form, error)
        return _matches(case, "", form, 400)
    flash(linked, "success")
    return redirect(url_for("cases.show", number=case.number) + "#subjects")


@bp.route("/<number>/subjects/<int:subject_id>/unlink", methods=["GET", "POST"])
def unlink(number: str, subject_id: int) -> Response | tuple[str, int]:
    case = load_case(number)
    casework.require_unlinking_allowed(case, current_user)  # NotPermitted: the 403 page says why
    subject = load_subject(case, subject_id)
    name, case_number = subject.employee.display_name, case.number  # read before the commit
    form = UnlinkForm()
    if form.validate_on_submit():
        try:
            casework.unlink_subject(case, subject, form.reason.data or "", current_actor())
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            flash(f"{name} was unlinked from the case.", "success")
            return redirect(url_for("cases.show", number=case_number) + "#subjects")
    status = 400 if request.method == "POST" else 200
    kept = casework.records_about(subject)
    return render_template("cases/subject_unlink.html", case=case, subject=subject, form=form, kept=kept), status

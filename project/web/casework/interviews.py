"""The interviews of a case page: record one, change one, and record why a subject was never interviewed.
Only the investigator working the case, while it is open (the service checks both and says why not)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from project.models import Case
from project.services import casework, evidence
from project.services.errors import CaseworkError
from project.web.access import sign_in_required
from project.web.case_access import current_actor, load_case
from project.web.casework.interview_forms import InterviewForm, NotInterviewedForm
from project.web.forms_common import show_refusal

bp = Blueprint("interviews", __name__, url_prefix="/cases")
sign_in_required(bp)


def _allowed_case(number: str) -> Case:
    case = load_case(number)
    casework.require_interviewing_allowed(case, current_user)  # NotPermitted: the 403 page says why
    return case


def _back(case_number: str) -> Response:
    return redirect(url_for("cases.show", number=case_number) + "#interviews")


@bp.route("/<number>/interviews/new", methods=["GET", "POST"])
@bp.route("/<number>/interviews/<int:interview_id>", methods=["GET", "POST"])
def interview(number: str, interview_id: int | None = None) -> Response | tuple[str, int]:
    case = _allowed_case(number)
    row = casework.interview_of_case(case, interview_id) if interview_id else None
    if interview_id and row is None:
        abort(404)
    form = InterviewForm()
    form.offer(case, evidence.exhibits_of(case))
    if request.method == "GET":
        if row is not None:
            form.fill(row)
        else:
            form.garrity_form_version.data = current_app.config["GARRITY_FORM_VERSION"]
            form.interviewers.data = [str(current_user.id)]
            form.person.data = request.args.get("person", "")[:20]
    case_number = case.number  # read before the commit: nothing after it may fail the response
    if form.validate_on_submit():
        try:
            if row is None:
                casework.record_interview(case, form.entry(), current_actor())
            else:
                casework.change_interview(case, row, form.entry(), current_actor(), form.version.expected())
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            flash("Interview saved." if row is None else "Interview changed.", "success")
            return _back(case_number)
    status = 400 if request.method == "POST" else 200
    setting = current_app.config["GARRITY_FORM_VERSION"]
    return render_template(
        "cases/interview_form.html", form=form, case=case, interview=row, garrity_setting=setting
    ), status


@bp.route("/<number>/interviews/not-interviewed", methods=["GET", "POST"])
def not_interviewed(number: str) -> Response | tuple[str, int]:
    case = _allowed_case(number)
    form = NotInterviewedForm()
    form.subject.choices = [("", "Choose")] + [(str(s.id), s.employee.display_name) for s in case.subjects]
    if request.method == "GET":
        form.subject.data = request.args.get("subject", "")[:10]
    case_number = case.number
    if form.validate_on_submit():
        try:
            casework.record_not_interviewed(case, form.entry(), current_actor())
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            flash("Recorded why the subject was not interviewed.", "success")
            return _back(case_number)
    status = 400 if request.method == "POST" else 200
    return render_template("cases/not_interviewed_form.html", form=form, case=case), status

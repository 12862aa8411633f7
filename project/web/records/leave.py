"""A subject's administrative leave: the periods, the paid days against the limit, a form to add one."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from project import clock, permissions
from project.models import Case, CaseSubject
from project.services import records
from project.services.errors import CaseworkError, InvalidInput
from project.web.access import sign_in_required
from project.web.case_access import current_actor, load_case, load_subject
from project.web.forms_common import apply_errors
from project.web.records.forms import EndLeaveForm, LeaveForm

bp = Blueprint("leave", __name__)
sign_in_required(bp)


def _page(case: Case, subject: CaseSubject, form: LeaveForm, status: int) -> tuple[str, int]:
    config = current_app.config
    periods = records.leave_of(subject)
    standing = records.standing_of(
        periods, clock.local_today(), config["PAID_LEAVE_LIMIT_DAYS"], config["PAID_LEAVE_WARN_DAYS"]
    )
    page = render_template(
        "leave/subject.html",
        case=case,
        subject=subject,
        periods=periods,
        standing=standing,
        form=form,
        end_form=EndLeaveForm(),
    )
    return page, status


@bp.route("/cases/<number>/subjects/<int:subject_id>/leave", methods=["GET", "POST"])
def subject_leave(number: str, subject_id: int) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_record_leave)
    subject = load_subject(case, subject_id)
    form = LeaveForm()
    if form.validate_on_submit():
        try:
            records.record_leave(case, subject, form.entry(), current_actor())
        except InvalidInput as refused:
            apply_errors(form, refused.errors)
        except CaseworkError as refused:
            form.form_errors.append(str(refused))
        else:
            flash(f"Leave recorded for {subject.employee.display_name}.", "success")
            return redirect(url_for("leave.subject_leave", number=case.number, subject_id=subject.id))
    return _page(case, subject, form, 400 if request.method == "POST" else 200)


@bp.post("/cases/<number>/subjects/<int:subject_id>/leave/<int:period_id>/end")
def end(number: str, subject_id: int, period_id: int) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_record_leave)
    subject = load_subject(case, subject_id)
    period = next((p for p in records.leave_of(subject) if p.id == period_id), None)
    if period is None:
        abort(404)
    form = EndLeaveForm()
    if form.validate_on_submit():
        try:
            records.end_leave(case, period, form.ends_on.data, current_actor())
        except InvalidInput as refused:
            flash("; ".join(refused.errors.values()), "error")
        else:
            flash(f"Leave ended on {period.ends_on}.", "success")
            return redirect(url_for("leave.subject_leave", number=case.number, subject_id=subject.id))
    else:
        flash("Give the last day of the leave.", "error")
    return _page(case, subject, LeaveForm(formdata=None), 400)

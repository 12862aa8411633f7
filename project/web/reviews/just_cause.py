"""The seven tests of just cause, answered by the reviewing supervisor for one subject at review."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from project import permissions
from project.services import casework
from project.services.errors import CaseworkError
from project.web.access import sign_in_required
from project.web.case_access import current_actor, load_case, load_subject
from project.web.forms_common import show_refusal
from project.web.reviews.forms import JustCauseForm

bp = Blueprint("just_cause", __name__, url_prefix="/cases")
sign_in_required(bp)


@bp.route("/<number>/review/subjects/<int:subject_id>/just-cause", methods=["GET", "POST"])
def answer(number: str, subject_id: int) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_review)
    subject = load_subject(case, subject_id)
    form = JustCauseForm()
    recorded = casework.current_just_cause(case, subject)
    notice = casework.notice_on_record(subject)
    if request.method == "GET":
        if recorded is not None:
            form.fill(recorded)
        else:
            form.fill_notice(*notice)
    if form.validate_on_submit():
        try:
            name = subject.employee.display_name  # read before the commit
            casework.record_just_cause(case, subject, form.entry(), current_actor())
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            flash(f"Just cause answered for {name}.", "success")
            return redirect(url_for("reviews.review", number=case.number) + "#just-cause")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "reviews/just_cause.html",
        form=form,
        case=case,
        subject=subject,
        recorded=recorded,
        notice=notice[1],
        tests=casework.JUST_CAUSE_TESTS,
        standard=casework.JUST_CAUSE_STANDARD,
    ), status

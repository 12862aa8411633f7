from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from project import clock, permissions
from project.services import accounts, casework, deadlines, discipline
from project.services.casework import case_file
from project.services.errors import CaseworkError, InvalidInput
from project.web.access import sign_in_required
from project.web.case_access import current_actor, load_case
from project.web.forms_common import show_refusal
from project.web.reviews.forms import AssignForm, ReasonForm, ReviewForm, SubmitForm

bp = Blueprint("reviews", __name__, url_prefix="/cases")
sign_in_required(bp)


def _done(number: str, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("cases.show", number=number))


@bp.route("/<number>/assign", methods=["GET", "POST"])
def assign(number: str) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_assign)
    form = AssignForm()
    form.investigator.choices = [(u.id, u.name) for u in casework.investigators() if u.is_active]
    if form.validate_on_submit():
        investigator = accounts.user_by_id(form.investigator.data) if form.investigator.data else None
        try:
            if investigator is None:
                raise InvalidInput({"investigator": "Choose an investigator."})
            done = f"Case assigned to {investigator.name}."  # read before the commit, as the case number is
            casework.assign_investigator(case, investigator, current_actor(), form.reason.data or "")
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            return _done(case.number, done)
    status = 400 if request.method == "POST" else 200
    return render_template("reviews/assign.html", form=form, case=case), status


@bp.route("/<number>/submit", methods=["GET", "POST"])
def submit(number: str) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_submit)
    form = SubmitForm()
    if form.validate_on_submit():
        try:
            casework.submit_for_review(case, current_actor(), form.comment.data or "")
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            return _done(case.number, "Case submitted for review.")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "reviews/submit.html", form=form, case=case, problems=casework.submission_problems(case)
    ), status


@bp.route("/<number>/review", methods=["GET", "POST"])
def review(number: str) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_review)
    form = ReviewForm()
    if form.validate_on_submit():
        actor, reasons, decision = current_actor(), form.reasons.data or "", form.decision.data
        try:
            if decision == "returned":
                casework.return_to_investigator(case, actor, reasons)
            elif decision in ("closed_no_violation", "closed_by_exception"):
                casework.close_without_discipline(case, actor, reasons, by_exception=decision == "closed_by_exception")
            else:
                casework.approve_outcome(case, actor, reasons, modified=decision == "approved_with_modification")
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            return _done(case.number, f"Decision recorded: {dict(form.decision.choices)[decision]}.")
    status = 400 if request.method == "POST" else 200
    file = case_file(case)
    return render_template(
        "reviews/review.html",
        form=form,
        case=case,
        file=file,
        history=casework.review_history(case),
        disciplines={sf.subject.id: discipline.discipline_history(sf.subject) for sf in file.subjects},
    ), status


@bp.route("/<number>/close", methods=["GET", "POST"])
def close(number: str) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_close)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            casework.close_case(case, current_actor(), form.reason.data or "")
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            return _done(case.number, "Case closed.")
    status = 400 if request.method == "POST" else 200
    open_clocks = [d for d in deadlines.case_deadlines(case, clock.local_today()) if d.status in ("due", "overdue")]
    return render_template(
        "reviews/reason.html",
        form=form,
        case=case,
        action="Close the case",
        endpoint="reviews.close",
        open_clocks=open_clocks,
    ), status


@bp.route("/<number>/reopen", methods=["GET", "POST"])
def reopen(number: str) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_reopen)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            casework.reopen_case(case, current_actor(), form.reason.data or "")
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            return _done(case.number, "Case reopened.")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "reviews/reason.html", form=form, case=case, action="Reopen the case", endpoint="reviews.reopen"
    ), status

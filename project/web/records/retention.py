"""Legal holds (administrators and supervisors) and the sealed history (administrators, with a reason)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from project import permissions
from project.services import casework, records
from project.services.errors import InvalidInput
from project.web.access import permission_required
from project.web.case_access import current_actor
from project.web.forms_common import apply_errors
from project.web.records.forms import LiftHoldForm, PlaceHoldForm, SealedHistoryForm

bp = Blueprint("retention", __name__, url_prefix="/retention")


def _holds_page(form: PlaceHoldForm, status: int) -> tuple[str, int]:
    return render_template(
        "retention/holds.html", holds=records.active_holds(), form=form, lift_form=LiftHoldForm()
    ), status


@bp.get("/holds")
@permission_required(permissions.can_set_legal_hold)
def holds() -> tuple[str, int]:
    return _holds_page(PlaceHoldForm(), 200)


@bp.post("/holds")
@permission_required(permissions.can_set_legal_hold)
def place_hold() -> Response | tuple[str, int]:
    form = PlaceHoldForm()
    if form.validate_on_submit():
        case = casework.find_case((form.case_number.data or "").strip())
        if case is None:
            form.case_number.errors = [f"No case {form.case_number.data}."]
        else:
            try:
                records.place_hold(case, form.reason.data or "", current_actor())
            except InvalidInput as refused:
                apply_errors(form, refused.errors)
            else:
                flash(f"{case.number} is on legal hold: no retention run touches its records.", "success")
                return redirect(url_for("retention.holds"))
    return _holds_page(form, 400)


@bp.post("/holds/<int:hold_id>/lift")
@permission_required(permissions.can_set_legal_hold)
def lift_hold(hold_id: int) -> Response | tuple[str, int]:
    hold = next((h for h in records.active_holds() if h.id == hold_id), None)
    if hold is None:
        abort(404)
    form = LiftHoldForm()
    if form.validate_on_submit():
        case = hold.case
        try:
            records.lift_hold(case, form.lift_reason.data or "", current_actor())
        except InvalidInput as refused:
            flash("; ".join(refused.errors.values()), "error")
        else:
            flash(f"The legal hold on {case.number} is lifted.", "success")
            return redirect(url_for("retention.holds"))
    else:
        flash("Give the reason for lifting the hold.", "error")
    return _holds_page(PlaceHoldForm(formdata=None), 400)


@bp.route("/sealed-history", methods=["GET", "POST"])
@permission_required(permissions.can_open_sealed_history)
def sealed_history() -> tuple[str, int]:
    form = SealedHistoryForm()
    found = None
    if form.validate_on_submit():
        try:
            found = records.open_sealed_history(
                form.employee_number.data or "", form.reason.data or "", current_actor()
            )
        except InvalidInput as refused:
            apply_errors(form, refused.errors)
    status = 400 if form.is_submitted() and found is None else 200
    return render_template("retention/sealed.html", form=form, found=found), status

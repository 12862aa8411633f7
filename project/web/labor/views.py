from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from project import clock, permissions
from project.services import deadlines, discipline, labor
from project.services.errors import CaseworkError, InvalidInput
from project.web.access import permission_required, sign_in_required
from project.web.case_access import current_actor, load_case, load_subject
from project.web.forms_common import apply_errors
from project.web.labor.forms import LaborForm

bp = Blueprint("labor", __name__)
sign_in_required(bp)


@bp.route("/cases/<number>/subjects/<int:subject_id>/labor", methods=["GET", "POST"])
def record(number: str, subject_id: int) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_work_labor_relations)
    subject = load_subject(case, subject_id)
    action = labor.labor_action_of(subject)
    form = LaborForm(obj=action if request.method == "GET" else None)
    ladder = discipline.ladder_in_force(clock.local_today())
    form.imposed_step.choices = [("", "Not imposed yet")] + [(s.code, s.name) for s in ladder.steps]
    form.decided_by_id.choices = [("", "Not decided yet")] + [
        (str(u.id), u.name) for u in labor.appointing_authorities()
    ]
    if request.method == "GET" and action is not None:
        form.imposed_step.data = action.imposed_step.code if action.imposed_step else ""
        form.decided_by_id.data = str(action.decided_by_id) if action.decided_by_id else ""
        form.version.data = str(action.row_version)
    if form.validate_on_submit():
        try:
            labor.record_labor_action(
                case, subject, form.entry(), current_actor(), form.version.expected(action is not None)
            )
        except InvalidInput as refused:
            apply_errors(form, refused.errors)
        except CaseworkError as refused:
            form.form_errors.append(str(refused))
        else:
            flash(f"Labor relations record saved for {subject.employee.display_name}.", "success")
            return redirect(url_for("cases.show", number=case.number) + "#labor")
    return render_template(
        "labor/record.html",
        case=case,
        subject=subject,
        form=form,
        clocks=[d for d in deadlines.case_deadlines(case, clock.local_today()) if d.subject.id == subject.id],
        comparison=discipline.comparable_cases(case, subject, current_actor().user),
    ), 400 if request.method == "POST" else 200


@bp.get("/labor")
@permission_required(permissions.can_see_labor_list)
def index() -> str:
    within = request.args.get("within", "")
    days = int(within) if within.isdigit() and int(within) <= 365 else None  # none: each rule's warning days
    visible = deadlines.open_deadlines(clock.local_today(), within_days=days, seen_by=current_user)
    return render_template("labor/index.html", deadlines=visible, within=days, today=clock.local_today())

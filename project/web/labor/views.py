from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from project import clock, permissions
from project.extensions import db
from project.models import Case, GrievanceStatus
from project.services import deadlines, discipline, labor
from project.services.case_list import visible_to
from project.services.errors import CaseworkError, InvalidInput
from project.web.access import permission_required, sign_in_required
from project.web.case_access import current_actor, load_case, load_subject
from project.web.forms_common import Form, VersionField, apply_errors

bp = Blueprint("labor", __name__)
sign_in_required(bp)

FIELDS = ("meeting_on", "decision_on", "notice_issued_on", "effective_on", "employee_copy_on")


class LaborForm(Form):
    decision_on = DateField("Decision to discipline", validators=[Optional()])
    meeting_on = DateField("Pre-disciplinary meeting", validators=[Optional()])
    notice_issued_on = DateField("Written notice issued", validators=[Optional()])
    imposed_step = SelectField("Discipline imposed", choices=[])
    imposed_suspension_days = IntegerField("Suspension days imposed", validators=[Optional(), NumberRange(1, 365)])
    effective_on = DateField("Effective date", validators=[Optional()])
    employee_copy_on = DateField("Copy given to the employee (with the rebuttal notice)", validators=[Optional()])
    grievance_status = SelectField("Grievance / arbitration", choices=[(g.value, g.label) for g in GrievanceStatus])
    grievance_notes = TextAreaField("Grievance notes", validators=[Optional(), Length(max=5000)])
    version = VersionField()



@bp.route("/cases/<number>/subjects/<int:subject_id>/labor", methods=["GET", "POST"])
def record(number: str, subject_id: int) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_work_labor_relations)
    subject = load_subject(case, subject_id)
    action = labor.labor_action_of(subject)
    form = LaborForm(obj=action if request.method == "GET" else None)
    ladder = discipline.ladder_in_force(clock.local_today())
    form.imposed_step.choices = [("", "Not imposed yet")] + [(s.code, s.name) for s in ladder.steps]
    if request.method == "GET" and action is not None:
        form.imposed_step.data = action.imposed_step.code if action.imposed_step else ""
        form.version.data = str(action.row_version)
    if form.validate_on_submit():
        try:
            labor.record_labor_action(
                case, subject, **{name: getattr(form, name).data for name in FIELDS},
                imposed_step_code=form.imposed_step.data or None,
                imposed_suspension_days=form.imposed_suspension_days.data,
                grievance_status=form.grievance_status.data, grievance_notes=form.grievance_notes.data or "",
                actor=current_actor(), expected_version=form.version.as_int(),
            )
        except InvalidInput as refused:
            apply_errors(form, {"imposed_step" if k == "imposed_step_code" else k: v
                                for k, v in refused.errors.items()})
        except CaseworkError as refused:
            form.form_errors.append(str(refused))
        else:
            flash(f"Labor relations record saved for {subject.employee.display_name}.", "success")
            return redirect(url_for("cases.show", number=case.number) + "#labor")
    return render_template("labor/record.html", case=case, subject=subject, form=form,
                           clocks=[d for d in deadlines.case_deadlines(case, clock.local_today())
                                   if d.subject.id == subject.id]), 400 if request.method == "POST" else 200


@bp.get("/labor")
@permission_required(permissions.can_see_labor_list)
def index() -> str:
    within = request.args.get("within", "7")
    days = int(within) if within.isdigit() and int(within) <= 365 else 7
    clocks = deadlines.open_deadlines(clock.local_today(), within_days=days)
    ids = {d.case.id for d in clocks}
    seen = set(db.session.scalars(select(Case.id).where(Case.id.in_(ids), visible_to(current_user))))
    visible = [d for d in clocks if d.case.id in seen]
    return render_template("labor/index.html", deadlines=visible, within=days, today=clock.local_today())

"""A subject's grievance page: what was filed, each step, the arbitration and award, agreements, and one form
for each thing labor relations records next. Every form posts here with its ``action``; the view parses it,
calls the one service and shows the page again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from project import clock, permissions
from project.models import Case, CaseSubject, Grievance
from project.services import discipline, evidence, grievances, labor
from project.services.audit import Actor
from project.services.errors import CaseworkError
from project.web.access import sign_in_required
from project.web.case_access import current_actor, load_case, load_subject
from project.web.forms_common import show_refusal
from project.web.labor.grievance_forms import (
    AgreementForm,
    AppealForm,
    ArbitrationForm,
    AwardDocumentForm,
    AwardForm,
    EndForm,
    FileForm,
    StepForm,
)

bp = Blueprint("grievances", __name__)
sign_in_required(bp)

Act = Callable[[Case, CaseSubject, "Grievance | None", Any, Actor], object]


def _version(form: Any) -> int | None:
    return form.version.as_int()


def _need(grievance: Grievance | None) -> Grievance:
    if grievance is None:
        raise CaseworkError("No grievance is on record: file it first.")
    return grievance


def _upload(case: Case, subject: CaseSubject, grievance: Grievance | None, form: Any, actor: Actor) -> object:
    settings = evidence.EvidenceSettings.from_config(current_app.config)
    return evidence.add_exhibit(case, form.upload(current_user.name), actor, settings, after_decision=True)


ACTIONS: dict[str, tuple[type, Act]] = {
    "file": (FileForm, lambda c, s, g, f, a: grievances.file_grievance(c, s, f.entry(), a)),
    "step": (StepForm, lambda c, s, g, f, a: grievances.record_step(c, _need(g), f.entry(), a, _version(f))),
    "appeal": (
        AppealForm,
        lambda c, s, g, f, a: grievances.appeal_grievance(c, _need(g), f.appealed_on.data, a, _version(f)),
    ),
    "arbitration": (
        ArbitrationForm,
        lambda c, s, g, f, a: grievances.demand_arbitration(c, _need(g), f.entry(), a, _version(f)),
    ),
    "award": (AwardForm, lambda c, s, g, f, a: grievances.record_award(c, _need(g), f.entry(), a, _version(f))),
    "agreement": (
        AgreementForm,
        lambda c, s, g, f, a: grievances.record_agreement(c, _need(g), f.entry(), a, _version(f)),
    ),
    "end": (
        EndForm,
        lambda c, s, g, f, a: grievances.end_grievance(
            c, _need(g), f.state.data or "", f.ended_on.data, f.reason.data or "", a, _version(f)
        ),
    ),
    "award_document": (AwardDocumentForm, _upload),
}


def _forms(case: Case, grievance: Grievance | None, posted: str) -> dict[str, Any]:
    """Each form, the posted one reading the request; the choices of steps and exhibits filled in."""
    forms = {
        name: form_class(prefix=f"{name}-", **({} if name == posted else {"formdata": None}))
        for name, (form_class, _act) in ACTIONS.items()
    }
    ladder = discipline.ladder_in_force(clock.local_today())
    steps = [("", "No change")] + [(s.code, s.name) for s in ladder.steps]
    for name in ("step", "award", "agreement"):
        forms[name].step.choices = steps
    forms["award"].exhibit_number.choices = [("", "Not attached")] + [
        (str(e.number), f"{e.label}: {e.description}") for e in evidence.exhibits_of(case)
    ]
    if grievance is not None and not posted:
        for form in forms.values():
            if hasattr(form, "version"):
                form.version.data = str(grievance.row_version)
    return forms


@bp.route("/cases/<number>/subjects/<int:subject_id>/grievance", methods=["GET", "POST"])
def show(number: str, subject_id: int) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_file_grievance)  # the other actions: in discipline (the services)
    subject = load_subject(case, subject_id)
    grievance = grievances.grievance_of(subject)
    posted = request.form.get("action", "") if request.method == "POST" else ""
    forms = _forms(case, grievance, posted if posted in ACTIONS else "")
    if request.method == "POST" and posted not in ACTIONS:
        forms["file"].form_errors.append("Choose what to record.")
    elif posted and forms[posted].validate_on_submit():
        try:
            ACTIONS[posted][1](case, subject, grievance, forms[posted], current_actor())
        except CaseworkError as refused:
            show_refusal(forms[posted], refused)
        else:
            flash(f"Grievance of {subject.employee.display_name}: saved.", "success")
            return redirect(url_for("grievances.show", number=number, subject_id=subject_id))
    return render_template(
        "labor/grievance.html",
        case=case,
        subject=subject,
        grievance=grievance,
        forms=forms,
        posted=posted,
        rights=labor.rights_of(subject.employee.bargaining_unit),
    ), 400 if request.method == "POST" else 200

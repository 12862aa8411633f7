"""The protected-speech screen of an off-duty (AD 2.26 section 5.b) allegation, recorded by the investigator
before its finding."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from project import permissions
from project.services import casework
from project.services.errors import CaseworkError
from project.web.access import sign_in_required
from project.web.case_access import current_actor, load_case
from project.web.casework.record_forms import SpeechScreenForm
from project.web.forms_common import show_refusal

bp = Blueprint("speech", __name__, url_prefix="/cases")
sign_in_required(bp)


@bp.route("/<number>/allegations/<int:allegation_id>/speech-screen", methods=["GET", "POST"])
def screen(number: str, allegation_id: int) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_edit_case)
    allegation = casework.allegation_of_case(case, allegation_id)
    if allegation is None or not casework.needs_speech_screen(allegation):
        abort(404)
    recorded = casework.screen_of(allegation)
    form = SpeechScreenForm()
    if request.method == "GET" and recorded is not None:
        form.fill(recorded)
    if form.validate_on_submit():
        try:
            expected = form.version.expected(editing=recorded is not None)
            casework.record_speech_screen(case, allegation, form.entry(), current_actor(), expected)
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            flash("Protected-speech screen saved.", "success")
            return redirect(url_for("records.finding", number=case.number, allegation_id=allegation.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "cases/speech_screen.html",
        form=form,
        case=case,
        allegation=allegation,
        questions=casework.QUESTIONS,
        authority=casework.SPEECH_AUTHORITY,
    ), status

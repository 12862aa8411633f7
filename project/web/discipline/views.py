"""The discipline outcome of one subject: the suggestion and why, the proposal, and a reviewer's modification."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from project import clock, permissions
from project.models import Case, CaseSubject
from project.services import discipline
from project.services.casework import proposal_of
from project.services.errors import CaseworkError, InvalidInput
from project.web.access import sign_in_required
from project.web.case_access import current_actor, load_case, load_subject
from project.web.discipline.forms import ProposalForm
from project.web.forms_common import apply_errors

bp = Blueprint("discipline", __name__, url_prefix="/cases")
sign_in_required(bp)


def _form_for(subject: CaseSubject) -> ProposalForm:
    form = ProposalForm()
    ladder = discipline.ladder_in_force(clock.local_today())
    form.step.choices = [(step.code, step.name) for step in ladder.steps]
    return form


def _page(case: Case, subject: CaseSubject, form: ProposalForm, endpoint: str, status: int) -> tuple[str, int]:
    today = clock.local_today()
    suggestion = discipline.suggest_step(subject, today)
    warning = (
        discipline.suspension_cap_warning(subject.employee, form.suspension_days.data, today, exclude_case_id=case.id)
        if form.step.data == "suspension"
        else None
    )
    return render_template(
        "cases/discipline.html",
        case=case,
        subject=subject,
        form=form,
        endpoint=endpoint,
        suggestion=suggestion,
        warning=warning,
        proposal=proposal_of(subject),
        history=discipline.discipline_history(subject),
        comparison=discipline.comparable_cases(case, subject, current_actor().user),
    ), status


def _prefill(form: ProposalForm, subject: CaseSubject, at_review: bool) -> None:
    """The investigator's form shows the proposal; the reviewer's shows the discipline as it stands at this
    review, with the reason left for the reviewer to give."""
    proposal = proposal_of(subject)
    standing = discipline.approved_discipline(subject) if at_review else None
    if proposal is not None and standing is not None:
        form.step.data = standing.step.code
        form.suspension_days.data = standing.suspension_days
        form.version.data = str(proposal.row_version)
    elif proposal is not None:
        form.step.data = proposal.proposed_step.code
        form.suspension_days.data = proposal.suspension_days
        form.justification.data = proposal.departure_justification
        form.comparables_reason.data = proposal.comparables_reason
        form.version.data = str(proposal.row_version)
    else:
        suggested = discipline.suggest_step(subject, clock.local_today()).step
        form.step.data = suggested.code if suggested else "counseling"


def _proposal_form(
    number: str,
    subject_id: int,
    allowed: Callable[[Any, Case], bool],
    endpoint: str,
    save: Callable[..., object],
    done: Callable[[Case, CaseSubject], tuple[str, str]],
) -> Response | tuple[str, int]:
    """The proposal page, for the investigator's proposal and the reviewer's modification alike: ``save`` is
    the use case, and ``done`` gives the flash and where to go next."""
    case = load_case(number, allowed)
    subject = load_subject(case, subject_id)
    form = _form_for(subject)
    if endpoint == "discipline.modify":
        form.justification.label.text = "Reason for the modification (required)"
    if request.method == "GET":
        _prefill(form, subject, at_review=endpoint == "discipline.modify")
    elif form.validate_on_submit():
        try:
            save(case, subject, form.entry(), current_actor(), form.version.expected(proposal_of(subject) is not None))
        except InvalidInput as refused:
            apply_errors(form, refused.errors)
        except CaseworkError as refused:
            form.form_errors.append(str(refused))
        else:
            message, target = done(case, subject)
            flash(message, "success")
            return redirect(target)
    return _page(case, subject, form, endpoint, 400 if request.method == "POST" else 200)


@bp.route("/<number>/subjects/<int:subject_id>/discipline", methods=["GET", "POST"])
def propose(number: str, subject_id: int) -> Response | tuple[str, int]:
    return _proposal_form(
        number,
        subject_id,
        permissions.can_edit_case,
        "discipline.propose",
        discipline.propose_discipline,
        lambda case, subject: (
            f"Discipline proposed for {subject.employee.display_name}.",
            url_for("cases.show", number=case.number) + "#subjects",
        ),
    )


@bp.route("/<number>/subjects/<int:subject_id>/modify", methods=["GET", "POST"])
def modify(number: str, subject_id: int) -> Response | tuple[str, int]:
    """A reviewing supervisor changes the proposed step before approving with modification."""
    return _proposal_form(
        number,
        subject_id,
        permissions.can_review,
        "discipline.modify",
        discipline.modify_proposal_at_review,
        lambda case, subject: (
            f"Discipline for {subject.employee.display_name} modified at review; the investigator's proposal is "
            "kept beside it. Approve the case with modification to record your reason.",
            url_for("reviews.review", number=case.number),
        ),
    )

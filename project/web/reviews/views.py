from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from project import clock, permissions
from project.services import accounts, casework, deadlines, discipline, grievances
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
            # read before the commit, as the case number is
            done = f"Case assigned to {investigator.name}, who is told in their inbox."
            casework.assign_investigator(case, investigator, current_actor(), form.reason.data or "")
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            return _done(case.number, done)
    status = 400 if request.method == "POST" else 200
    return render_template("reviews/assign.html", form=form, case=case), status


@bp.post("/<number>/take")
def take(number: str) -> Response:
    """The investigator who logged the complaint takes it from intake (a department setting)."""
    case = load_case(number, permissions.can_take_case)  # CSRF is checked by CSRFProtect
    saved_number = case.number
    casework.take_case(case, current_actor())
    return _done(saved_number, f"You took case {saved_number}; it is open and assigned to you.")


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
        "reviews/submit.html",
        form=form,
        case=case,
        problems=casework.submission_problems(case),
        interviews=casework.interview_standing(case),
    ), status


def _step(case_version: int) -> str:
    """Where a decision form stands: "" (first post: show the confirmation), "change" (open the form again),
    "confirmed" (act), or "stale" (confirmed, but the case changed since the confirmation was shown)."""
    step = request.form.get("step", "")
    if step == "confirmed" and request.form.get("version") != str(case_version):
        return "stale"
    return step if step in ("change", "confirmed") else ""


def _confirmation(form: Any, case: Any, endpoint: str, question: str, facts: list, hidden: dict) -> str:
    return render_template(
        "reviews/confirm.html", form=form, case=case, endpoint=endpoint, question=question, facts=facts, hidden=hidden
    )


def _stale(form: Any, case: Any) -> None:
    form.form_errors.append(
        f"{case.number} changed while you were confirming (it is now version {case.content_version}); "
        "check the decision against it and confirm again."
    )


@bp.route("/<number>/review", methods=["GET", "POST"])
def review(number: str) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_review)
    form = ReviewForm()
    if form.validate_on_submit():
        actor, reasons, decision = current_actor(), form.reasons.data or "", form.decision.data
        override = form.speech_override.data or ""
        label = dict(form.decision.choices).get(decision, decision)
        step = _step(case.content_version)
        try:
            casework.check_review_decision(case, actor, decision, reasons, override)
            if step == "confirmed":
                number = case.number  # read before the commit: the response queries nothing after it
                casework.record_review_decision(case, actor, decision, reasons, override)
                return _done(number, f"Decision recorded: {label}.")
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            if step != "change":
                if step == "stale":
                    _stale(form, case)
                question = f"record this decision on {case.number} (version {case.content_version})"
                facts = [("Decision", label), ("Reasons", reasons.strip())]
                hidden = {"decision": decision, "reasons": reasons, "speech_override": override}
                if override.strip() and decision.startswith("approved"):
                    facts.append(("Protected-speech override (C.G.S. 31-51q)", override.strip()))
                return _confirmation(form, case, "reviews.review", question, facts, hidden), 200
    file = case_file(case)
    return render_template(
        "reviews/review.html",
        form=form,
        case=case,
        file=file,
        history=casework.review_history(case),
        disciplines={sf.subject.id: discipline.discipline_history(sf.subject) for sf in file.subjects},
        just_cause={sf.subject.id: _just_cause_state(case, sf.subject) for sf in file.subjects},
        overrides=casework.overrides_needed([a for sf in file.subjects for a in sf.allegations]),
        standard=casework.JUST_CAUSE_STANDARD,
        comparisons={
            sf.subject.id: discipline.comparable_cases(case, sf.subject, current_actor().user) for sf in file.subjects
        },
    ), _status(form)


def _just_cause_state(case: Any, subject: Any) -> tuple[bool, Any]:
    """Whether approval needs the seven tests for the subject, and the answers recorded at this review."""
    return casework.needs_just_cause(case, subject), casework.current_just_cause(case, subject)


def _status(form: Any) -> int:
    """400 when the posted form was refused; 200 for the page itself, or opened again to change it."""
    refused = request.method == "POST" and (form.errors or form.form_errors)
    return 400 if refused else 200


def _reason_step(
    form: Any, case: Any, endpoint: str, action: str, check: Any, act: Any, done: str, known: list | None = None
) -> Any:
    """Close and reopen: the server checks the reason, shows the confirmation (with ``known``: what the person
    must know before confirming, as (label, text)), and acts once confirmed."""
    if not form.validate_on_submit():
        return None
    actor, reason, step = current_actor(), form.reason.data or "", _step(case.content_version)
    try:
        check(case, actor, reason)
        if step == "confirmed":
            number = case.number  # read before the commit: the response queries nothing after it
            act(case, actor, reason)
            return _done(number, done)
    except CaseworkError as error:
        show_refusal(form, error)
        return None
    if step == "change":
        return None
    if step == "stale":
        _stale(form, case)
    question = f"{action[:1].lower()}{action[1:]} {case.number}"
    facts = [("Reason", reason.strip()), *(known or [])]
    return _confirmation(form, case, endpoint, question, facts, {"reason": reason})


@bp.route("/<number>/close", methods=["GET", "POST"])
def close(number: str) -> Response | tuple[str, int] | str:
    case = load_case(number, permissions.can_close)
    form = ReasonForm()
    action = "Close the case"
    windows = grievances.filing_windows(case, clock.local_today())
    known = [("Grievance filing window open", w.explained) for w in windows]
    answer = _reason_step(
        form, case, "reviews.close", action, casework.check_close, grievances.close_case, "Case closed.", known
    )
    if answer is not None:
        return answer
    open_clocks = [d for d in deadlines.case_deadlines(case, clock.local_today()) if d.status in ("due", "overdue")]
    return render_template(
        "reviews/reason.html",
        form=form,
        case=case,
        action=action,
        endpoint="reviews.close",
        open_clocks=open_clocks,
        windows=windows,
    ), _status(form)


@bp.route("/<number>/reopen", methods=["GET", "POST"])
def reopen(number: str) -> Response | tuple[str, int] | str:
    case = load_case(number, permissions.can_reopen)
    form = ReasonForm()
    action = "Reopen the case"
    answer = _reason_step(
        form, case, "reviews.reopen", action, casework.check_reopen, casework.reopen_case, "Case reopened."
    )
    if answer is not None:
        return answer
    return render_template(
        "reviews/reason.html", form=form, case=case, action=action, endpoint="reviews.reopen"
    ), _status(form)

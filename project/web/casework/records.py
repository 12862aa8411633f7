"""The records on a case page: reported posts, notes, allegations and findings (subjects: ``subjects``)."""

from __future__ import annotations

from collections.abc import Collection

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from project import permissions
from project.models import Case, Clause, ReportedPost
from project.services import casework, evidence, roster, submissions
from project.services.errors import CaseworkError, InvalidInput
from project.web.access import sign_in_required
from project.web.case_access import current_actor, load_case
from project.web.casework.forms import NoteForm, PostForm, ProtectedPersonForm
from project.web.casework.record_forms import AllegationForm, FindingForm, element_answers, shown_answers
from project.web.casework.subjects import roster_json
from project.web.casework.views import post_input, seen_first
from project.web.forms_common import clean_id, clean_text, show_refusal, tri_state_value

bp = Blueprint("records", __name__, url_prefix="/cases")
sign_in_required(bp)


def _back(case_number: str, anchor: str = "") -> Response:
    return redirect(url_for("cases.show", number=case_number) + (f"#{anchor}" if anchor else ""))


@bp.route("/<number>/posts/new", methods=["GET", "POST"])
@bp.route("/<number>/posts/<int:post_id>", methods=["GET", "POST"])
def post(number: str, post_id: int | None = None) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_edit_case)
    row = casework.post_of_case(case, post_id) if post_id else None
    if post_id and row is None:
        abort(404)
    form = PostForm(obj=row if request.method == "GET" else None)
    if request.method == "GET" and row is not None:
        form.posted_at.set_from_utc(row.posted_at)
        form.first_seen_at.set_from_utc(row.first_seen_at)
        for name in ("identified_as_doc", "on_duty", "doc_insignia"):
            getattr(form, name).data = tri_state_value(getattr(row, name))
        form.version.data = str(row.row_version)
    if form.validate_on_submit():
        if row is None and (seen := seen_first(form, case)) is not None:
            return render_template("cases/post_form.html", form=form, case=case, post=None, seen=seen), 200
        try:
            if row is None:
                casework.add_post(case, post_input(form), current_actor())
            else:
                casework.update_post(case, row, post_input(form), current_actor(), form.version.expected())
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            flash("Reported post saved.", "success")
            return _back(case.number, "posts")
    status = 400 if request.method == "POST" else 200
    return render_template("cases/post_form.html", form=form, case=case, post=row), status


@bp.post("/<number>/notes")
def add_note(number: str) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_edit_case)
    case_number = case.number  # read before the commit: nothing after it may fail the response
    form = NoteForm()
    if form.validate_on_submit():
        token = form.form_token.token()
        if (earlier := submissions.saved_note(case, token, current_actor())) is not None:
            flash("This note was already saved; it was not added twice.", "info")
            return _back(case_number, f"note-{earlier.id}")
        try:
            with submissions.known_after_commit():
                note = casework.add_note(
                    case,
                    form.kind.data,
                    form.body.data or "",
                    current_actor(),
                    corrects_id=clean_id(form.corrects.data),
                    form_token=token,
                )
                note_id = note.id
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            flash("Note added.", "success")
            return _back(case_number, f"note-{note_id}")
    form.corrects.choices = [("", "Nothing: a new note")] + [
        (str(n.id), f"Note {i} of {n.created_at:%Y-%m-%d}") for i, n in enumerate(casework.notes_of(case), 1)
    ]
    return render_template("cases/note_form.html", form=form, case=case), 400


def _exhibit_choices(case: Case, cited: Collection[int] = ()) -> list[tuple[int, str]]:
    """The exhibits an allegation may cite: not withdrawn, or withdrawn but already cited (kept, marked)."""
    return [
        (e.id, f"{e.label}{' (withdrawn)' if e.is_withdrawn else ''}: {casework.summarize(e.description, 80)}")
        for e in evidence.exhibits_of(case)
        if not e.is_withdrawn or e.id in cited
    ]


@bp.route("/<number>/allegations/new", methods=["GET", "POST"])
def new_allegation(number: str) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_edit_case)
    form = AllegationForm()
    form.subject.choices = [(str(s.id), s.employee.display_name) for s in case.subjects]
    chosen = request.values.get("post", "")
    post = next((p for p in case.posts if str(p.id) == chosen), case.posts[0] if case.posts else None)
    form.post.choices = [(str(p.id), _post_label(p)) for p in case.posts] or [("", "No post recorded")]
    if request.method == "GET" and post is not None:
        form.post.data = str(post.id)
    form.citation.choices = (
        [("", "Choose the provision")]
        + [(f"clause:{c.id}", _clause_label(c)) for c in casework.chargeable_clauses(post, case)]
        + [(f"directive:{d.id}", f"AD {d.number} {d.title} (whole directive)") for d in casework.citable_directives()]
    )
    form.exhibits.choices = _exhibit_choices(case)
    if not case.subjects:
        flash("Link a subject employee before framing an allegation.", "error")
        return _back(case.number, "subjects")
    if form.validate_on_submit():
        subject = casework.subject_of_case(case, int(form.subject.data))
        try:
            if subject is None:
                raise InvalidInput({"subject": "Choose a subject of this case."})
            casework.frame_allegation(case, subject, form.entry(), current_actor())
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            flash("Allegation framed.", "success")
            return _back(case.number, "allegations")
    status = 400 if request.method == "POST" else 200
    conduct_on = casework.post_conduct_date(case, post)
    return render_template("cases/allegation_form.html", form=form, case=case, post=post, conduct_on=conduct_on), status


INFERRED = " (section number inferred from the OCR copy)"


def _clause_label(c: Clause) -> str:
    inferred = INFERRED if c.number_inferred else ""
    parts = (
        f"AD {c.version.directive.number} {c.number}{inferred}",
        c.heading,
        casework.summarize(c.charged_text, 160),
    )
    return " ".join(part for part in parts if part)


def _post_label(p: ReportedPost) -> str:
    posted = casework.posted_on(p)
    when = f"posted {posted.isoformat()}" if posted else "posting date unknown"
    return f"{p.platform_label} {p.account_handle or ''}, {when}: {casework.summarize(p.text, 60)}"


@bp.route("/<number>/allegations/<int:allegation_id>", methods=["GET", "POST"])
def finding(number: str, allegation_id: int) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_edit_case)
    allegation = casework.allegation_of_case(case, allegation_id)
    if allegation is None:
        abort(404)
    form = FindingForm()
    form.finding.choices = [("", "No finding yet")] + [(f.code, f.name) for f in casework.finding_categories()]
    form.exhibits.choices = _exhibit_choices(case, {e.id for e in allegation.exhibits})
    if request.method == "GET":
        form.finding.data = allegation.finding.code if allegation.finding else ""
        form.reasoning.data = allegation.reasoning
        form.exhibits.data = [e.id for e in allegation.exhibits]
        form.version.data = str(allegation.row_version)
    answers = element_answers(request.form, allegation) if request.method == "POST" else None
    if form.validate_on_submit():
        try:
            entry = form.entry(answers or ())
            casework.record_finding(case, allegation, entry, current_actor(), form.version.expected())
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            flash("Allegation saved.", "success")
            return _back(case.number, "allegations")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "cases/finding_form.html",
        form=form,
        case=case,
        allegation=allegation,
        answers=shown_answers(answers, allegation),
        needs_screen=casework.needs_speech_screen(allegation),
        screen=casework.screen_of(allegation),
    ), status


@bp.get("/<number>/protected/roster.json")
def people_roster(number: str) -> Response:
    """The roster picker of the people form, as typed: each match leads back to the form with its number."""
    load_case(number, permissions.can_see_reporter)
    query = clean_text(request.args.get("q", ""), 100).strip()
    return roster_json(
        query, lambda employee: url_for("records.add_protected_person", number=number, employee=employee)
    )


@bp.route("/<number>/protected/new", methods=["GET", "POST"])
def add_protected_person(number: str) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_see_reporter)
    form = ProtectedPersonForm()
    query = clean_text(request.args.get("q", ""), 100).strip()
    matches = roster.find_employees(query) if query else roster.RosterMatches()
    if request.method == "GET" and request.args.get("employee"):
        form.employee_number.data = clean_text(request.args["employee"], 20).strip()
    chosen = roster.find_employee(form.employee_number.data or "") if form.employee_number.data else None
    if form.validate_on_submit():
        try:
            casework.add_protected_person(case, form.entry(), current_actor())
        except CaseworkError as error:
            show_refusal(form, error)
        else:
            flash("Protected person listed: their identifiers are masked for everyone who may not see them.", "success")
            return _back(case.number, "protected")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "cases/protected_form.html", form=form, case=case, query=query, matches=matches, chosen=chosen
    ), status


@bp.post("/<number>/protected/<int:person_id>/remove")
def remove_protected_person(number: str, person_id: int) -> Response:
    case = load_case(number, permissions.can_see_reporter)
    if casework.protected_person_of_case(case, person_id) is None:
        abort(404)
    try:
        casework.remove_protected_person(case, person_id, current_actor())
    except CaseworkError as error:
        flash(str(error), "error")
    else:
        flash("Removed from the protected people: their identifiers are no longer masked.", "success")
    return _back(case.number, "protected")

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from project import clock, permissions
from project.models import Case, CaseState, Role
from project.services import casework, records, search, submissions
from project.services.errors import CaseworkError, InvalidInput
from project.web.access import permission_required, sign_in_required
from project.web.case_access import current_actor, load_case
from project.web.casework.forms import ComplaintForm, NewCaseForm, NoteForm, PostFields
from project.web.forms_common import MAX_YEAR, MIN_YEAR, apply_errors, clean_id, clean_text, clean_year, tri_state

bp = Blueprint("cases", __name__, url_prefix="/cases")
sign_in_required(bp)


def _date_arg(name: str) -> date | None:
    try:
        day = date.fromisoformat(_text_arg(name, 10))
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def _text_arg(name: str, limit: int, default: str = "") -> str:
    return clean_text(request.args.get(name, default), limit).strip()


def _filters() -> casework.CaseFilters:
    """The list's filters from the query string; anything malformed or out of range is ignored, never an
    error: every value is cut to its length, cleaned of control characters, numbers and dates bounded."""
    is_investigator_only = current_user.role_set == {Role.INVESTIGATOR}
    text = clean_text(request.args.get("q", ""), 200)
    page = clean_id(request.args.get("page"))
    return casework.CaseFilters(
        state=_text_arg("state", 32),
        facility=_text_arg("facility", 120),
        investigator_id=clean_id(request.args.get("investigator")),
        clause=_text_arg("clause", 32),
        finding=_text_arg("finding", 32),
        received_from=_date_arg("from"),
        received_to=_date_arg("to"),
        text=text,
        sort=_text_arg("sort", 16, "relevance" if text.strip() else "newest"),
        page=min(page or 1, 100_000),
        after=_text_arg("after", 512),
        mine=request.args.get("mine", "1" if is_investigator_only else "") == "1",
        open_only=request.args.get("open") == "1",
        employee=_text_arg("employee", 100),
        imposed_step=_text_arg("step", 32),
        imposed_year=clean_year(request.args.get("year")),
        deadline=_text_arg("deadline", 16),
        grievance=_text_arg("grievance", 16),
    )


@bp.get("/")
@permission_required(permissions.can_list_cases)
def index() -> str:
    filters = _filters()
    result = casework.list_cases(current_user, filters)
    return render_template(
        "cases/list.html",
        result=result,
        count=casework.count_listed(current_user, filters, page=result),
        facts=casework.list_facts(result.cases, clock.local_today()),
        snippets=search.snippets(current_user, filters.text, [case.id for case in result.cases]),
        filters=filters,
        states=list(CaseState),
        facilities=casework.facilities(current_user),
        investigators=casework.investigators(),
        findings=casework.finding_categories(),
        sorts=list(casework.SORTS),
    )


@bp.get("/export.csv")
@permission_required(permissions.can_list_cases)
def export() -> Response:
    text, count = casework.export_csv(_filters(), current_actor())
    stamp = clock.now().astimezone(clock.zone()).strftime("%Y%m%d-%H%M")
    return Response(
        text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="casefile-cases-{stamp}.csv"',
            "Cache-Control": "no-store",
            "X-Case-Count": str(count),
        },
    )


def _complaint_input(form: ComplaintForm | NewCaseForm) -> casework.ComplaintInput:
    return casework.ComplaintInput(
        title=form.title.data or "",
        complaint_source=form.complaint_source.data,
        received_at=form.received_at.as_utc() or clock.now(),
        narrative=form.narrative.data or "",
        reporter_name=form.reporter_name.data,
        reporter_contact=form.reporter_contact.data,
        facility=form.facility.data,
    )


def post_input(form: NewCaseForm) -> casework.PostInput:
    return casework.PostInput(
        platform=form.platform.data,
        url=form.url.data,
        account_handle=form.account_handle.data,
        display_name=form.display_name.data,
        posted_at=form.posted_at.as_utc(),
        first_seen_at=form.first_seen_at.as_utc(),
        text=form.text.data or "",
        identified_as_doc=tri_state(form.identified_as_doc.data),
        on_duty=tri_state(form.on_duty.data),
        doc_insignia=tri_state(form.doc_insignia.data),
        attribution=form.attribution.data or "",
    )


def seen_first(form: PostFields, case: Case | None = None) -> casework.SeenBefore | None:
    """The earlier cases this post matches, when the form has not shown them yet: shown (and audited) before
    anything is saved; posting the form again, unchanged, saves it knowingly. None: nothing to show first."""
    found = casework.seen_before(form.platform.data, form.url.data, form.account_handle.data, current_user, case)
    if not found or form.seen_before.data == found.signature:
        return None
    casework.record_seen_before_shown(found, current_actor(), case)
    form.seen_before.data = found.signature
    return found


@bp.route("/new", methods=["GET", "POST"])
@permission_required(permissions.can_log_complaint)
def new() -> Response | tuple[str, int] | str:
    form = NewCaseForm()
    if request.method == "GET":
        form.received_at.set_from_utc(clock.now())
    if form.validate_on_submit():
        token = form.form_token.token()
        if (earlier := submissions.logged_case(token, current_actor())) is not None:
            flash(f"This complaint was already logged as case {earlier.number}; it was not logged twice.", "info")
            return redirect(url_for("cases.show", number=earlier.number))
        if (seen := seen_first(form)) is not None:
            return render_template("cases/new.html", form=form, seen=seen), 200
        next_step = casework.after_intake(current_user)  # before the commit: the response queries nothing after it
        try:
            with submissions.known_after_commit():  # the response needs no query after the commit
                case = casework.log_complaint(
                    _complaint_input(form), [post_input(form)], current_actor(), form_token=token
                )
                saved_number = case.number
        except InvalidInput as refused:
            apply_errors(form, refused.errors)
        else:
            flash(f"Complaint logged as case {saved_number}. {next_step}", "success")
            return redirect(url_for("cases.show", number=saved_number))
    status = 400 if request.method == "POST" else 200
    return render_template("cases/new.html", form=form), status


@bp.get("/<number>")
def show(number: str) -> str:
    case = load_case(number)
    note_form = NoteForm()
    note_form.corrects.choices = [("", "Nothing: a new note")]
    return render_template(
        "cases/show.html",
        file=casework.case_file(case),
        hold=records.active_hold(case.id),
        note_form=note_form,
    )


@bp.route("/<number>/edit", methods=["GET", "POST"])
def edit(number: str) -> Response | tuple[str, int] | str:
    case = load_case(number, permissions.can_edit_case)
    saved_number = case.number  # read before the commit: nothing after it may fail the response
    form = ComplaintForm(obj=case if request.method == "GET" else None)
    sees_reporter = permissions.can_see_reporter(current_user, case)
    if request.method == "GET":
        form.received_at.set_from_utc(case.received_at)
        form.version.data = str(case.row_version)
        if not sees_reporter:
            form.reporter_name.data = form.reporter_contact.data = ""
    if form.validate_on_submit():
        try:
            casework.update_complaint(case, _complaint_input(form), current_actor(), form.version.expected())
        except InvalidInput as refused:
            apply_errors(form, refused.errors)
        except CaseworkError as refused:
            form.form_errors.append(str(refused))
        else:
            flash("Complaint details saved.", "success")
            return redirect(url_for("cases.show", number=saved_number))
    status = 400 if request.method == "POST" else 200
    return render_template("cases/edit.html", form=form, case=case, sees_reporter=sees_reporter), status


@bp.get("/<number>/timeline")
def timeline(number: str) -> str:
    case = load_case(number)
    return render_template(
        "cases/timeline.html", case=case, events=casework.timeline(case), transitions=casework.transitions(case)
    )

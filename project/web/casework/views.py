from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from project import clock, permissions
from project.models import CaseState, Role
from project.services import casework, search
from project.services.errors import CaseworkError, InvalidInput
from project.web.access import permission_required, sign_in_required
from project.web.case_access import current_actor, load_case
from project.web.casework.forms import ComplaintForm, NewCaseForm, NoteForm, SubjectForm
from project.web.forms_common import apply_errors, tri_state

bp = Blueprint("cases", __name__, url_prefix="/cases")
sign_in_required(bp)


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _int_arg(name: str, default: int | None = None) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else default


def _filters() -> casework.CaseFilters:
    """The list's filters from the query string; anything malformed is ignored, never an error."""
    is_investigator_only = current_user.role_set == {Role.INVESTIGATOR}
    return casework.CaseFilters(
        state=request.args.get("state", ""),
        facility=request.args.get("facility", ""),
        investigator_id=_int_arg("investigator"),
        clause=request.args.get("clause", "").strip(),
        finding=request.args.get("finding", ""),
        received_from=_date_arg("from"),
        received_to=_date_arg("to"),
        text=request.args.get("q", "")[:200],
        sort=request.args.get("sort", "relevance" if request.args.get("q", "").strip() else "newest"),
        page=_int_arg("page", 1) or 1,
        after=request.args.get("after", "")[:512],
        mine=request.args.get("mine", "1" if is_investigator_only else "") == "1",
        open_only=request.args.get("open") == "1",
        employee=request.args.get("employee", "").strip()[:20],
        imposed_step=request.args.get("step", "").strip()[:32],
        imposed_year=_int_arg("year"),
        deadline=request.args.get("deadline", ""),
    )


@bp.get("/")
@permission_required(permissions.can_list_cases)
def index() -> str:
    filters = _filters()
    result = casework.list_cases(current_user, filters)
    return render_template(
        "cases/list.html",
        result=result,
        snippets=search.snippets(current_user, filters.text, [case.id for case in result.cases]),
        filters=filters,
        states=list(CaseState),
        facilities=casework.facilities(),
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


@bp.route("/new", methods=["GET", "POST"])
@permission_required(permissions.can_log_complaint)
def new() -> Response | tuple[str, int] | str:
    form = NewCaseForm()
    if request.method == "GET":
        form.received_at.set_from_utc(clock.now())
    if form.validate_on_submit():
        try:
            case = casework.log_complaint(_complaint_input(form), [post_input(form)], current_actor())
        except InvalidInput as refused:
            apply_errors(form, refused.errors)
        else:
            flash(f"Complaint logged as case {case.number}.", "success")
            return redirect(url_for("cases.show", number=case.number))
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
        note_form=note_form,
        subject_form=SubjectForm(),
    )


@bp.route("/<number>/edit", methods=["GET", "POST"])
def edit(number: str) -> Response | tuple[str, int] | str:
    case = load_case(number, permissions.can_edit_case)
    form = ComplaintForm(obj=case if request.method == "GET" else None)
    sees_reporter = permissions.can_see_reporter(current_user, case)
    if request.method == "GET":
        form.received_at.set_from_utc(case.received_at)
        form.version.data = str(case.row_version)
        if not sees_reporter:
            form.reporter_name.data = form.reporter_contact.data = ""
    if form.validate_on_submit():
        try:
            casework.update_complaint(case, _complaint_input(form), current_actor(), form.version.as_int())
        except InvalidInput as refused:
            apply_errors(form, refused.errors)
        except CaseworkError as refused:
            form.form_errors.append(str(refused))
        else:
            flash("Complaint details saved.", "success")
            return redirect(url_for("cases.show", number=case.number))
    status = 400 if request.method == "POST" else 200
    return render_template("cases/edit.html", form=form, case=case, sees_reporter=sees_reporter), status


@bp.get("/<number>/timeline")
def timeline(number: str) -> str:
    case = load_case(number)
    return render_template(
        "cases/timeline.html", case=case, events=casework.timeline(case), transitions=casework.transitions(case)
    )

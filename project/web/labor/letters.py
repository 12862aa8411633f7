"""Letters to a subject: print one (the PDF comes back as a download), list and re-download the printed ones;
labor relations' pages for the letters' wording (each save a new version)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from project import clock, permissions
from project.models import Case, CaseSubject
from project.models.documents.packets import LETTER_KINDS
from project.services import catalogue, labor
from project.services.errors import CaseworkError, InvalidInput
from project.web.access import permission_required, sign_in_required
from project.web.case_access import current_actor, load_case, load_subject
from project.web.forms_common import apply_errors
from project.web.labor.forms import PrintForm, TemplateForm

bp = Blueprint("letters", __name__)
sign_in_required(bp)


def _pdf(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(case: Case, subject: CaseSubject, form: PrintForm, status: int) -> tuple[str, int]:
    return render_template(
        "letters/index.html",
        case=case,
        subject=subject,
        form=form,
        letters=labor.letters_of(case, subject),
        labels=catalogue.KIND_LABELS,
        rights=labor.rights_of(subject.employee.bargaining_unit),
    ), status


@bp.get("/cases/<number>/subjects/<int:subject_id>/letters")
def index(number: str, subject_id: int) -> tuple[str, int]:
    case = load_case(number, permissions.can_work_labor_relations)
    subject = load_subject(case, subject_id)
    form = PrintForm(letter_date=clock.local_today())
    return _page(case, subject, form, 200)


@bp.post("/cases/<number>/subjects/<int:subject_id>/letters")
def print_letter(number: str, subject_id: int) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_work_labor_relations)
    subject = load_subject(case, subject_id)
    form = PrintForm()
    if form.validate_on_submit():
        try:
            letter, pdf = labor.print_letter(
                case, subject, form.order(), current_actor(), current_app.config["EVIDENCE_DIR"]
            )
        except InvalidInput as refused:
            apply_errors(form, refused.errors)
        except CaseworkError as refused:
            form.form_errors.append(str(refused))
        else:
            return _pdf(pdf, labor.download_name(case, letter))
    return _page(case, subject, form, 400)


@bp.get("/cases/<number>/letters/<int:letter_id>")
def download(number: str, letter_id: int) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_work_labor_relations)
    letter = labor.letter_of(case, letter_id)
    if letter is None:
        abort(404)
    try:
        data = labor.download_letter(case, letter, current_actor(), current_app.config["EVIDENCE_DIR"])
    except labor.LetterTampered as failure:
        return render_template(
            "letters/integrity_failure.html",
            case=case,
            letter=letter,
            message=str(failure),
            subject_id=letter.subject_id,
        ), 409
    return _pdf(data, labor.download_name(case, letter))


@bp.get("/letters/templates")
@permission_required(catalogue.may_edit_templates)
def templates() -> str:
    latest = {info.kind: catalogue.latest_template(info.kind) for info in labor.kinds()}
    return render_template("letters/templates.html", kinds=labor.kinds(), latest=latest)


@bp.route("/letters/templates/<kind>", methods=["GET", "POST"])
@permission_required(catalogue.may_edit_templates)
def edit_template(kind: str) -> Response | tuple[str, int]:
    if kind not in LETTER_KINDS:
        abort(404)
    current = catalogue.latest_template(kind)
    form = TemplateForm(obj=current if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = str(current.version) if current else ""
    if form.validate_on_submit():
        try:
            saved = catalogue.save_template(
                kind,
                form.title.data or "",
                form.body.data or "",
                current_actor(),
                form.version.expected(current is not None),
            )
        except InvalidInput as refused:
            apply_errors(form, refused.errors)
        except CaseworkError as refused:
            form.form_errors.append(str(refused))
        else:
            flash(
                f"{catalogue.KIND_LABELS[kind]}: version {saved.version} saved. Letters printed from now on use it.",
                "success",
            )
            return redirect(url_for("letters.edit_template", kind=kind))
    info = next(i for i in labor.kinds() if i.kind == kind)
    versions = catalogue.template_versions(kind)
    editors = catalogue.template_editors(versions)
    return render_template(
        "letters/template_form.html", form=form, info=info, current=current, versions=versions, editors=editors
    ), 400 if request.method == "POST" else 200

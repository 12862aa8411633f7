from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from project import clock, permissions
from project.models import Case, PacketJob
from project.services import casework, evidence, packets
from project.services.errors import CaseworkError, InvalidInput
from project.web.access import permission_required, sign_in_required
from project.web.case_access import current_actor, load_case
from project.web.packets.forms import BatchForm, NoticeForm, ObjectionForm, PacketForm, ResolutionForm

NoticeForms = NoticeForm | ObjectionForm | ResolutionForm

bp = Blueprint("packets", __name__)
sign_in_required(bp)


def _print(case: Case, form: PacketForm) -> tuple[bytes, str]:
    config = current_app.config
    order = form.order()
    printing, pdf = packets.print_packet(case, order, current_actor(), packets.PrintSettings.from_config(config))
    return pdf, f"{case.number}-packet-{order.variant}-v{printing.content_version}.pdf"


def _show_errors(form: PacketForm | NoticeForms, refused: CaseworkError) -> None:
    if isinstance(refused, InvalidInput):
        for name, message in refused.errors.items():
            if name in form:
                form[name].errors = [*form[name].errors, message]
            else:
                form.form_errors.append(message)
    else:
        form.form_errors.append(str(refused))


def _print_page(case: Case, form: PacketForm, status: int, posted: NoticeForms | None = None) -> tuple[str, int]:
    """The print page; ``posted`` is the notice, objection or resolution form just posted, shown with its errors."""
    states = evidence.release_states(evidence.exhibits_of(case))
    forms: dict[str, NoticeForms] = {
        "notice_form": NoticeForm(formdata=None),
        "objection_form": ObjectionForm(formdata=None),
        "resolution_form": ResolutionForm(formdata=None),
    }
    for name, blank in forms.items():
        if posted is not None and type(posted) is type(blank):
            forms[name] = posted
    page = render_template(
        "packets/print.html",
        case=case,
        form=form,
        states=states,
        variants=packets.variants_for(current_user, case),
        window=packets.release_window(case),
        today=clock.local_date(clock.now()),
        **forms,
    )
    return page, status


def _packet_form(case: Case) -> PacketForm:
    form = PacketForm()
    form.offer(packets.variants_for(current_user, case))
    form.subject.choices = [("", "The case's only subject")] + [
        (str(s.id), s.employee.display_name) for s in case.subjects
    ]
    return form


@bp.route("/cases/<number>/packet", methods=["GET", "POST"])
def print_one(number: str) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_print_packet)
    form = _packet_form(case)
    if form.validate_on_submit():
        try:
            job = packets.start_packet_job(case, form.order(), current_actor())
        except CaseworkError as refused:
            _show_errors(form, refused)
        else:
            return redirect(url_for("packets.job", job_id=job.id))
    status = 400 if request.method == "POST" else 200
    return _print_page(case, form, status)


def _record(
    number: str, posted: NoticeForms, record: Callable[[Case], object], done: str
) -> Response | tuple[str, int]:
    """Record the notice, an objection or its resolution from the print page (which a GET shows)."""
    case = load_case(number, permissions.can_print_packet)
    if request.method == "GET":
        return _print_page(case, _packet_form(case), 200)
    if posted.validate_on_submit():
        try:
            record(case)
        except CaseworkError as refused:
            _show_errors(posted, refused)
        else:
            flash(done, "success")
            return redirect(url_for("packets.print_one", number=case.number))
    return _print_page(case, _packet_form(case), 400, posted)


@bp.route("/cases/<number>/packet/notice", methods=["GET", "POST"])
def record_notice(number: str) -> Response | tuple[str, int]:
    form = NoticeForm()
    done = "The notice is recorded; the objection window runs from its date."
    return _record(number, form, lambda case: packets.record_release_notice(case, form.entry(), current_actor()), done)


@bp.route("/cases/<number>/packet/objection", methods=["GET", "POST"])
def record_objection(number: str) -> Response | tuple[str, int]:
    form = ObjectionForm()
    done = "The objection is recorded; the public release waits for its resolution."
    return _record(number, form, lambda case: packets.record_objection(case, form.entry(), current_actor()), done)


@bp.route("/cases/<number>/packet/resolution", methods=["GET", "POST"])
def resolve_objection(number: str) -> Response | tuple[str, int]:
    form = ResolutionForm()
    done = "The resolution of the objection is recorded."
    return _record(number, form, lambda case: packets.resolve_objection(case, form.entry(), current_actor()), done)


def _job_and_case(job_id: str) -> tuple[PacketJob, Case]:
    """The person's own job, and its case if they may still print it; 404 otherwise."""
    found = packets.job_of(job_id, current_user)
    case = casework.case_by_id(found.case_id) if found is not None else None
    if found is None or case is None:
        abort(404)
    return found, load_case(case.number, permissions.can_print_packet)


@bp.get("/packets/jobs/<job_id>")
def job(job_id: str) -> str:
    found, case = _job_and_case(job_id)
    variant = packets.variant_named(found.variant)
    return render_template("packets/job.html", job=found, case=case, variant=variant)


@bp.get("/packets/jobs/<job_id>/download")
def download(job_id: str) -> Response:
    found, case = _job_and_case(job_id)
    if found.status != "done" or found.packet_print is None:
        abort(404)
    try:
        pdf = packets.job_pdf(found, current_app.config["EVIDENCE_DIR"])
    except CaseworkError as refused:
        abort(409, description=str(refused))
    name = f"{case.number}-packet-{found.variant}-v{found.packet_print.content_version}.pdf"
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/labor/packets", methods=["GET", "POST"])
@permission_required(permissions.can_see_labor_list)
def batch() -> Response | tuple[str, int]:
    form = BatchForm()
    choices = packets.printable_cases(current_user)
    variants = packets.variants_for_any(current_user, choices)
    form.offer(variants)
    form.cases.choices = [(c.number, f"{c.number}: {c.title}") for c in choices]
    if form.validate_on_submit():
        chosen = [c for c in choices if c.number in set(form.cases.data or [])]
        if not chosen:
            form.cases.errors = ["Choose at least one case."]
        else:
            archive = io.BytesIO()
            try:
                with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as bundle:
                    for case in chosen:
                        pdf, name = _print(case, form)
                        bundle.writestr(name, pdf)
            except CaseworkError as refused:
                _show_errors(form, refused)
            else:
                archive.seek(0)
                response = send_file(
                    archive,
                    mimetype="application/zip",
                    as_attachment=True,
                    download_name=f"packets-{len(chosen)}-cases.zip",
                )
                response.headers["Cache-Control"] = "no-store"
                return response
    if request.method == "POST":
        flash("No packets were made.", "error")
    page = render_template("packets/batch.html", form=form, cases=choices, variants=variants)
    return page, 400 if request.method == "POST" else 200

from __future__ import annotations

import io
import zipfile

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from project import permissions
from project.models import Case, PacketJob
from project.services import casework, evidence, packets
from project.services.errors import CaseworkError
from project.web.access import permission_required, sign_in_required
from project.web.case_access import current_actor, load_case
from project.web.packets.forms import BatchForm, PacketForm

bp = Blueprint("packets", __name__)
sign_in_required(bp)


def _print(case: Case, form: PacketForm) -> tuple[bytes, str]:
    config = current_app.config
    order = form.order()
    printing, pdf = packets.print_packet(case, order, current_actor(), packets.PrintSettings.from_config(config))
    return pdf, f"{case.number}-packet-{order.variant}-v{printing.content_version}.pdf"


@bp.route("/cases/<number>/packet", methods=["GET", "POST"])
def print_one(number: str) -> Response | tuple[str, int]:
    case = load_case(number, permissions.can_print_packet)
    form = PacketForm()
    if form.validate_on_submit():
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        job = packets.start_packet_job(
            app, case, form.order(), current_actor(), inline=current_app.config["PACKET_JOBS_INLINE"]
        )
        return redirect(url_for("packets.job", job_id=job.id))
    status = 400 if request.method == "POST" else 200
    states = evidence.release_states(evidence.exhibits_of(case))
    return render_template("packets/print.html", case=case, form=form, states=states), status


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
    return render_template("packets/job.html", job=found, case=case)


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
                form.form_errors.append(str(refused))
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
    return render_template("packets/batch.html", form=form, cases=choices), 400 if request.method == "POST" else 200

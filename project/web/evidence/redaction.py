"""Redaction routes: marking rectangles on an exhibit image to make a redacted working copy, and serving that
copy through an audited route with the same protective headers as the original."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from project import permissions
from project.models import Case, Exhibit
from project.permissions import can_view_evidence
from project.services import evidence
from project.services.errors import CaseworkError, InvalidInput
from project.web.case_access import current_actor, load_case
from project.web.evidence.forms import RedactionForm
from project.web.evidence.views import _file, _integrity_failure, _purged
from project.web.forms_common import apply_errors

bp = Blueprint("redaction", __name__, url_prefix="/cases/<number>/exhibits/<int:n>")


def _load_exhibit(number: str, n: int, allowed: Callable[[Any, Case], bool]) -> tuple[Case, Exhibit]:
    case = load_case(number, allowed)
    exhibit = evidence.exhibit_of(case, n)
    if exhibit is None:
        abort(404)
    return case, exhibit


def _evidence_dir() -> str:
    return current_app.config["EVIDENCE_DIR"]


@bp.route("/redact", methods=["GET", "POST"])
@login_required
def redact(number: str, n: int) -> Response | tuple[str, int]:
    case, exhibit = _load_exhibit(number, n, permissions.can_redact)
    form = RedactionForm()
    size, suggested = None, None
    if request.method == "GET" and (run_id := request.args.get("run")):
        run = evidence.suggestion_run_of(exhibit, run_id)
        suggested = evidence.suggestions_found(run) if run is not None else None
    try:
        if exhibit.is_image:
            size = evidence.upright_size(case, exhibit, current_actor(), _evidence_dir())
        if form.validate_on_submit():
            made = evidence.redact_exhibit(
                case,
                exhibit,
                evidence.RedactionInput(_submitted_regions(form), form.reason.data or ""),
                current_actor(),
                _evidence_dir(),
            )
            flash(
                f"Redacted copy of {exhibit.label} made: {len(made.regions)} rectangle(s) blacked out "
                f"(SHA-256 {made.redacted_sha256}). The original is unchanged.",
                "success",
            )
            return redirect(url_for("evidence.show", number=case.number, n=exhibit.number))
    except evidence.EvidenceTampered as failure:
        return _integrity_failure(case, exhibit, failure)
    except InvalidInput as refused:
        apply_errors(form, refused.errors)
    except CaseworkError as refused:
        form.form_errors.append(str(refused))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "evidence/redact.html",
        case=case,
        exhibit=exhibit,
        form=form,
        size=size,
        redactions=evidence.redactions_of(exhibit),
        suggested=suggested,
        proposals=suggested.proposals if suggested else _accepted_before(form),
        detectors=suggested.detectors if suggested else evidence.detectors(current_app.config["TESSERACT_CMD"]),
    ), status


@bp.post("/suggestions")
@login_required
def suggest(number: str, n: int) -> Response:
    """Ask for rectangles to be suggested: the run is a job, whose page shows its progress. CSRF is checked by
    CSRFProtect."""
    case, exhibit = _load_exhibit(number, n, permissions.can_redact)
    try:
        run = evidence.start_suggestions(case, exhibit, current_actor())
    except (InvalidInput, CaseworkError) as refused:
        flash(" ".join(refused.errors.values()) if isinstance(refused, InvalidInput) else str(refused), "error")
        return redirect(url_for("redaction.redact", number=case.number, n=exhibit.number))
    return redirect(url_for("redaction.suggestions", number=case.number, n=exhibit.number, run_id=run.id))


@bp.get("/suggestions/<run_id>")
@login_required
def suggestions(number: str, n: int, run_id: str) -> Response | str:
    """A run's progress while it waits; once done, the redaction page with its proposals."""
    case, exhibit = _load_exhibit(number, n, permissions.can_redact)
    run = evidence.suggestion_run_of(exhibit, run_id) if len(run_id) <= 32 else None
    if run is None:
        abort(404)
    if run.status == "done":
        return redirect(url_for("redaction.redact", number=case.number, n=exhibit.number, run=run.id))
    return render_template("evidence/suggestions.html", case=case, exhibit=exhibit, run=run)


def _accepted_before(form: RedactionForm) -> list[evidence.Proposal]:
    """After a refused submit: the suggestions that were ticked, shown ticked again."""
    try:
        regions = evidence.regions_from_lines("\n".join(form.accepted.data or []), form.accepted.name)
    except InvalidInput:
        return []
    return [
        evidence.Proposal("accepted", None, "Accepted suggestion", *(int(r[key]) for key in ("x", "y", "w", "h")))
        for r in regions
    ]


def _submitted_regions(form: RedactionForm) -> list[dict[str, object]]:
    """The rectangles drawn (hidden JSON), then the suggestions ticked, then those typed, each once; every
    reading problem at once."""
    errors: dict[str, str] = {}
    found: list[dict[str, object]] = []
    ticked = "\n".join(form.accepted.data or [])
    for read, field, text in (
        (evidence.regions_from_json, form.regions, form.regions.data),
        (evidence.regions_from_lines, form.accepted, ticked),
        (evidence.regions_from_lines, form.typed_regions, form.typed_regions.data),
    ):
        try:
            found += read(text, field.name)
        except InvalidInput as refused:
            errors |= refused.errors
    if errors:
        if problem := evidence.reason_problem(form.reason.data):
            errors["reason"] = problem
        raise InvalidInput(errors)
    unique: list[dict[str, object]] = []
    for region in found:
        if region not in unique:
            unique.append(region)
    return unique


@bp.get("/redacted")
@login_required
def redacted(number: str, n: int) -> Response | tuple[str, int]:
    """The newest redacted copy (or ``?id=`` one of this exhibit's), verified and audited before it is sent."""
    case, exhibit = _load_exhibit(number, n, can_view_evidence)
    wanted = request.args.get("id")
    if wanted is not None and not (wanted.isascii() and wanted.isdigit() and len(wanted) < 12):
        abort(404)
    try:
        found = evidence.view_redacted(
            case, exhibit, current_actor(), _evidence_dir(), int(wanted) if wanted is not None else None
        )
    except evidence.EvidenceTampered as failure:
        return _integrity_failure(case, exhibit, failure)
    except evidence.ExhibitPurged as purged:
        return _purged(case, exhibit, purged)
    if found is None:
        abort(404)
    made, png = found
    response = _file(png, "image/png", "inline", f"{case.number}-exhibit-{exhibit.number}-redacted-{made.id}.png")
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response

"""Exhibit routes. Every file leaves through a route that checks access and writes a custody event first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from project.models import Case, Exhibit
from project.permissions import can_edit_case, can_redact, can_view_evidence, can_withdraw_exhibit
from project.services import evidence, submissions
from project.services.errors import CaseworkError, InvalidInput
from project.web.access import audit_refusal
from project.web.case_access import current_actor, load_case
from project.web.evidence.forms import ExhibitForm, ReleaseReviewForm, TranscriptForm, WithdrawalForm
from project.web.forms_common import apply_errors

bp = Blueprint("evidence", __name__, url_prefix="/cases/<number>/exhibits")


@bp.app_context_processor
def media_tools() -> dict[str, Any]:
    """For the pages of audio and video exhibits: whether ffmpeg is here (asked only when a page needs it)."""
    return {
        "ffmpeg_on": lambda: evidence.MediaLimits.from_config(current_app.config).available(),
        "ffmpeg_off": evidence.FFMPEG_OFF,
    }


def _evidence_dir() -> str:
    return current_app.config["EVIDENCE_DIR"]


def _load_exhibit(
    number: str, n: int, allowed: Callable[[Any, Case], bool] = can_view_evidence
) -> tuple[Case, Exhibit]:
    case = load_case(number, allowed)
    exhibit = evidence.exhibit_of(case, n)
    if exhibit is None:
        abort(404)
    return case, exhibit


@bp.get("")
@login_required
def index(number: str) -> str:
    case = load_case(number, can_view_evidence)
    return render_template("evidence/index.html", case=case, states=evidence.release_states(evidence.exhibits_of(case)))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def upload(number: str) -> Response | tuple[str, int]:
    case = load_case(number, can_edit_case)
    form = ExhibitForm()
    if request.method == "GET":
        form.captured_by.data = current_user.name
    if form.validate_on_submit():
        case_number = case.number  # read before the commit: nothing after it may fail the response
        try:
            with submissions.known_after_commit():
                exhibit = evidence.add_exhibit(
                    case, form.upload(), current_actor(), evidence.EvidenceSettings.from_config(current_app.config)
                )
                label, sha256, n = exhibit.label, exhibit.sha256, exhibit.number
        except InvalidInput as refused:
            if "file" in refused.errors and form.file.data:  # F6: a file sent and refused is audited (per minute)
                audit_refusal("upload_refused", case.id)
            apply_errors(form, refused.errors)
        except CaseworkError as refused:
            form.form_errors.append(str(refused))
        else:
            flash(f"{label} added (SHA-256 {sha256}).", "success")
            return redirect(url_for("evidence.show", number=case_number, n=n))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "evidence/new.html",
        case=case,
        form=form,
        limit=_megabytes(current_app.config["EVIDENCE_MAX_BYTES"]),
        max_bytes=current_app.config["EVIDENCE_MAX_BYTES"],
        rules=evidence.MediaRules.from_config(current_app.config),
        megabytes=_megabytes,
        accept=evidence.ACCEPT_ATTRIBUTE,
    ), status


def _megabytes(size: int) -> str:
    return f"{size / evidence.MB:.3g} MB"


@bp.get("/<int:n>")
@login_required
def show(number: str, n: int) -> str:
    case, exhibit = _load_exhibit(number, n)
    version = evidence.transcript_version(exhibit)
    return render_template(
        "evidence/show.html",
        case=case,
        exhibit=exhibit,
        custody=evidence.custody_log(exhibit),
        actions=evidence.CUSTODY_ACTIONS,
        release=evidence.release_state(exhibit),
        reviews=evidence.release_reviews_of(exhibit),
        review_form=ReleaseReviewForm(formdata=None),
        withdrawal_form=WithdrawalForm(formdata=None),
        transcript_form=TranscriptForm(formdata=None, transcript=exhibit.transcript or "", started_from=version),
    )


@bp.post("/<int:n>/transcript")
@login_required
def transcript(number: str, n: int) -> Response | tuple[str, int]:
    """Keep the typed transcript of an audio or video exhibit (the assigned investigator, while open)."""
    case, exhibit = _load_exhibit(number, n, can_edit_case)
    form = TranscriptForm()
    if form.validate_on_submit():
        try:
            changed = evidence.save_transcript(
                case, exhibit, form.transcript.data or "", current_actor(), form.started_from.data or ""
            )
        except InvalidInput as refused:
            apply_errors(form, refused.errors)
        except CaseworkError as refused:
            form.form_errors.append(str(refused))
        else:
            flash(f"Transcript of {exhibit.label} saved." if changed else "The transcript was not changed.", "success")
            return redirect(url_for("evidence.show", number=case.number, n=exhibit.number) + "#transcript-h")
    return render_template("evidence/transcript.html", case=case, exhibit=exhibit, form=form), 400


@bp.get("/<int:n>/recording")
@login_required
def recording(number: str, n: int) -> Response | tuple[str, int]:
    """The audio or video original for the page's player, in the byte ranges the player asks for (seeking)."""
    case, exhibit = _load_exhibit(number, n)
    if not exhibit.is_media:
        abort(404)
    try:
        handle = evidence.play_recording(case, exhibit, current_actor(), _evidence_dir())
    except evidence.EvidenceTampered as failure:
        return _integrity_failure(case, exhibit, failure)
    except evidence.ExhibitPurged as purged:
        return _purged(case, exhibit, purged)
    response = Response(wrap_file(request.environ, handle), mimetype=exhibit.media_type, direct_passthrough=True)
    response.content_length = exhibit.size_bytes
    response.set_etag(exhibit.sha256)
    response.headers.set("Content-Disposition", "inline", filename=evidence.download_name(case, exhibit))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response.make_conditional(request.environ, accept_ranges=True, complete_length=exhibit.size_bytes)


@bp.route("/<int:n>/release", methods=["GET", "POST"])
@login_required
def review_release(number: str, n: int) -> Response | tuple[str, int]:
    """Record how the exhibit may go out in a release packet: redacted, releasable as it is, or withheld."""
    case, exhibit = _load_exhibit(number, n, can_redact)
    form = ReleaseReviewForm()
    form.decision.choices = evidence.decision_choices(exhibit)
    if form.validate_on_submit():
        try:
            review = evidence.review_for_release(
                case, exhibit, form.decision.data or "", form.reason.data or "", current_actor()
            )
        except InvalidInput as refused:
            if "file" in refused.errors and form.file.data:  # F6: a file sent and refused is audited (per minute)
                audit_refusal("upload_refused", case.id)
            apply_errors(form, refused.errors)
        except CaseworkError as refused:
            form.form_errors.append(str(refused))
        else:
            label = evidence.STATE_LABELS[review.decision]
            flash(f"Release review of {exhibit.label} recorded: {label}.", "success")
            return redirect(url_for("evidence.show", number=case.number, n=exhibit.number))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "evidence/release.html", case=case, exhibit=exhibit, form=form, release=evidence.release_state(exhibit)
    ), status


@bp.route("/<int:n>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(number: str, n: int) -> Response | tuple[str, int]:
    """Withdraw the exhibit from the case, with the reason."""
    case, exhibit = _load_exhibit(number, n, can_withdraw_exhibit)
    form = WithdrawalForm()
    if form.validate_on_submit():
        try:
            evidence.withdraw_exhibit(case, exhibit, form.withdrawal_reason.data or "", current_actor())
        except InvalidInput as refused:
            form.show_errors(refused.errors)
        except CaseworkError as refused:
            form.form_errors.append(str(refused))
        else:
            flash(f"{exhibit.label} withdrawn from the case: it will be in no packet.", "success")
            return redirect(url_for("evidence.show", number=case.number, n=exhibit.number))
    status = 400 if request.method == "POST" else 200
    return render_template("evidence/withdraw.html", case=case, exhibit=exhibit, form=form), status


@bp.get("/<int:n>/original")
@login_required
def original(number: str, n: int) -> Response | tuple[str, int]:
    case, exhibit = _load_exhibit(number, n)
    try:
        data = evidence.view_original(case, exhibit, current_actor(), _evidence_dir())
    except evidence.EvidenceTampered as failure:
        return _integrity_failure(case, exhibit, failure)
    except evidence.ExhibitPurged as purged:
        return _purged(case, exhibit, purged)
    response = _file(data, exhibit.media_type, "inline", evidence.download_name(case, exhibit))
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.get("/<int:n>/download")
@login_required
def download(number: str, n: int) -> Response | tuple[str, int]:
    case, exhibit = _load_exhibit(number, n)
    try:
        data = evidence.download_original(case, exhibit, current_actor(), _evidence_dir())
    except evidence.EvidenceTampered as failure:
        return _integrity_failure(case, exhibit, failure)
    except evidence.ExhibitPurged as purged:
        return _purged(case, exhibit, purged)
    return _file(data, exhibit.media_type, "attachment", evidence.download_name(case, exhibit))


@bp.get("/<int:n>/thumbnail")
@login_required
def thumbnail(number: str, n: int) -> Response | tuple[str, int]:
    case, exhibit = _load_exhibit(number, n)
    try:
        png = evidence.view_thumbnail(case, exhibit, current_actor(), _evidence_dir())
    except evidence.EvidenceTampered as failure:
        return _integrity_failure(case, exhibit, failure)
    except evidence.ExhibitPurged as purged:
        return _purged(case, exhibit, purged)
    if png is None:
        abort(404)
    return _file(png, "image/png", "inline", f"{case.number}-exhibit-{exhibit.number}-thumbnail.png")


def _file(data: bytes, media_type: str, disposition: str, filename: str) -> Response:
    response = Response(data, mimetype=media_type)
    response.headers.set("Content-Disposition", disposition, filename=filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _purged(case: Case, exhibit: Exhibit, purged: CaseworkError) -> tuple[str, int]:
    """410 Gone: the file was deleted under a retention rule, on purpose; the page says when and under which."""
    return render_template("evidence/purged.html", case=case, exhibit=exhibit, message=str(purged)), 410


def _integrity_failure(case: Case, exhibit: Exhibit, failure: CaseworkError) -> tuple[str, int]:
    return render_template("evidence/integrity_failure.html", case=case, exhibit=exhibit, message=str(failure)), 409

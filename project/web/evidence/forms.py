from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional

from project.services import evidence
from project.web.forms_common import Form, LocalDateTimeField, apply_errors


class ExhibitForm(Form):
    """The rules (required details, the file's type and size) are the service's; this form only parses."""

    file = FileField(
        "File: a PNG, JPEG, WebP or HEIC screenshot or photo, a PDF capture, an MP3, M4A or WAV recording, "
        "or an MP4 or MOV video"
    )
    description = TextAreaField("What the exhibit shows")
    source_url = StringField("Source URL (where it was captured)")
    captured_at = LocalDateTimeField("Captured at (local time)", validators=[Optional()])
    captured_by = StringField("Captured by")
    capture_method = StringField("Capture method or tool", description="e.g. Chrome full-page screenshot, Windows 11")

    def upload(self) -> evidence.ExhibitInput:
        chosen = self.file.data
        return evidence.ExhibitInput(
            file=chosen.stream if chosen else b"",
            filename=chosen.filename if chosen else "",
            description=self.description.data or "",
            source_url=self.source_url.data,
            captured_at=self.captured_at.as_utc(),
            captured_by=self.captured_by.data or "",
            capture_method=self.capture_method.data or "",
        )


class RedactionForm(Form):
    """Parses only: the rules (at least one rectangle, inside the image, a reason) are the service's."""

    regions = HiddenField()  # JSON written by static/js/redact.js from the rectangles drawn on the image
    # The suggested rectangles a person ticked, each as "x,y,w,h"; read like typed ones, checked by the service
    accepted = SelectMultipleField(choices=[], validate_choice=False)
    typed_regions = TextAreaField(
        "Or type rectangles, one per line as x,y,w,h",
        description="Pixels of the image from its top-left corner: x across, y down, w wide, h high.",
    )
    reason = TextAreaField("Why these parts are blacked out")


class ReleaseReviewForm(Form):
    """Parses only: the rules (a redacted copy for "redacted", a reason) are the service's."""

    decision = RadioField("Decision for the release packet", choices=evidence.DECISION_CHOICES, validate_choice=False)
    reason = TextAreaField("Why (kept with the review)")


class WithdrawalForm(Form):
    """Parses only: the rules (who, when, a reason) are the service's. The field has its own name so the
    exhibit page, which holds this form beside the review form, repeats no element id."""

    withdrawal_reason = TextAreaField("Why the exhibit is withdrawn")

    def show_errors(self, errors: dict[str, str]) -> None:
        apply_errors(self, {"withdrawal_reason" if name == "reason" else name: text for name, text in errors.items()})


class TranscriptForm(Form):
    """Parses only: the rules (who, while open, the length, no one else's change overwritten) are the service's."""

    transcript = TextAreaField("Transcript", description="What is said in the recording, as typed by the investigator.")
    started_from = HiddenField()  # the version of the transcript the form was opened with

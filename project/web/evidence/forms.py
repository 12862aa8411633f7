from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import Optional

from project.web.forms_common import Form, LocalDateTimeField


class ExhibitForm(Form):
    """The rules (required details, the file's type and size) are the service's; this form only parses."""

    file = FileField("File: a PNG, JPEG or WebP screenshot, or a PDF capture")
    description = TextAreaField("What the exhibit shows")
    source_url = StringField("Source URL (where it was captured)")
    captured_at = LocalDateTimeField("Captured at (local time)", validators=[Optional()])
    captured_by = StringField("Captured by")
    capture_method = StringField("Capture method or tool", description="e.g. Chrome full-page screenshot, Windows 11")

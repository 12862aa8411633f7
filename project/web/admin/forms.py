from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class RosterImportForm(FlaskForm):
    file = FileField("Roster file (CSV, UTF-8)", validators=[FileRequired(message="Choose a CSV file.")])

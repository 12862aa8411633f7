from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from project.models import Role
from project.web.forms_common import Form


class RosterImportForm(Form):
    file = FileField("Roster file (CSV, UTF-8)", validators=[FileRequired(message="Choose a CSV file.")])


class UserForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    roles = SelectMultipleField(
        "Roles",
        choices=[(r.value, r.label) for r in Role],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    employee_number = StringField(
        "Roster employee number (if a DOC employee; hides cases about them)", validators=[Optional(), Length(max=20)]
    )
    password = PasswordField(
        "Initial password (at least 12 characters; they must change it at their first sign-in)",
        validators=[DataRequired(), Length(max=256)],
    )


class RoleGrantForm(Form):
    role = SelectField("Role to give", choices=[(r.value, r.label) for r in Role], validators=[DataRequired()])

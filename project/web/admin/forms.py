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
    email = EmailField("Email", validators=[DataRequired("Give the person's email address."), Length(max=254)])
    name = StringField("Full name", validators=[DataRequired("Give the person's full name."), Length(max=200)])
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
        validators=[DataRequired("Choose an initial password."), Length(max=256)],
    )


class RoleGrantForm(Form):
    role = SelectField(
        "Role to give", choices=[(r.value, r.label) for r in Role], validators=[DataRequired("Choose a role.")]
    )

from __future__ import annotations

from wtforms import SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, Optional

from project.web.forms_common import Form, VersionField


class AllegationForm(Form):
    subject = SelectField("Subject employee", choices=[], coerce=str)
    citation = SelectField("Provision", choices=[], coerce=str)
    reasoning = TextAreaField("Reasoning", validators=[Optional(), Length(max=20000)])
    exhibits = SelectMultipleField("Supporting exhibits", choices=[], coerce=int, validate_choice=False)


class FindingForm(Form):
    finding = SelectField("Finding", choices=[], coerce=str)
    reasoning = TextAreaField("Reasoning", validators=[Optional(), Length(max=20000)])
    exhibits = SelectMultipleField("Supporting exhibits", choices=[], coerce=int, validate_choice=False)
    version = VersionField()

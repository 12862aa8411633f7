from __future__ import annotations

from wtforms import SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, Optional

from project.services import casework
from project.web.forms_common import Form, VersionField


class AllegationForm(Form):
    subject = SelectField("Subject employee", choices=[], coerce=str)
    citation = SelectField("Provision", choices=[], coerce=str)
    reasoning = TextAreaField("Reasoning", validators=[Optional(), Length(max=20000)])
    exhibits = SelectMultipleField("Supporting exhibits", choices=[], coerce=int, validate_choice=False)

    def entry(self) -> casework.AllegationInput:
        return casework.AllegationInput(self.citation.data, self.reasoning.data or "", self.exhibits.data or [])


class FindingForm(Form):
    finding = SelectField("Finding", choices=[], coerce=str)
    reasoning = TextAreaField("Reasoning", validators=[Optional(), Length(max=20000)])
    exhibits = SelectMultipleField("Supporting exhibits", choices=[], coerce=int, validate_choice=False)
    version = VersionField()

    def entry(self) -> casework.FindingInput:
        return casework.FindingInput(self.finding.data, self.reasoning.data or "", self.exhibits.data or [])

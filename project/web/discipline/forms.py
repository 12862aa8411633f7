"""The forms of the discipline pages."""

from __future__ import annotations

from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from project.services import discipline
from project.web.forms_common import Form, VersionField


class ProposalForm(Form):
    step = SelectField("Discipline step", choices=[])
    suspension_days = IntegerField("Suspension days", validators=[Optional(), NumberRange(min=1, max=365)])
    justification = TextAreaField(
        "Justification (required when departing from the suggestion)", validators=[Optional(), Length(max=5000)]
    )
    comparables_reason = TextAreaField(
        "Reason for departing from the comparable cases (required when the step is well above or below them)",
        validators=[Optional(), Length(max=5000)],
    )
    version = VersionField()

    def entry(self) -> discipline.ProposalInput:
        return discipline.ProposalInput(
            step=self.step.data or "",
            suspension_days=self.suspension_days.data,
            justification=self.justification.data or "",
            comparables_reason=self.comparables_reason.data or "",
        )

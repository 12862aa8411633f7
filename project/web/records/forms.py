"""The forms of the leave, legal-hold and sealed-history pages."""

from __future__ import annotations

from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from project.services import records
from project.web.forms_common import Form


class LeaveForm(Form):
    paid = RadioField("Leave", choices=[("paid", "Paid"), ("unpaid", "Unpaid")], validators=[InputRequired()])
    starts_on = DateField("First day", validators=[InputRequired()])
    ends_on = DateField("Last day (leave empty while the leave runs)", validators=[Optional()])
    reason = TextAreaField("Reason", validators=[InputRequired(), Length(max=2000)])

    def entry(self) -> records.LeaveInput:
        return records.LeaveInput(self.paid.data or "", self.starts_on.data, self.ends_on.data, self.reason.data or "")


class EndLeaveForm(Form):
    ends_on = DateField("Last day", validators=[InputRequired()])


class PlaceHoldForm(Form):
    case_number = StringField("Case number", validators=[InputRequired(), Length(max=20)])
    reason = TextAreaField("Reason for the hold", validators=[InputRequired(), Length(max=2000)])


class LiftHoldForm(Form):
    lift_reason = TextAreaField("Reason for lifting it", validators=[InputRequired(), Length(max=2000)])


class SealedHistoryForm(Form):
    employee_number = StringField("Employee number", validators=[InputRequired(), Length(max=20)])
    reason = TextAreaField("Why the sealed history is opened", validators=[InputRequired(), Length(max=2000)])

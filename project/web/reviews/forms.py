from __future__ import annotations

from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from project.web.forms_common import Form, coerce_id

DECISIONS = [
    ("approved", "Approve as submitted"),
    ("approved_with_modification", "Approve with modification (reason required)"),
    ("returned", "Return to the investigator (reasons required)"),
    ("closed_no_violation", "Close: no violation (no allegation sustained)"),
    ("closed_by_exception", "Close: covered by a Commissioner's written exception (AD 2.26 5.e)"),
]


class AssignForm(Form):
    investigator = SelectField("Investigator", choices=[], coerce=coerce_id, validate_choice=False)
    reason = TextAreaField("Reason (for a reassignment)", validators=[Optional(), Length(max=2000)])


class SubmitForm(Form):
    comment = TextAreaField("Comment for the reviewer", validators=[Optional(), Length(max=2000)])


class ReviewForm(Form):
    decision = RadioField("Decision", choices=DECISIONS, validators=[DataRequired(message="Choose a decision.")])
    reasons = TextAreaField("Reasons", validators=[Optional(), Length(max=5000)])


class ReasonForm(Form):
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=5000)])

"""The forms of the labor pages."""

from __future__ import annotations

from dataclasses import fields

from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from project.models import GrievanceStatus
from project.models.packets import LETTER_KINDS
from project.services import catalogue, labor
from project.web.forms_common import Form, VersionField


class LaborForm(Form):
    decision_on = DateField("Decision to discipline", validators=[Optional()])
    meeting_on = DateField("Pre-disciplinary meeting", validators=[Optional()])
    notice_issued_on = DateField("Written notice issued", validators=[Optional()])
    imposed_step = SelectField("Discipline imposed", choices=[])
    imposed_suspension_days = IntegerField("Suspension days imposed", validators=[Optional(), NumberRange(1, 365)])
    effective_on = DateField("Effective date", validators=[Optional()])
    employee_copy_on = DateField("Copy given to the employee (with the rebuttal notice)", validators=[Optional()])
    grievance_status = SelectField("Grievance / arbitration", choices=[(g.value, g.label) for g in GrievanceStatus])
    grievance_notes = TextAreaField("Grievance notes", validators=[Optional(), Length(max=5000)])
    version = VersionField()

    def entry(self) -> labor.LaborRecordInput:
        """What was entered, as the use case takes it (its fields are named as the form's)."""
        names = [f.name for f in fields(labor.LaborRecordInput)]
        values = {name: self[name].data for name in names}
        values["imposed_step"] = values["imposed_step"] or ""
        values["grievance_notes"] = values["grievance_notes"] or ""
        return labor.LaborRecordInput(**values)


class PrintForm(Form):
    kind = SelectField("Letter", choices=[(k, catalogue.KIND_LABELS[k]) for k in LETTER_KINDS])
    letter_date = DateField("Date of the letter", validators=[InputRequired("Give the date of the letter.")])

    def order(self) -> labor.LetterOrder:
        return labor.LetterOrder(self.kind.data, self.letter_date.data)


class TemplateForm(Form):
    title = StringField("Title")
    body = TextAreaField("Wording", render_kw={"rows": 28})
    version = VersionField()

"""The forms of the labor pages."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from project import clock
from project.models.documents.packets import LETTER_KINDS
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
    meeting_time = TimeField("Meeting time", validators=[Optional()])
    meeting_place = StringField("Meeting place", validators=[Optional(), Length(max=200)])
    meeting_attendees = TextAreaField("Attendees", validators=[Optional(), Length(max=5000)])
    union_rep_name = StringField("Union representative", validators=[Optional(), Length(max=200)])
    union_rep_union = StringField("Representative's union", validators=[Optional(), Length(max=200)])
    union_rep_waived = BooleanField("The employee waived union representation")
    employee_response = TextAreaField("The employee's response", validators=[Optional(), Length(max=20000)])
    documents_given = TextAreaField("Documents given to the employee", validators=[Optional(), Length(max=5000)])
    decided_by_id = SelectField("Decision-maker (appointing authority)", choices=[], coerce=str, default="")
    departure_reason = TextAreaField("Reason for a step other than the approved one", validators=[Optional()])
    immediate_dismissal = BooleanField("Dismissal effective at the close of the meeting (RCSA 5-240-8a(b))")
    immediate_dismissal_reason = TextAreaField("Specific reason for the immediate dismissal", validators=[Optional()])
    personnel_office_notified_on = DateField(
        "Reported to the Commissioner of Administrative Services (demotion, dismissal)", validators=[Optional()]
    )

    def validate_meeting_time(self, field: TimeField) -> None:
        """A meeting time the clocks skipped that day (spring forward) never happened: refused, not shifted."""
        if field.data is not None and self.meeting_on.data is not None:
            wall = datetime.combine(self.meeting_on.data, field.data)
            if not clock.exists_locally(wall):
                earlier, later = (f"{m.astimezone(clock.zone()):%H:%M %Z}" for m in clock.readings(wall))
                raise ValidationError(
                    f"{wall:%Y-%m-%d %H:%M} never showed on a clock here (the clocks went forward an hour): "
                    f"it means {earlier} or {later}. Enter the time the clock showed."
                )

    version = VersionField()

    def entry(self) -> labor.LaborRecordInput:
        """What was entered, as the use case takes it (its fields are named as the form's)."""
        names = [f.name for f in fields(labor.LaborRecordInput)]
        values = {name: self[name].data for name in names}
        for name in names:
            if isinstance(self[name], StringField) and not isinstance(self[name], SelectField):
                values[name] = values[name] or ""
        values["imposed_step"] = values["imposed_step"] or ""
        chosen = values["decided_by_id"] or ""
        values["decided_by_id"] = int(chosen) if str(chosen).isdigit() else None
        values["union_rep_waived"] = bool(values["union_rep_waived"])
        values["immediate_dismissal"] = bool(values["immediate_dismissal"])
        return labor.LaborRecordInput(**values)


class PrintForm(Form):
    kind = SelectField("Letter", choices=[(k, catalogue.KIND_LABELS[k]) for k in LETTER_KINDS])
    letter_date = DateField("Date of the letter", validators=[InputRequired("Give the date of the letter.")])
    backdated_reason = TextAreaField(
        "Reason for an earlier date (only when the letter is backdated)", validators=[Optional(), Length(max=2000)]
    )

    def order(self) -> labor.LetterOrder:
        return labor.LetterOrder(self.kind.data, self.letter_date.data, self.backdated_reason.data or "")


class TemplateForm(Form):
    title = StringField("Title")
    body = TextAreaField("Wording", render_kw={"rows": 28})
    version = VersionField()

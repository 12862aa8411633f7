"""The forms of the grievance page, one per thing labor relations records; each parses only, the rules are
the service's (``project.services.grievances``)."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from project import clock
from project.models import AgreementKind, Award, StepDecision
from project.services import evidence, grievances
from project.web.forms_common import Form, VersionField

NAME = [Optional(), Length(max=200)]
TEXT = [Optional(), Length(max=20_000)]
DAYS = [Optional(), NumberRange(1, 365)]


def _text(value: str | None) -> str:
    return value or ""


class FileForm(Form):
    filed_on = DateField("Day the grievance was filed", validators=[Optional()])
    number = StringField("Union's grievance number", validators=NAME)
    representative = StringField("Representative", validators=NAME)
    representative_union = StringField("Representative's union", validators=NAME)
    notes = TextAreaField("Notes", validators=TEXT)

    def entry(self) -> grievances.GrievanceInput:
        return grievances.GrievanceInput(
            self.filed_on.data,
            _text(self.number.data),
            _text(self.representative.data),
            _text(self.representative_union.data),
            _text(self.notes.data),
        )


class StepForm(Form):
    hearing_on = DateField("Hearing held on", validators=[Optional()])
    decision_on = DateField("Decision dated", validators=[Optional()])
    decision = SelectField(
        "Decision",
        choices=[("", "Not decided yet")] + [(d.value, d.value.capitalize()) for d in StepDecision],
        default="",
    )
    decision_text = TextAreaField("The decision's reasons", validators=TEXT)
    step = SelectField("Penalty that stands instead (a modified penalty)", choices=[], default="")
    suspension_days = IntegerField("Suspension days that stand", validators=DAYS)
    version = VersionField()

    def entry(self) -> grievances.StepInput:
        return grievances.StepInput(
            self.hearing_on.data,
            self.decision_on.data,
            _text(self.decision.data),
            _text(self.decision_text.data),
            _text(self.step.data),
            self.suspension_days.data,
        )


class AppealForm(Form):
    appealed_on = DateField("Appealed to the next step on", validators=[Optional()])
    version = VersionField()


class ArbitrationForm(Form):
    demanded_on = DateField("Arbitration demanded on", validators=[Optional()])
    arbitrator = StringField("Arbitrator", validators=NAME)
    hearing_on = DateField("First hearing day", validators=[Optional()])
    last_hearing_on = DateField("Last hearing day", validators=[Optional()])
    version = VersionField()

    def entry(self) -> grievances.ArbitrationInput:
        return grievances.ArbitrationInput(
            self.demanded_on.data, _text(self.arbitrator.data), self.hearing_on.data, self.last_hearing_on.data
        )


class AwardForm(Form):
    award = SelectField(
        "Award", choices=[("", "Choose")] + [(a.value, a.value.capitalize()) for a in Award], default=""
    )
    award_on = DateField("Award dated", validators=[Optional()])
    summary = TextAreaField("Summary of the award", validators=TEXT)
    back_pay = StringField("Back pay (dollars)", validators=[Optional(), Length(max=20)])
    exhibit_number = SelectField("Award document (exhibit)", choices=[], coerce=str, default="")
    step = SelectField("Penalty that stands instead (a modified award)", choices=[], default="")
    suspension_days = IntegerField("Suspension days that stand", validators=DAYS)
    version = VersionField()

    def entry(self) -> grievances.AwardInput:
        chosen = _text(self.exhibit_number.data)
        return grievances.AwardInput(
            _text(self.award.data),
            self.award_on.data,
            _text(self.summary.data),
            _text(self.back_pay.data),
            int(chosen) if chosen.isdigit() and len(chosen) < 9 else None,
            _text(self.step.data),
            self.suspension_days.data,
        )


class AgreementForm(Form):
    kind = SelectField("Agreement", choices=[(k.value, k.label) for k in AgreementKind])
    signed_on = DateField("Signed on", validators=[Optional()])
    terms = TextAreaField("Terms", validators=TEXT)
    expires_on = DateField("Expires on", validators=[Optional()])
    rescinded = BooleanField("The discipline is rescinded")
    step = SelectField("Penalty that stands instead (if it changes)", choices=[], default="")
    suspension_days = IntegerField("Suspension days that stand", validators=DAYS)
    version = VersionField()

    def entry(self) -> grievances.AgreementInput:
        return grievances.AgreementInput(
            _text(self.kind.data),
            self.signed_on.data,
            _text(self.terms.data),
            self.expires_on.data,
            bool(self.rescinded.data),
            _text(self.step.data),
            self.suspension_days.data,
        )


class EndForm(Form):
    state = SelectField("How it ended", choices=[(k, v.capitalize()) for k, v in grievances.ENDINGS.items()])
    ended_on = DateField("Ended on", validators=[Optional()])
    reason = TextAreaField("What happened", validators=TEXT)
    version = VersionField()


class AwardDocumentForm(Form):
    file = FileField("Award document (PDF or image)")
    description = StringField("Description", validators=NAME, default="Arbitration award")

    def upload(self, received_by: str) -> evidence.ExhibitInput:
        chosen = self.file.data
        return evidence.ExhibitInput(
            file=chosen.stream if chosen else b"",
            filename=chosen.filename if chosen else "",
            description=_text(self.description.data),
            source_url=None,
            captured_at=clock.now(),
            captured_by=received_by,
            capture_method="Award document received by labor relations",
        )

"""The interview forms: an interview (Garrity or a criminal referral, Weingarten, the statement and its
recordings) and why a subject was never interviewed. The service checks the values and says what is wrong."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from project.models import Case, Interview, InterviewKind, NotInterviewedReason
from project.services import casework
from project.web.forms_common import Form, LocalDateTimeField, VersionField, clean_id

KINDS = [("", "Choose")] + [(k.value, k.label) for k in InterviewKind]
REPRESENTATION = [
    ("", "Choose"),
    ("requested", "A union representative was requested (name and union below)"),
    ("waived", "The employee waived a representative (recorded)"),
]
REASONS = [("", "Choose")] + [(r.value, r.label) for r in NotInterviewedReason]


def _ids(values: list[Any] | None) -> list[int]:
    return [i for i in (clean_id(str(v)) for v in values or []) if i is not None]


class InterviewForm(Form):
    person = SelectField("Person interviewed", choices=[], validate_choice=False)
    held_at = LocalDateTimeField("Date and time of the interview", validators=[Optional()])
    place = StringField("Place", validators=[Length(max=200)])
    interviewers = SelectMultipleField("Interviewers", choices=[], validate_choice=False)
    kind = SelectField("Type of interview", choices=KINDS, validate_choice=False)
    garrity_given = BooleanField("The Garrity warning was given before any question")
    garrity_acknowledged = BooleanField("The employee acknowledged the warning (signed the form)")
    garrity_form_version = StringField(
        "Garrity warning form version (a department setting)", validators=[Optional(), Length(max=60)]
    )
    garrity_exhibit = SelectField("Signed Garrity form (an exhibit of the case)", choices=[], validate_choice=False)
    referred_to = StringField("Criminal matter referred to (agency or unit)", validators=[Optional(), Length(max=200)])
    referred_on = DateField("Referred on", validators=[Optional()])
    representation = SelectField("Union representative (Weingarten)", choices=REPRESENTATION, validate_choice=False)
    representative_name = StringField("Representative's name", validators=[Optional(), Length(max=200)])
    representative_union = StringField("Representative's union", validators=[Optional(), Length(max=200)])
    summary = TextAreaField("Summary of the statement", validators=[Length(max=20000)])
    recordings = SelectMultipleField("Recordings (exhibits of the case)", choices=[], validate_choice=False)
    version = VersionField()

    def offer(self, case: Case, exhibits: list[Any]) -> None:
        """The choices of this case: its subjects and people, the interviewers, its exhibits."""
        self.person.choices = [("", "Choose")] + casework.interviewee_choices(case)
        self.interviewers.choices = [(str(u.id), u.name) for u in casework.interviewer_choices()]
        shown = [(str(e.id), f"Exhibit {e.number}: {e.description}") for e in exhibits if not e.is_withdrawn]
        self.garrity_exhibit.choices = [("", "Not linked yet")] + shown
        self.recordings.choices = shown

    def fill(self, interview: Interview) -> None:
        self.person.data = (
            f"subject:{interview.subject_id}" if interview.subject_id else f"person:{interview.person_id}"
        )
        self.held_at.set_from_utc(interview.held_at)
        for name in ("place", "kind", "garrity_given", "garrity_acknowledged", "garrity_form_version"):
            getattr(self, name).data = getattr(interview, name)
        for name in ("referred_to", "referred_on", "representative_name", "representative_union", "summary"):
            getattr(self, name).data = getattr(interview, name)
        self.representation.data = interview.representation or ""
        self.interviewers.data = [str(u.id) for u in interview.interviewers]
        self.garrity_exhibit.data = str(interview.garrity_exhibit_id or "")
        self.recordings.data = [str(e.id) for e in interview.recordings]
        self.version.data = str(interview.row_version)

    def entry(self) -> casework.InterviewInput:
        return casework.InterviewInput(
            person=self.person.data or "",
            held_at=self.held_at.as_utc(),
            place=self.place.data or "",
            kind=self.kind.data or "",
            interviewer_ids=_ids(self.interviewers.data),
            garrity_given=bool(self.garrity_given.data),
            garrity_acknowledged=bool(self.garrity_acknowledged.data),
            garrity_form_version=self.garrity_form_version.data or "",
            garrity_exhibit_id=clean_id(self.garrity_exhibit.data),
            referred_to=self.referred_to.data or "",
            referred_on=self.referred_on.data,
            representation=self.representation.data or "",
            representative_name=self.representative_name.data or "",
            representative_union=self.representative_union.data or "",
            summary=self.summary.data or "",
            recording_ids=_ids(self.recordings.data),
        )


class NotInterviewedForm(Form):
    subject = SelectField("Subject", choices=[], validate_choice=False)
    reason = SelectField("Why there was no interview", choices=REASONS, validate_choice=False)
    note = TextAreaField("What happened (dates asked, the answer, the separation date)", validators=[Length(max=2000)])

    def entry(self) -> casework.NotInterviewedInput:
        return casework.NotInterviewedInput(clean_id(self.subject.data), self.reason.data or "", self.note.data or "")

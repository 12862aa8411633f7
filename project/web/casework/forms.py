from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional

from project.models import ComplaintSource, NoteKind, Platform, ProtectedRole
from project.services import casework
from project.web.forms_common import Form, FormTokenField, LocalDateTimeField, TriStateField, VersionField

SOURCES = [(s.value, s.label) for s in ComplaintSource]
PLATFORMS = [(p.value, p.label) for p in Platform]
NOTE_KINDS = [(k.value, k.label) for k in NoteKind]
PROTECTED_ROLES = [("", "Choose")] + [(r.value, r.label) for r in ProtectedRole]


class ComplaintFields(Form):
    title = StringField("Case title", validators=[DataRequired("Give the case a short title."), Length(max=200)])
    complaint_source = SelectField("How the complaint came in", choices=SOURCES)
    received_at = LocalDateTimeField(
        "Received at", validators=[DataRequired("Give the date and time the complaint came in.")]
    )
    facility = StringField("Facility (if known before a subject is linked)", validators=[Optional(), Length(max=120)])
    narrative = TextAreaField("Complaint narrative", validators=[Optional(), Length(max=20000)])
    reporter_name = StringField("Reporter (confidential)", validators=[Optional(), Length(max=200)])
    reporter_contact = StringField("Reporter contact (confidential)", validators=[Optional(), Length(max=200)])


class PostFields(Form):
    platform = SelectField("Platform", choices=PLATFORMS)
    url = StringField("Post URL", validators=[Optional(), URL(require_tld=False), Length(max=2048)])
    account_handle = StringField("Account handle", validators=[Optional(), Length(max=200)])
    display_name = StringField("Display name", validators=[Optional(), Length(max=200)])
    posted_at = LocalDateTimeField("Posted at", validators=[Optional()])
    first_seen_at = LocalDateTimeField("First seen at", validators=[Optional()])
    text = TextAreaField("Text of the post (transcribed)", validators=[Optional(), Length(max=20000)])
    identified_as_doc = TriStateField("In uniform or identified as DOC (5.b.i)")
    on_duty = TriStateField("On duty when posting (5.a)")
    doc_insignia = TriStateField("DOC images or insignia used (5.c)")
    attribution = TextAreaField(
        "Attribution evidence (profile, phone, admission, witness)", validators=[Optional(), Length(max=5000)]
    )
    # "seen before": the signature of the matches shown, posted back to save the post knowingly anyway
    seen_before = HiddenField(validators=[Optional(), Length(max=64)])


class NewCaseForm(ComplaintFields, PostFields):
    """A complaint with its first reported post; more posts are added on the case page."""

    form_token = FormTokenField()


class ComplaintForm(ComplaintFields):
    version = VersionField()


class PostForm(PostFields):
    version = VersionField()


class SubjectForm(Form):
    """The employee to link: chosen from the roster, and linked only once ``confirmed`` (the confirmation page
    shows who it is). A name typed here instead of a number lists the employees it matches."""

    employee_number = StringField(
        "Employee number", validators=[DataRequired("Choose an employee from the roster."), Length(max=100)]
    )
    confirmed = HiddenField()


class UnlinkForm(Form):
    reason = TextAreaField("Why is this subject unlinked?", validators=[Length(max=2000)])


class NoteForm(Form):
    kind = SelectField("Kind", choices=NOTE_KINDS)
    body = TextAreaField("Note", validators=[DataRequired("Write the note."), Length(max=20000)])
    corrects = SelectField("Corrects note", choices=[], validate_choice=False)
    form_token = FormTokenField()


class ProtectedPersonForm(Form):
    """A person whose identity must not go out; the service checks the values and says what is wrong."""

    role = SelectField("Part in the case", choices=PROTECTED_ROLES, validate_choice=False)
    name = StringField("Name (as it may appear in the evidence)", validators=[Length(max=200)])
    email = StringField("Email", validators=[Optional(), Length(max=254)])
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])
    inmate_number = StringField("Inmate number", validators=[Optional(), Length(max=20)])
    note = StringField("Note (who they are, where they appear)", validators=[Optional(), Length(max=500)])
    employee_number = StringField(
        "Employee number (an employee from the roster: the roster's name is used)",
        validators=[Optional(), Length(max=20)],
    )

    def entry(self) -> casework.ProtectedPersonInput:
        return casework.ProtectedPersonInput(
            role=self.role.data or "",
            name=self.name.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
            inmate_number=self.inmate_number.data or "",
            note=self.note.data or "",
            employee_number=self.employee_number.data or "",
        )

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional

from project.models import ComplaintSource, NoteKind, Platform
from project.web.forms_common import Form, LocalDateTimeField, TriStateField, VersionField

SOURCES = [(s.value, s.label) for s in ComplaintSource]
PLATFORMS = [(p.value, p.label) for p in Platform]
NOTE_KINDS = [(k.value, k.label) for k in NoteKind]


class ComplaintFields(Form):
    title = StringField("Case title", validators=[DataRequired(), Length(max=200)])
    complaint_source = SelectField("How the complaint came in", choices=SOURCES)
    received_at = LocalDateTimeField("Received at", validators=[DataRequired()])
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


class NewCaseForm(ComplaintFields, PostFields):
    """A complaint with its first reported post; more posts are added on the case page."""


class ComplaintForm(ComplaintFields):
    version = VersionField()


class PostForm(PostFields):
    version = VersionField()


class SubjectForm(Form):
    employee_number = StringField("Employee number", validators=[DataRequired(), Length(max=20)])


class NoteForm(Form):
    kind = SelectField("Kind", choices=NOTE_KINDS)
    body = TextAreaField("Note", validators=[DataRequired(), Length(max=20000)])
    corrects = SelectField("Corrects note", choices=[], validate_choice=False)

"""The forms of the packets pages."""

from __future__ import annotations

from wtforms import BooleanField, DateField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import Optional

from project.services import packets
from project.web.forms_common import Form


class PacketForm(Form):
    """The variant (only those the person may print are offered: ``offer``), who receives it, and for the
    employee / union copy of a case with several subjects, whose own file it is."""

    variant = RadioField("Variant", choices=[], default="full")
    recipient = StringField("Recipient (required for a release: union, grievance step 2; FOIA request 2026-114)")
    subject = SelectField("Employee whose copy it is", choices=[], coerce=str, validate_choice=False)
    archival = BooleanField("Archival PDF/A-3b (internal packet)")

    def offer(self, variants: list[packets.Variant]) -> None:
        self.variant.choices = [(v.code, v.label) for v in variants]
        if not self.is_submitted():
            self.variant.data = variants[0].code if variants else None

    def order(self) -> packets.PacketOrder:
        variant = self.variant.data or ""
        rules = packets.variant_named(variant)
        archival = bool(self.archival.data and rules is not None and rules.attaches_originals)
        subject = int(self.subject.data) if (self.subject.data or "").isdigit() else None
        return packets.PacketOrder(variant, "pdf/a-3b" if archival else None, self.recipient.data or "", subject)


class BatchForm(PacketForm):
    cases = SelectMultipleField("Cases", choices=[], coerce=str, validate_choice=False)


class NoticeForm(Form):
    """The notice to the employee and the union before a public release (C.G.S. 1-214)."""

    notified_on = DateField("Notice given on", validators=[Optional()])
    notified = StringField("Who was notified (the employee and the union)")
    request = StringField("The request (e.g. FOIA request 2026-114)")

    def entry(self) -> packets.NoticeEntry:
        return packets.NoticeEntry(self.notified_on.data, self.notified.data or "", self.request.data or "")


class ObjectionForm(Form):
    """An objection to the release by the employee or the union (C.G.S. 1-214(c))."""

    objection_on = DateField("Objection received on", validators=[Optional()])
    objection = StringField("Who objected, and on what grounds")

    def entry(self) -> packets.ObjectionEntry:
        return packets.ObjectionEntry(self.objection_on.data, self.objection.data or "")


class ResolutionForm(Form):
    """How the objection was resolved (e.g. the Freedom of Information Commission's decision)."""

    resolved_on = DateField("Resolved on", validators=[Optional()])
    resolution = StringField("What was decided, and by whom")
    outcome = RadioField(
        "Outcome",
        choices=[("release", "The records may be released"), ("withhold", "The records are withheld")],
        default="withhold",
    )

    def entry(self) -> packets.ResolutionEntry:
        return packets.ResolutionEntry(
            self.resolved_on.data, self.resolution.data or "", self.outcome.data == "release"
        )

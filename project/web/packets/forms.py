"""The forms of the packets pages."""

from __future__ import annotations

from wtforms import BooleanField, RadioField, SelectMultipleField

from project.services import packets
from project.web.forms_common import Form

VARIANTS = [("full", "Full packet (originals attached)"), ("redacted", "Redacted packet (for release)")]


class PacketForm(Form):
    variant = RadioField("Variant", choices=VARIANTS, default="full")
    archival = BooleanField("Archival PDF/A-3b (full packet)")

    def order(self) -> packets.PacketOrder:
        variant = self.variant.data if self.variant.data in ("full", "redacted") else "full"
        return packets.PacketOrder(variant, "pdf/a-3b" if self.archival.data and variant == "full" else None)


class BatchForm(PacketForm):
    cases = SelectMultipleField("Cases", choices=[], coerce=str, validate_choice=False)

"""Form tokens: each rendering of a form that adds a record (a note, a complaint) carries a token once, and the
record it saved is stored against it, so a submit retried after a lost response saves nothing twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from project.database import UTCDateTime
from project.extensions import Model

SUBMISSION_KINDS = ("note", "complaint")


class FormToken(Model):
    __tablename__ = "form_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    object_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in SUBMISSION_KINDS) + ")", name="known_kind"),
    )

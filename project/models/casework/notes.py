"""Investigator notes: dated, signed, never edited or deleted. A correction is a new note."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.personnel.people import User


class NoteKind(enum.StrEnum):
    ACTION = "action"
    INTERVIEW = "interview"
    OBSERVATION = "observation"
    PHONE_CALL = "phone_call"
    RECORDS_CHECK = "records_check"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Note(Model):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id"))

    author: Mapped[User] = relationship()
    corrects: Mapped[Note | None] = relationship(remote_side=[id])

    __table_args__ = (
        CheckConstraint("kind IN (" + ", ".join(f"'{k.value}'" for k in NoteKind) + ")", name="known_kind"),
    )

    @property
    def kind_label(self) -> str:
        return NoteKind(self.kind).label


class AppendOnlyViolation(RuntimeError):
    """Somebody tried to change or delete a record that may only be added to (project.services.audit.append_only
    refuses it and audits the attempt)."""

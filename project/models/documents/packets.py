"""What leaves the system on paper: case packets, redacted working copies of exhibits, letters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.personnel.people import User

PACKET_VARIANTS = ("full", "redacted", "public")  # internal, employee / union copy, public (FOIA)
LETTER_KINDS = ("pre_disciplinary_notice", "notice_of_discipline")


class ExhibitRedaction(Model):
    """Rectangles blacked out of an exhibit image; the redacted copy is derived, the original untouched.
    The newest redaction of an exhibit is the one packets use."""

    __tablename__ = "exhibit_redactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibit_id: Mapped[int] = mapped_column(ForeignKey("exhibits.id"), index=True)
    regions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{"x":, "y":, "w":, "h":}] in original pixels
    redacted_sha256: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    created_by: Mapped[User] = relationship()


class SuggestionRun(Model):
    """Rectangles proposed on an image exhibit for redaction (faces, and text naming a protected person), found
    by a job so the page never waits on OCR: the person asked, the worker read the original, the page shows them.
    ``proposals`` hold each rectangle's kind and the kind of identifier matched, never the matched value."""

    __tablename__ = "suggestion_runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, unguessable
    exhibit_id: Mapped[int] = mapped_column(ForeignKey("exhibits.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    message: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    # [{"kind":, "matched":, "x":, "y":, "w":, "h":}] in upright original pixels, and each detector's state
    proposals: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(none_as_null=True))
    detectors: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(none_as_null=True))
    width: Mapped[int | None]
    height: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="known_status"),)


class PacketPrint(Model):
    """One printing of a case packet: which content version and variant, the file's hash, who and when."""

    __tablename__ = "packet_prints"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    variant: Mapped[str] = mapped_column(String(16))
    pdf_variant: Mapped[str | None] = mapped_column(String(16))  # None, or "pdf/a-3b"
    content_version: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    page_count: Mapped[int]
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: printed from the CLI
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recipient: Mapped[str | None] = mapped_column(String(200))  # "FOIA request 2026-114"; None before 0012
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("case_subjects.id"))  # whose own file (employee copy)

    printed_by: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint("variant IN (" + ", ".join(f"'{v}'" for v in PACKET_VARIANTS) + ")", name="known_variant"),
    )


class ReleaseNotice(Model):
    """The notice to the employee and the union before a public release (C.G.S. 1-214(b)): when it was given,
    to whom, for which request, who recorded it. The objection window runs from ``notified_on``."""

    __tablename__ = "release_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    notified_on: Mapped[date] = mapped_column(Date)
    notified: Mapped[str] = mapped_column(String(500))  # who: "J. Smith (employee); NP-4, steward R. Lee"
    request: Mapped[str] = mapped_column(String(200))  # "FOIA request 2026-114"
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # an objection by the employee or the union (C.G.S. 1-214(c)), and how it was resolved
    objection_on: Mapped[date | None] = mapped_column(Date)
    objection: Mapped[str | None] = mapped_column(String(500))
    objection_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_on: Mapped[date | None] = mapped_column(Date)
    resolution: Mapped[str | None] = mapped_column(String(500))
    release_allowed: Mapped[bool | None]  # the resolution: True the release may go, False it is withheld
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])

    __table_args__ = (
        CheckConstraint(
            "(objection_on IS NULL) = (objection IS NULL) AND "
            "(objection_on IS NULL) = (objection_recorded_by_id IS NULL)",
            name="objection_complete",
        ),
        CheckConstraint(
            "(resolved_on IS NULL OR objection_on IS NOT NULL) AND (resolved_on IS NULL) = (resolution IS NULL) "
            "AND (resolved_on IS NULL) = (release_allowed IS NULL) AND "
            "(resolved_on IS NULL) = (resolved_by_id IS NULL)",
            name="resolution_complete",
        ),
    )


class LetterTemplate(Model):
    """The wording of a letter, kept as data that labor relations can edit (each edit is a new version)."""

    __tablename__ = "letter_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("kind", "version"),
        CheckConstraint("kind IN ('pre_disciplinary_notice', 'notice_of_discipline')", name="known_kind"),
    )


class Letter(Model):
    """A printed letter to one subject: its date, the template version it came from, its file's hash."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("case_subjects.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("letter_templates.id"))
    kind: Mapped[str] = mapped_column(String(32))
    letter_date: Mapped[date] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    printed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_on: Mapped[date | None] = mapped_column(Date)  # the real (local) day it was printed; None before 0017
    backdated_reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # why letter_date < issued_on

    template: Mapped[LetterTemplate] = relationship()
    printed_by: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint("kind IN ('pre_disciplinary_notice', 'notice_of_discipline')", name="known_kind"),
    )


class PacketJob(Model):
    """A packet being printed in the background, so the person sees its progress instead of a frozen page."""

    __tablename__ = "packet_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, unguessable
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    variant: Mapped[str] = mapped_column(String(16))
    pdf_variant: Mapped[str | None] = mapped_column(String(16))
    recipient: Mapped[str | None] = mapped_column(String(200))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("case_subjects.id"))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    packet_print_id: Mapped[int | None] = mapped_column(ForeignKey("packet_prints.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")  # started so far (a dead worker's retried)

    packet_print: Mapped[PacketPrint | None] = relationship()

    __table_args__ = (CheckConstraint("status IN ('queued', 'rendering', 'done', 'failed')", name="known_status"),)

"""Derived files: the working copies made from an exhibit's original (or from a redacted copy), and cached
packets, each recorded with the SHA-256 it had when written, so every stored byte has a known hash.

The redacted copies themselves are named by their own hash in ``ExhibitRedaction.redacted_sha256``; they
are not repeated here. Their print renditions are."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from project.database import UTCDateTime
from project.extensions import Model

DERIVED_KINDS = ("thumbnail", "print", "redacted", "packet", "frame")  # frame: a video's key frame


class DerivedFile(Model):
    """A file made from another: ``path`` relative to EVIDENCE_DIR, ``sha256`` of its bytes as written,
    ``source_sha256`` of what it was made from (the original, the redacted copy, or a cached packet's key)."""

    __tablename__ = "derived_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    path: Mapped[str] = mapped_column(String(255), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    source_sha256: Mapped[str] = mapped_column(String(64), index=True)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in DERIVED_KINDS) + ")", name="known_kind"),
    )

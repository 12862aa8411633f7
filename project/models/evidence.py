"""Evidence exhibits: the original file, content-addressed by its SHA-256, with how it was captured."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.people import User

MEDIA_TYPES = ("image/png", "image/jpeg", "image/webp", "application/pdf")


class Exhibit(Model):
    __tablename__ = "exhibits"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    number: Mapped[int]  # Exhibit 1, 2, ... within the case
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(32))
    size_bytes: Mapped[int]
    width: Mapped[int | None]
    height: Mapped[int | None]
    page_count: Mapped[int | None]
    original_filename: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(2048))
    captured_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    captured_by: Mapped[str] = mapped_column(String(200))
    capture_method: Mapped[str] = mapped_column(String(200))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    uploaded_by: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("case_id", "number"),
        UniqueConstraint("case_id", "sha256"),
        CheckConstraint("size_bytes > 0", name="not_empty"),
        CheckConstraint("media_type IN (" + ", ".join(f"'{t}'" for t in MEDIA_TYPES) + ")", name="known_media_type"),
    )

    @property
    def label(self) -> str:
        return f"Exhibit {self.number}"

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")

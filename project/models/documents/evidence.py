"""Evidence exhibits: the original file, content-addressed by its SHA-256, with how it was captured."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.personnel.people import User

MEDIA_TYPES = (
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/heic",
    "application/pdf",
    "audio/mpeg",
    "audio/mp4",
    "audio/wav",
    "video/mp4",
    "video/quicktime",
)


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

    # Withdrawn from the case: kept in the store and the custody history, but in no packet and citable by no
    # new allegation. Who, when and why, as a set (all three or none).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    # The text Tesseract read in the image (for search; indexed masked), and when: None until OCR has run.
    ocr_text: Mapped[str | None] = mapped_column(Text)
    ocr_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The kinds of active content found in a PDF at upload ("JavaScript, launch action"): the file is kept as
    # evidence, and whoever opens the original is warned. None: none found, or not a PDF (issue 15, F17).
    active_content: Mapped[str | None] = mapped_column(Text)
    # Audio and video (issue 17, item 3): the length read by ffprobe at upload (None: ffmpeg was not installed
    # then), and the transcript typed by the investigator, with who last changed it and when (both or none).
    duration_ms: Mapped[int | None]
    transcript: Mapped[str | None] = mapped_column(Text)
    transcript_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    transcript_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Purged under a retention rule (issue 18, item 5): when, and the rule's code. The row, its SHA-256 and its
    # facts stay, so the record still says what existed; the file and every copy made from it are deleted
    # after the purge commits, and ``files_removed_at`` says when that was done (None: still to do, retried by
    # the next retention run).
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purge_rule: Mapped[str | None] = mapped_column(String(64))
    files_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    uploaded_by: Mapped[User] = relationship(foreign_keys=[uploaded_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    transcript_by: Mapped[User | None] = relationship(foreign_keys=[transcript_by_id])

    __table_args__ = (
        UniqueConstraint("case_id", "number"),
        UniqueConstraint("case_id", "sha256"),
        CheckConstraint("size_bytes > 0", name="not_empty"),
        CheckConstraint("media_type IN (" + ", ".join(f"'{t}'" for t in MEDIA_TYPES) + ")", name="known_media_type"),
        CheckConstraint(
            "(withdrawn_at IS NULL AND withdrawn_by_id IS NULL AND withdrawal_reason IS NULL)"
            " OR (withdrawn_at IS NOT NULL AND withdrawn_by_id IS NOT NULL AND withdrawal_reason IS NOT NULL)",
            name="withdrawal_complete",
        ),
        CheckConstraint("(transcript_by_id IS NULL) = (transcript_at IS NULL)", name="transcript_who_and_when"),
        CheckConstraint("duration_ms IS NULL OR duration_ms >= 0", name="duration_not_negative"),
        CheckConstraint("(purged_at IS NULL) = (purge_rule IS NULL)", name="purge_complete"),
        CheckConstraint("files_removed_at IS NULL OR purged_at IS NOT NULL", name="files_removed_after_purge"),
        # the exhibits still kept (purged_at NULL), by upload: what a purge can find due, without the purged ones
        Index("ix_exhibits_purged_at_uploaded_at", "purged_at", "uploaded_at"),
    )

    @property
    def label(self) -> str:
        return f"Exhibit {self.number}"

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")

    @property
    def is_audio(self) -> bool:
        return self.media_type.startswith("audio/")

    @property
    def is_video(self) -> bool:
        return self.media_type.startswith("video/")

    @property
    def is_media(self) -> bool:
        """Audio or video: played in the page, with a duration and a transcript."""
        return self.is_audio or self.is_video

    @property
    def duration_label(self) -> str | None:
        """The duration as people say it, "1:02:03.4" or "0:01.0"; None when it was not read."""
        if self.duration_ms is None:
            return None
        tenths = round(self.duration_ms / 100)
        hours, rest = divmod(tenths, 36_000)
        minutes, tenths = divmod(rest, 600)
        seconds = f"{tenths // 10:02d}.{tenths % 10}"
        return f"{hours}:{minutes:02d}:{seconds}" if hours else f"{minutes}:{seconds}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None


RELEASE_DECISIONS = ("redacted", "releasable", "withheld")


class ExhibitReleaseReview(Model):
    """A person's decision on how an exhibit may go out in a release packet: as its redacted copy (the one
    named here, which the reviewer confirmed), as it is (attested), or not at all (withheld). Append-only:
    the newest row of an exhibit is its current review; no row means "not reviewed"."""

    __tablename__ = "exhibit_release_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibit_id: Mapped[int] = mapped_column(ForeignKey("exhibits.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    # the newest redacted copy when the review was made: the one confirmed ("redacted"), or the one that
    # existed beside an "as it is" attestation; a newer copy makes the review stale (not reviewed)
    redaction_id: Mapped[int | None] = mapped_column(ForeignKey("exhibit_redactions.id"))
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    reviewed_by: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint("decision IN (" + ", ".join(f"'{d}'" for d in RELEASE_DECISIONS) + ")", name="known_decision"),
        CheckConstraint("decision <> 'redacted' OR redaction_id IS NOT NULL", name="redacted_names_its_copy"),
    )

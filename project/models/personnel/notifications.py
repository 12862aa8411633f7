"""Notifications: a person's in-app inbox, and the outbox of e-mails waiting to be delivered."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.casework.cases import Case


class NotificationKind(enum.StrEnum):
    ASSIGNED = "assigned"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    DEADLINE_DUE = "deadline_due"
    DEADLINE_OVERDUE = "deadline_overdue"
    JOB_FAILED = "job_failed"  # a packet or suggestions the person asked for could not be made (issue 20)
    LEAVE_LIMIT_NEAR = "leave_limit_near"  # a subject's paid leave near or at its limit (issue 18, item 1)
    LEAVE_LIMIT_OVER = "leave_limit_over"  # and past it

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Notification(Model):
    """One notice in one person's inbox about one case. ``read_at`` is set when they open it or mark all read.
    ``dedupe_key`` names the event for notices that a repeated run could make twice (a deadline's status on a
    due date): one per person and key."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    message: Mapped[str] = mapped_column(String(500))
    link: Mapped[str] = mapped_column(String(300))  # a path inside the app, e.g. /cases/SM-2026-0001
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))

    case: Mapped[Case] = relationship()

    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        CheckConstraint("kind IN (" + ", ".join(f"'{k.value}'" for k in NotificationKind) + ")", name="known_kind"),
    )

    @property
    def notification_kind(self) -> NotificationKind:
        return NotificationKind(self.kind)


class OutboxMessage(Model):
    """An e-mail waiting for ``flask notifications send``. It is written in the transaction of the event it
    tells of and kept until delivered: a failed attempt counts ``attempts``, keeps ``last_error`` and waits
    until ``next_attempt_at``; delivery sets ``sent_at``."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_outbox_messages_sent_at_next_attempt_at", "sent_at", "next_attempt_at"),)

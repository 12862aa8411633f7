"""The running deadlines, stored: each clock not yet met of a case not closed, with its due date and the day it
starts to count as "due soon", so the dashboard, the work queue and the case list's deadline filter are indexed
counts instead of every open case's clocks worked out on each read (issue 19, item 2). The clocks themselves are
worked out in one place (``services.deadlines.clocks``); these rows are their stored form, written in the commit
that changes a case's dated events, and all again when the rules, the holidays or the steps change."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from project.database import UTCDateTime
from project.extensions import Model


class DeadlineDue(Model):
    """A clock not yet met: overdue once ``due_on`` has passed, due soon from ``warn_from`` (the rule's warning
    days before it). ``investigation``: the investigation's clock, listed before labor relations has the case.
    ``listed``: the lists count it now (labor relations' clocks once the case is approved, the investigation's
    before), stored with the clock: a change of the case's state stores its clocks again."""

    __tablename__ = "deadlines_due"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # a subject unlinked from the case takes its stored clocks with it (the case's are stored again at commit)
    subject_id: Mapped[int] = mapped_column(ForeignKey("case_subjects.id", ondelete="CASCADE"))
    rule_code: Mapped[str] = mapped_column(String(80))  # a deadline rule's code, or a grievance step's deadline
    investigation: Mapped[bool]
    listed: Mapped[bool] = mapped_column(default=False, server_default=false())
    due_on: Mapped[date] = mapped_column(Date, index=True)
    warn_from: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        UniqueConstraint("case_id", "subject_id", "rule_code"),
        Index("ix_deadlines_due_warn_from_due_on", "warn_from", "due_on"),
        # the dashboard's and the work queue's counts, read from this index alone
        Index("ix_deadlines_due_listed", "listed", "due_on", "warn_from", "case_id"),
    )


class StoredFigures(Model):
    """When a set of stored figures was last worked out in full, and from which settings (a SHA-256 of the
    rules, holidays and steps they depend on): a mismatch, or no row, means they are worked out again."""

    __tablename__ = "stored_figures"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime)

"""A case: the complaint as it came in, its reported posts, its subject employees and its state history."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.personnel.people import User
from project.models.personnel.roster import Employee


class CaseState(enum.StrEnum):
    INTAKE = "intake"
    OPEN = "open"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    DISCIPLINE = "discipline"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ComplaintSource(enum.StrEnum):
    STAFF_REPORT = "staff_report"
    PUBLIC_COMPLAINT = "public_complaint"
    ANONYMOUS_TIP = "anonymous_tip"
    MEDIA = "media"
    AUDIT = "audit"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Platform(enum.StrEnum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    X = "x"
    TIKTOK = "tiktok"
    REDDIT = "reddit"
    YOUTUBE = "youtube"
    LINKEDIN = "linkedin"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"x": "X", "tiktok": "TikTok", "youtube": "YouTube", "linkedin": "LinkedIn"}.get(
            self.value, self.value.capitalize()
        )


def _values(kind: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in kind)


class CaseNumberCounter(Model):
    """The last case number handed out in a year; incremented under a row lock."""

    __tablename__ = "case_number_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)


class Case(Model):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    year: Mapped[int]
    sequence: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(200))
    narrative: Mapped[str] = mapped_column(Text, default="")
    complaint_source: Mapped[str] = mapped_column(String(32))
    # its old value is read before a change: the dashboard's stored days count the case off the day it leaves
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, active_history=True)
    # Confidential: shown only to the assigned investigator and supervisors, masked in redacted packets.
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    reporter_contact: Mapped[str | None] = mapped_column(String(200))
    facility: Mapped[str | None] = mapped_column(String(120), index=True)
    assigned_investigator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Bumped by every change to what the case says; an approval names the content version it approved.
    content_version: Mapped[int] = mapped_column(default=1)
    # When the content version was reached: the packet's chain of custody is shown as of this moment,
    # so the same version prints the same packet.
    content_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optimistic lock: a save based on an older row version is refused.
    row_version: Mapped[int] = mapped_column(default=1)

    assigned_investigator: Mapped[User | None] = relationship(foreign_keys=[assigned_investigator_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    subjects: Mapped[list[CaseSubject]] = relationship(back_populates="case", order_by="CaseSubject.id")
    posts: Mapped[list[ReportedPost]] = relationship(back_populates="case", order_by="ReportedPost.id")
    transitions: Mapped[list[CaseTransition]] = relationship(back_populates="case", order_by="CaseTransition.id")

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        UniqueConstraint("year", "sequence"),
        CheckConstraint(f"state IN ({_values(CaseState)})", name="known_state"),
        CheckConstraint(f"complaint_source IN ({_values(ComplaintSource)})", name="known_source"),
    )

    @property
    def case_state(self) -> CaseState:
        return CaseState(self.state)


class CaseSubject(Model):
    """An employee the case is about. Each subject has their own allegations and outcome."""

    __tablename__ = "case_subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(back_populates="subjects")
    employee: Mapped[Employee] = relationship()

    __table_args__ = (UniqueConstraint("case_id", "employee_id"),)


class CaseTransition(Model):
    """One move of a case from a state to another: who, when and why."""

    __tablename__ = "case_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # For assignments: the investigator the case was given to (the history of who investigated it).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content_version: Mapped[int]

    case: Mapped[Case] = relationship(back_populates="transitions")
    actor: Mapped[User] = relationship(foreign_keys=[actor_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])


class ReportedPost(Model):
    """A social-media post as reported: where, by which account, what it said, and the facts that make
    AD 2.26 apply. Tri-state facts are None while unknown."""

    __tablename__ = "reported_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(String(2048))
    account_handle: Mapped[str | None] = mapped_column(String(200))
    # the URL and the handle as matched against earlier cases ("seen before"): see casework.seen_before
    url_key: Mapped[str | None] = mapped_column(String(2048))
    handle_key: Mapped[str | None] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(200))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text, default="")
    identified_as_doc: Mapped[bool | None]  # in uniform or identified as DOC (5.b.i)
    on_duty: Mapped[bool | None]  # on duty when posting (5.a)
    doc_insignia: Mapped[bool | None]  # DOC images or insignia used (5.c)
    attribution: Mapped[str] = mapped_column(Text, default="")  # profile, phone, admission, witness...
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    row_version: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship(back_populates="posts")

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (CheckConstraint(f"platform IN ({_values(Platform)})", name="known_platform"),)

    @property
    def platform_label(self) -> str:
        return Platform(self.platform).label


Index("ix_cases_state_created", Case.state, Case.created_at)
# open cases by age (the dashboard), counted from the index alone (migration 0043)
Index("ix_cases_state_received", Case.state, Case.received_at)
# "seen before" at intake: earlier posts by URL, and by handle on the same platform
Index("ix_reported_posts_url_key", ReportedPost.url_key)
Index("ix_reported_posts_platform_handle_key", ReportedPost.platform, ReportedPost.handle_key)
# windows of cases by date received (the list's date filters, the dashboard), with the facility the
# findings figure groups by, read from the index alone (on PostgreSQL, with the id it carries: migration 0041)
Index("ix_cases_received_facility", Case.received_at, Case.facility, postgresql_include=["id"])
# when each case last moved into a state (the close the retention run and the purge figure read), from the index
Index("ix_case_transitions_to_state_case", CaseTransition.to_state, CaseTransition.case_id, CaseTransition.occurred_at)

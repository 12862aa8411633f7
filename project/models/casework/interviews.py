"""The interviews of a case: who was interviewed (a subject, or a person of the case), when, where and by whom;
whether it was compelled (administrative, with the Garrity warning) or criminal (referred, the administrative
interview deferred); the union representative asked for or waived (Weingarten); the statement, typed and
recorded. And, for a subject never interviewed, why not (declined, unavailable, separated)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Column, Date, ForeignKey, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.casework.cases import CaseSubject
from project.models.casework.protected import ProtectedPerson
from project.models.documents.evidence import Exhibit
from project.models.personnel.people import User


class InterviewKind(enum.StrEnum):
    ADMINISTRATIVE = "administrative"  # compelled: the Garrity warning is given and acknowledged
    CRIMINAL = "criminal"  # referred for a criminal investigation; the administrative interview waits
    VOLUNTARY = "voluntary"  # a person not compelled to answer (an inmate, a member of the public)

    @property
    def label(self) -> str:
        return {
            "administrative": "Administrative (compelled; Garrity warning)",
            "criminal": "Criminal (referred; administrative interview deferred)",
            "voluntary": "Voluntary (not compelled: an inmate or a member of the public)",
        }[self.value]


class Representation(enum.StrEnum):
    """Weingarten: the employee asked for a union representative, or waived one (recorded)."""

    REQUESTED = "requested"
    WAIVED = "waived"


class NotInterviewedReason(enum.StrEnum):
    DECLINED = "declined"
    UNAVAILABLE = "unavailable"
    SEPARATED = "separated"

    @property
    def label(self) -> str:
        return {
            "declined": "Declined to be interviewed",
            "unavailable": "Unavailable",
            "separated": "Separated from employment",
        }[self.value]


def _values(kind: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in kind)


interview_interviewers = Table(
    "interview_interviewers",
    Model.metadata,
    Column("interview_id", ForeignKey("interviews.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)

interview_recordings = Table(
    "interview_recordings",
    Model.metadata,
    Column("interview_id", ForeignKey("interviews.id", ondelete="CASCADE"), primary_key=True),
    Column("exhibit_id", ForeignKey("exhibits.id"), primary_key=True),
)


class Interview(Model):
    """One interview, with who recorded it and when, and who changed it last (each change is audited)."""

    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # the person interviewed: a subject of the case, or one of the case's people (never both)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("case_subjects.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("protected_people.id"), index=True)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    # administrative: the Garrity warning form (its version is a department setting) and its signed copy
    garrity_given: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    garrity_acknowledged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    garrity_form_version: Mapped[str | None] = mapped_column(String(60))
    garrity_exhibit_id: Mapped[int | None] = mapped_column(ForeignKey("exhibits.id"))
    # criminal: to whom and when the matter was referred
    referred_to: Mapped[str | None] = mapped_column(String(200))
    referred_on: Mapped[date | None] = mapped_column(Date)
    # Weingarten
    representation: Mapped[str | None] = mapped_column(String(16))
    representative_name: Mapped[str | None] = mapped_column(String(200))
    representative_union: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    row_version: Mapped[int] = mapped_column(default=1)

    subject: Mapped[CaseSubject | None] = relationship()
    person: Mapped[ProtectedPerson | None] = relationship()
    garrity_exhibit: Mapped[Exhibit | None] = relationship()
    interviewers: Mapped[list[User]] = relationship(secondary=interview_interviewers, order_by="User.name")
    recordings: Mapped[list[Exhibit]] = relationship(secondary=interview_recordings, order_by="Exhibit.number")
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    changed_by: Mapped[User | None] = relationship(foreign_keys=[changed_by_id])

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(InterviewKind)})", name="known_kind"),
        CheckConstraint(f"representation IN ({_values(Representation)})", name="known_representation"),
        CheckConstraint("(subject_id IS NULL) <> (person_id IS NULL)", name="one_person"),
    )

    @property
    def kind_label(self) -> str:
        return InterviewKind(self.kind).label

    @property
    def interviewee_name(self) -> str:
        if self.subject is not None:
            return self.subject.employee.display_name
        return self.person.name if self.person is not None else ""

    @property
    def interviewee_part(self) -> str:
        if self.subject is not None:
            return "Subject"
        return self.person.role_label if self.person is not None else ""

    @property
    def completed_administrative(self) -> bool:
        """A compelled interview held with the Garrity warning given and acknowledged."""
        return self.kind == InterviewKind.ADMINISTRATIVE.value and self.garrity_given and self.garrity_acknowledged


class SubjectNotInterviewed(Model):
    """Why a subject was never interviewed, recorded by the investigator before the case is submitted."""

    __tablename__ = "subjects_not_interviewed"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("case_subjects.id"))
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    subject: Mapped[CaseSubject] = relationship()
    recorded_by: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("subject_id"),
        CheckConstraint(f"reason IN ({_values(NotInterviewedReason)})", name="known_reason"),
    )

    @property
    def reason_label(self) -> str:
        return NotInterviewedReason(self.reason).label

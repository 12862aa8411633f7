"""Labor relations' record of one subject's discipline: meeting, notice, imposition, copy. The grievance that
may follow has records of its own (``project.models.labor_relations.grievances``)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text, Time, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.casework.cases import CaseSubject
from project.models.labor_relations.discipline import DisciplineStep
from project.models.personnel.people import User


class LaborAction(Model):
    __tablename__ = "labor_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("case_subjects.id"), unique=True)
    decision_on: Mapped[date | None] = mapped_column(Date)  # the decision to discipline
    meeting_on: Mapped[date | None] = mapped_column(Date)  # pre-disciplinary meeting
    notice_issued_on: Mapped[date | None] = mapped_column(Date)
    imposed_step_id: Mapped[int | None] = mapped_column(ForeignKey("discipline_steps.id"))
    imposed_suspension_days: Mapped[int | None]
    effective_on: Mapped[date | None] = mapped_column(Date)
    employee_copy_on: Mapped[date | None] = mapped_column(Date)
    # the pre-disciplinary meeting: when, where, who, the union representative or the employee's waiver,
    # what the employee said and the documents given
    meeting_time: Mapped[time | None] = mapped_column(Time)
    meeting_place: Mapped[str] = mapped_column(String(200), default="", server_default="")
    meeting_attendees: Mapped[str] = mapped_column(Text, default="", server_default="")
    union_rep_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    union_rep_union: Mapped[str] = mapped_column(String(200), default="", server_default="")
    union_rep_waived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    employee_response: Mapped[str] = mapped_column(Text, default="", server_default="")
    documents_given: Mapped[str] = mapped_column(Text, default="", server_default="")
    # the decision: who made it (an appointing authority, RCSA 5-240-1a(a)) and why it departs from the
    # approved step, if it does
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    departure_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # RCSA 5-240-8a(b): a dismissal effective at the close of the pre-disciplinary meeting, with its reason
    immediate_dismissal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    immediate_dismissal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # the report to the Commissioner of Administrative Services (RCSA 5-240-4a(d), 5-240-5a(e))
    personnel_office_notified_on: Mapped[date | None] = mapped_column(Date)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    row_version: Mapped[int] = mapped_column(default=1)

    subject: Mapped[CaseSubject] = relationship()
    imposed_step: Mapped[DisciplineStep | None] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint("imposed_suspension_days IS NULL OR imposed_suspension_days > 0", name="positive_days"),
        CheckConstraint(
            "NOT immediate_dismissal OR immediate_dismissal_reason <> ''", name="immediate_dismissal_has_reason"
        ),
        # the steps imposed in a year (the dashboard's figure, the list's filter it links to), read from the
        # index alone: it was a scan of every labor action
        Index("ix_labor_actions_effective_step", "effective_on", "imposed_step_id", "subject_id"),
    )

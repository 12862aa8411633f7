"""Labor relations' record of one subject's discipline: meeting, notice, imposition, copy, grievance."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.cases import CaseSubject
from project.models.discipline import DisciplineStep


class GrievanceStatus(enum.StrEnum):
    NONE = "none"
    FILED = "filed"
    STEP_HEARING = "step_hearing"
    ARBITRATION = "arbitration"
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


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
    grievance_status: Mapped[str] = mapped_column(String(16), default=GrievanceStatus.NONE.value)
    grievance_notes: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    row_version: Mapped[int] = mapped_column(default=1)

    subject: Mapped[CaseSubject] = relationship()
    imposed_step: Mapped[DisciplineStep | None] = relationship()

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint(
            "grievance_status IN (" + ", ".join(f"'{g.value}'" for g in GrievanceStatus) + ")",
            name="known_grievance_status",
        ),
        CheckConstraint("imposed_suspension_days IS NULL OR imposed_suspension_days > 0", name="positive_days"),
    )

"""The department's configuration for applying AD 2.6 "Employee Discipline": the ladder of ordered steps, how
long each stays active (look-backs, with overrides by bargaining unit), the discipline matrix, rules about
titles, and the suspension cap. None of it is AD 2.6's text: every row carries its source (``Sourced``), a
citation or "department setting" with who set it and when."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.policy.sources import Sourced


class DisciplineLadder(Sourced, Model):
    __tablename__ = "discipline_ladders"

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_number: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    effective_date: Mapped[date] = mapped_column(Date, unique=True)
    suspension_cap_days: Mapped[int]
    # The ladder's own source (Sourced) is the department's; the cap's is the law's, shown beside it.
    suspension_cap_authority: Mapped[str] = mapped_column(String(200), default="", server_default="")

    steps: Mapped[list[DisciplineStep]] = relationship(back_populates="ladder", order_by="DisciplineStep.rank")

    __table_args__ = (CheckConstraint("suspension_cap_days > 0", name="positive_cap"),)


class DisciplineStep(Sourced, Model):
    __tablename__ = "discipline_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    ladder_id: Mapped[int] = mapped_column(ForeignKey("discipline_ladders.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    rank: Mapped[int]
    is_discipline: Mapped[bool]
    takes_days: Mapped[bool] = mapped_column(default=False)
    active_months: Mapped[int | None]
    description: Mapped[str] = mapped_column(Text, default="")

    ladder: Mapped[DisciplineLadder] = relationship(back_populates="steps")

    __table_args__ = (
        UniqueConstraint("ladder_id", "code"),
        UniqueConstraint("ladder_id", "rank"),
        CheckConstraint("active_months IS NULL OR active_months > 0", name="positive_active_months"),
    )


class DisciplineRecord(Model):
    """Discipline an employee has received: imported from before the system, or imposed on a case here."""

    __tablename__ = "discipline_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("discipline_steps.id"))
    imposed_on: Mapped[date] = mapped_column(Date)
    suspension_days: Mapped[int | None]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))  # import | case
    note: Mapped[str] = mapped_column(Text, default="")
    offence_class: Mapped[str | None] = mapped_column(String(64))  # None: unknown
    # As modified by an award, a settlement or a grievance decision; the columns above stay as imposed.
    modified_step_id: Mapped[int | None] = mapped_column(ForeignKey("discipline_steps.id"))
    modified_suspension_days: Mapped[int | None]
    rescinded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    modified_on: Mapped[date | None] = mapped_column(Date)
    modification_source: Mapped[str | None] = mapped_column(String(16))  # award | settlement | grievance
    modification_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    modified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Expunged by a retention rule (issue 18): in the sealed history from that day on, counted by nothing
    expunged_on: Mapped[date | None] = mapped_column(Date, index=True)
    expunged_rule: Mapped[str | None] = mapped_column(String(64))

    step: Mapped[DisciplineStep] = relationship(foreign_keys=[step_id])
    modified_step: Mapped[DisciplineStep | None] = relationship(foreign_keys=[modified_step_id])

    __table_args__ = (
        CheckConstraint("source IN ('import', 'case')", name="known_source"),
        CheckConstraint("suspension_days IS NULL OR suspension_days > 0", name="positive_days"),
        CheckConstraint(
            "modified_suspension_days IS NULL OR modified_suspension_days > 0", name="positive_modified_days"
        ),
        CheckConstraint(
            "modification_source IS NULL OR modification_source IN ('award', 'settlement', 'grievance')",
            name="known_modification_source",
        ),
        CheckConstraint("(modified_on IS NULL) = (modification_source IS NULL)", name="modification_complete"),
        CheckConstraint("(expunged_on IS NULL) = (expunged_rule IS NULL)", name="expunction_complete"),
        UniqueConstraint("employee_id", "step_id", "imposed_on", "case_id"),
    )

    @property
    def is_modified(self) -> bool:
        return self.modified_on is not None

    @property
    def effective_step(self) -> DisciplineStep:
        """The step as modified (an award or settlement that changed it), else as imposed."""
        return self.modified_step if self.modified_step is not None else self.step

    @property
    def effective_suspension_days(self) -> int | None:
        if self.modified_step is not None:
            return self.modified_suspension_days
        return self.suspension_days


class DisciplineProposal(Model):
    """The step proposed for one subject: the system's suggestion, what was proposed, and why it departs."""

    __tablename__ = "discipline_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("case_subjects.id"), unique=True)
    suggested_step_id: Mapped[int | None] = mapped_column(ForeignKey("discipline_steps.id"))
    suggestion_reason: Mapped[str] = mapped_column(Text, default="")
    proposed_step_id: Mapped[int] = mapped_column(ForeignKey("discipline_steps.id"))
    suspension_days: Mapped[int | None]
    departure_justification: Mapped[str] = mapped_column(Text, default="")
    # why the step stands well above or below the comparable past cases (issue 17), when it does
    comparables_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    row_version: Mapped[int] = mapped_column(default=1)

    suggested_step: Mapped[DisciplineStep | None] = relationship(foreign_keys=[suggested_step_id])
    proposed_step: Mapped[DisciplineStep] = relationship(foreign_keys=[proposed_step_id])

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (CheckConstraint("suspension_days IS NULL OR suspension_days > 0", name="positive_days"),)


class DisciplineMatrixEntry(Sourced, Model):
    """The range of steps usually imposed for a clause, by offence (1st, 2nd, 3rd and later)."""

    __tablename__ = "discipline_matrix"

    id: Mapped[int] = mapped_column(primary_key=True)
    ladder_id: Mapped[int] = mapped_column(ForeignKey("discipline_ladders.id"))
    clause_number: Mapped[str] = mapped_column(String(32))  # an AD 2.26 clause, e.g. "5.b.i.4"
    offence_class: Mapped[str] = mapped_column(String(64), default="", server_default="")
    escalates_on: Mapped[str] = mapped_column(String(16), default="any", server_default="any")  # any | related
    offence: Mapped[int]  # 1, 2, or 3 meaning "third and later"
    min_step_id: Mapped[int] = mapped_column(ForeignKey("discipline_steps.id"))
    max_step_id: Mapped[int] = mapped_column(ForeignKey("discipline_steps.id"))

    min_step: Mapped[DisciplineStep] = relationship(foreign_keys=[min_step_id])
    max_step: Mapped[DisciplineStep] = relationship(foreign_keys=[max_step_id])

    __table_args__ = (
        UniqueConstraint("ladder_id", "clause_number", "offence"),
        CheckConstraint("offence IN (1, 2, 3)", name="known_offence"),
        CheckConstraint("escalates_on IN ('any', 'related')", name="known_escalates_on"),
    )


class LookbackOverride(Sourced, Model):
    """A look-back that differs for one bargaining unit (``none``: employees outside any unit), e.g. a written
    reprimand of an employee outside any unit is expunged after twelve months (C.G.S. 5-240(a))."""

    __tablename__ = "discipline_lookbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    ladder_id: Mapped[int] = mapped_column(ForeignKey("discipline_ladders.id"))
    step_code: Mapped[str] = mapped_column(String(32))
    bargaining_unit: Mapped[str] = mapped_column(String(120))  # as on the roster, or "none"
    months: Mapped[int]

    __table_args__ = (
        UniqueConstraint("ladder_id", "step_code", "bargaining_unit"),
        CheckConstraint("months > 0", name="positive_months"),
    )


class TitleRule(Sourced, Model):
    """A step the ladder never suggests for a title, e.g. no demotion for the lowest title in its series."""

    __tablename__ = "discipline_title_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    ladder_id: Mapped[int] = mapped_column(ForeignKey("discipline_ladders.id"))
    rule: Mapped[str] = mapped_column(String(32))  # e.g. no_demotion
    title: Mapped[str] = mapped_column(String(120))
    step_code: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("ladder_id", "rule", "title"),)

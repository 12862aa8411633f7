"""After the notice: a subject's grievance, its steps, the arbitration and any settlement or last-chance
agreement. What an award or a settlement does to the discipline itself is kept on the ``DisciplineRecord``
beside the discipline as imposed (``project.services.discipline.record_changes``)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.casework.cases import CaseSubject
from project.models.documents.evidence import Exhibit
from project.models.policy.sources import Sourced


def _values(kind: type[enum.Enum]) -> str:
    return ", ".join(f"'{member.value}'" for member in kind)


class GrievanceState(enum.StrEnum):
    OPEN = "open"  # at one of the unit's steps
    ARBITRATION = "arbitration"  # demanded, heard or awaiting the award
    RESOLVED = "resolved"  # decided at a step and not appealed, or by the award
    SETTLED = "settled"  # a settlement or last-chance agreement ended it
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"arbitration": "At arbitration"}.get(self.value, self.value.capitalize())


OPEN_GRIEVANCE_STATES = (GrievanceState.OPEN.value, GrievanceState.ARBITRATION.value)


class StepDecision(enum.StrEnum):
    DENIED = "denied"
    GRANTED = "granted"
    MODIFIED = "modified"


class Award(enum.StrEnum):
    UPHELD = "upheld"
    MODIFIED = "modified"
    OVERTURNED = "overturned"


class AgreementKind(enum.StrEnum):
    SETTLEMENT = "settlement"
    LAST_CHANCE = "last_chance"

    @property
    def label(self) -> str:
        return "Last-chance agreement" if self is AgreementKind.LAST_CHANCE else "Settlement"


class Grievance(Model):
    """One subject's grievance of the discipline on one case. ``before_tracking`` marks a grievance moved from
    the free-text status and notes kept before grievances had records of their own (no dates were kept then)."""

    __tablename__ = "grievances"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("case_subjects.id"), unique=True)
    number: Mapped[str] = mapped_column(String(64), default="", server_default="")  # the union's number
    filed_on: Mapped[date | None] = mapped_column(Date)
    representative: Mapped[str] = mapped_column(String(200), default="", server_default="")
    representative_union: Mapped[str] = mapped_column(String(200), default="", server_default="")
    state: Mapped[str] = mapped_column(String(16), default=GrievanceState.OPEN.value)
    closed_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    before_tracking: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    row_version: Mapped[int] = mapped_column(default=1)

    subject: Mapped[CaseSubject] = relationship()
    steps: Mapped[list[GrievanceStep]] = relationship(
        back_populates="grievance", order_by="GrievanceStep.number", cascade="all, delete-orphan"
    )
    arbitration: Mapped[Arbitration | None] = relationship(back_populates="grievance", cascade="all, delete-orphan")
    agreements: Mapped[list[Agreement]] = relationship(
        back_populates="grievance", order_by="Agreement.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (CheckConstraint(f"state IN ({_values(GrievanceState)})", name="known_grievance_state"),)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_GRIEVANCE_STATES

    @property
    def current_step(self) -> GrievanceStep | None:
        return self.steps[-1] if self.steps else None


class GrievanceStep(Sourced, Model):
    """One step of a grievance as it went, with the deadlines the unit's procedure set for it when it was
    filed or heard, and their source (copied from ``seed_data/bargaining_units.toml`` at the time)."""

    __tablename__ = "grievance_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(ForeignKey("grievances.id"), index=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    filed_on: Mapped[date] = mapped_column(Date)  # filed (step 1) or appealed to (a later step)
    file_due_on: Mapped[date | None] = mapped_column(Date)
    hearing_due_on: Mapped[date] = mapped_column(Date)
    hearing_on: Mapped[date | None] = mapped_column(Date)
    decision_due_on: Mapped[date | None] = mapped_column(Date)
    decision_on: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(String(16))
    decision_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    appeal_due_on: Mapped[date | None] = mapped_column(Date)  # the next step, or the demand for arbitration
    warn_days: Mapped[int] = mapped_column(default=5, server_default="5")

    grievance: Mapped[Grievance] = relationship(back_populates="steps")

    __table_args__ = (
        UniqueConstraint("grievance_id", "number"),
        CheckConstraint(f"decision IS NULL OR decision IN ({_values(StepDecision)})", name="known_step_decision"),
        CheckConstraint("(decision IS NULL) = (decision_on IS NULL)", name="decision_dated"),
        CheckConstraint("number >= 1", name="positive_step_number"),
    )


class Arbitration(Model):
    """The arbitration of a grievance: the arbitrator, the hearing, and the award with its back pay and the
    award document (an exhibit of the case)."""

    __tablename__ = "arbitrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(ForeignKey("grievances.id"), unique=True)
    demanded_on: Mapped[date] = mapped_column(Date)
    demand_due_on: Mapped[date | None] = mapped_column(Date)
    arbitrator: Mapped[str] = mapped_column(String(200), default="", server_default="")
    hearing_on: Mapped[date | None] = mapped_column(Date)
    last_hearing_on: Mapped[date | None] = mapped_column(Date)
    award: Mapped[str | None] = mapped_column(String(16))
    award_on: Mapped[date | None] = mapped_column(Date)
    back_pay_cents: Mapped[int | None]
    award_summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    award_exhibit_id: Mapped[int | None] = mapped_column(ForeignKey("exhibits.id"))

    grievance: Mapped[Grievance] = relationship(back_populates="arbitration")
    award_exhibit: Mapped[Exhibit | None] = relationship()

    __table_args__ = (
        CheckConstraint(f"award IS NULL OR award IN ({_values(Award)})", name="known_award"),
        CheckConstraint("(award IS NULL) = (award_on IS NULL)", name="award_dated"),
        CheckConstraint("back_pay_cents IS NULL OR back_pay_cents >= 0", name="non_negative_back_pay"),
    )


class Agreement(Model):
    """A settlement or a last-chance agreement that ends a grievance: its terms, when it was signed and when
    it expires (a last-chance agreement's conditions run until then)."""

    __tablename__ = "grievance_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(ForeignKey("grievances.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    signed_on: Mapped[date] = mapped_column(Date)
    terms: Mapped[str] = mapped_column(Text)
    expires_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    grievance: Mapped[Grievance] = relationship(back_populates="agreements")

    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(AgreementKind)})", name="known_agreement_kind"),
        CheckConstraint("expires_on IS NULL OR expires_on >= signed_on", name="expires_after_signing"),
    )

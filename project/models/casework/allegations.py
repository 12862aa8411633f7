"""Allegations: one subject, one cited provision, the supporting exhibits, the reasoning and the finding."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.casework.cases import CaseSubject, ReportedPost
from project.models.documents.evidence import Exhibit
from project.models.personnel.people import User
from project.models.policy.catalogue import Clause, ClauseElement, Directive
from project.models.policy.reference import FindingCategory

allegation_exhibits = Table(
    "allegation_exhibits",
    Model.metadata,
    Column("allegation_id", ForeignKey("allegations.id", ondelete="CASCADE"), primary_key=True),
    Column("exhibit_id", ForeignKey("exhibits.id"), primary_key=True),
)


class Allegation(Model):
    __tablename__ = "allegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))  # indexed with clause and finding, below
    subject_id: Mapped[int] = mapped_column(ForeignKey("case_subjects.id"), index=True)
    # Either a clause of a directive version (AD 2.26), or a related directive cited as a whole.
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id"), index=True)
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directives.id"))
    # the reported post charged; its date chooses the directive version in force (required when the case has posts)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("reported_posts.id"), index=True)
    reasoning: Mapped[str] = mapped_column(Text, default="")
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding_categories.id"), index=True)
    finding_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finding_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    row_version: Mapped[int] = mapped_column(default=1)

    subject: Mapped[CaseSubject] = relationship()
    clause: Mapped[Clause | None] = relationship()
    directive: Mapped[Directive | None] = relationship()
    post: Mapped[ReportedPost | None] = relationship()
    element_findings: Mapped[list[AllegationElementFinding]] = relationship(
        back_populates="allegation", cascade="all, delete-orphan"
    )
    finding: Mapped[FindingCategory | None] = relationship()
    exhibits: Mapped[list[Exhibit]] = relationship(secondary=allegation_exhibits, order_by="Exhibit.number")
    speech_screen: Mapped[SpeechScreen | None] = relationship(back_populates="allegation", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint("(clause_id IS NULL) <> (directive_id IS NULL)", name="one_provision"),
        # a case's allegations, and what the dashboard counts of them, read from the index alone
        Index("ix_allegations_case_provision", "case_id", "clause_id", "finding_id"),
        # comparable cases: the subjects charged under a clause with a finding, read from the index alone
        Index("ix_allegations_clause_finding_subject", "clause_id", "finding_id", "subject_id"),
    )

    @property
    def citation(self) -> str:
        if self.clause is not None:
            return f"AD {self.clause.version.directive.number} section {self.clause.number}"
        assert self.directive is not None
        return f"AD {self.directive.number} {self.directive.title}"


class AllegationElementFinding(Model):
    """How a finding answers one element of the cited clause: met or not, and why."""

    __tablename__ = "allegation_element_findings"

    allegation_id: Mapped[int] = mapped_column(ForeignKey("allegations.id", ondelete="CASCADE"), primary_key=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("clause_elements.id"), primary_key=True)
    met: Mapped[bool]
    note: Mapped[str] = mapped_column(Text, default="")

    allegation: Mapped[Allegation] = relationship(back_populates="element_findings")
    element: Mapped[ClauseElement] = relationship()


# How the investigator came to see the post (C.G.S. 31-40x limits demanding access to personal accounts).
OBTAINED_HOW = ("public_view", "coworker_share", "complainant", "other")
DISRUPTION_FACTORS = ("operations", "relationships", "discipline", "public_trust")


class SpeechScreen(Model):
    """The protected-speech screen of an allegation under AD 2.26 section 5.b (off duty and personal use),
    recorded before its finding: the threshold questions (Pickering), the disruption weighed against them, and
    how the content was obtained. Each answer is yes or no with a short reason."""

    __tablename__ = "speech_screens"

    id: Mapped[int] = mapped_column(primary_key=True)
    allegation_id: Mapped[int] = mapped_column(ForeignKey("allegations.id", ondelete="CASCADE"), unique=True)
    public_concern: Mapped[bool]
    public_concern_reason: Mapped[str] = mapped_column(Text)
    private_citizen: Mapped[bool]
    private_citizen_reason: Mapped[str] = mapped_column(Text)
    union_activity: Mapped[bool]
    union_activity_reason: Mapped[str] = mapped_column(Text)
    disrupts_operations: Mapped[bool]
    disrupts_operations_reason: Mapped[str] = mapped_column(Text)
    disrupts_relationships: Mapped[bool]
    disrupts_relationships_reason: Mapped[str] = mapped_column(Text)
    disrupts_discipline: Mapped[bool]
    disrupts_discipline_reason: Mapped[str] = mapped_column(Text)
    disrupts_public_trust: Mapped[bool]
    disrupts_public_trust_reason: Mapped[str] = mapped_column(Text)
    obtained_how: Mapped[str] = mapped_column(String(20))
    obtained_detail: Mapped[str] = mapped_column(Text, default="")
    # the investigator attests that no one demanded the employee's credentials to a personal account
    no_credentials_demanded: Mapped[bool]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    row_version: Mapped[int] = mapped_column(default=1)

    allegation: Mapped[Allegation] = relationship(back_populates="speech_screen")
    recorded_by: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint(
            "obtained_how IN (" + ", ".join(f"'{how}'" for how in OBTAINED_HOW) + ")", name="known_obtained_how"
        ),
        CheckConstraint("no_credentials_demanded", name="attested"),
    )

    @property
    def disrupts(self) -> bool:
        """Whether any balancing factor weighs against the speech."""
        return any(getattr(self, f"disrupts_{factor}") for factor in DISRUPTION_FACTORS)

    @property
    def needs_override(self) -> bool:
        """A matter of public concern and no disruption: a sustained finding needs the supervisor's override."""
        return self.public_concern and not self.disrupts

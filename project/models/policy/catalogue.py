"""The directive catalogue: directives, their dated versions and the addressable clauses of each version.

A revision of a directive is a new version with its own clauses, so a case keeps citing the
clause text that was in force when the post was made.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.extensions import Model


class Directive(Model):
    __tablename__ = "directives"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    title: Mapped[str] = mapped_column(String(200))

    versions: Mapped[list[DirectiveVersion]] = relationship(
        back_populates="directive", order_by="DirectiveVersion.effective_date"
    )

    @property
    def label(self) -> str:
        return f"AD {self.number} {self.title}"

    @property
    def sort_key(self) -> tuple[tuple[int, str], ...]:
        """Natural order of the number: AD 1.5 before AD 1.10, as people read them."""
        return tuple((int(part), "") if part.isdigit() else (0, part) for part in self.number.split("."))


class DirectiveVersion(Model):
    __tablename__ = "directive_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id"))
    effective_date: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")

    directive: Mapped[Directive] = relationship(back_populates="versions")
    clauses: Mapped[list[Clause]] = relationship(back_populates="version", order_by="Clause.position")
    references: Mapped[list[DirectiveReference]] = relationship(back_populates="version")

    __table_args__ = (UniqueConstraint("directive_id", "effective_date"),)


# What a clause is (``kind`` in the seed file, documented at the top of seed_data/directives/ad_2_26.toml).
# Only a prohibition can be charged; ``unclassified`` is a clause no seed file has classified yet.
CLAUSE_KINDS = (
    "prohibition",
    "responsibility",
    "definition",
    "reminder",
    "guidance",
    "policy",
    "authority",
    "procedure",
    "lead_in",
    "heading",
    "unclassified",
)
# The facts of a reported post an element can depend on (columns of ReportedPost).
POST_FACTS = ("identified_as_doc", "on_duty", "doc_insignia")


def _values(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Clause(Model):
    """One addressable provision, e.g. ``5.b.i.4``, with its exact text, what kind of provision it is (only a
    prohibition can be charged), and whether its number was inferred from the OCR copy."""

    __tablename__ = "clauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("directive_versions.id"))
    number: Mapped[str] = mapped_column(String(32))
    heading: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16), default="unclassified", server_default="unclassified")
    kind_reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # why it is (not) chargeable
    cite_instead: Mapped[str] = mapped_column(Text, default="", server_default="")  # what to charge instead
    charge_text: Mapped[str | None] = mapped_column(Text)  # the sentence a charge quotes, when not the whole text
    number_inferred: Mapped[bool] = mapped_column(default=False, server_default=false())
    inferred_note: Mapped[str] = mapped_column(Text, default="", server_default="")  # what the OCR copy lost

    version: Mapped[DirectiveVersion] = relationship(back_populates="clauses")
    elements: Mapped[list[ClauseElement]] = relationship(
        back_populates="clause", order_by="ClauseElement.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("version_id", "number"),
        UniqueConstraint("version_id", "position"),
        CheckConstraint(f"kind IN ({_values(CLAUSE_KINDS)})", name="known_kind"),
    )

    @property
    def chargeable(self) -> bool:
        return self.kind == "prohibition"

    @property
    def charged_text(self) -> str:
        """What a charge under this clause quotes: its prohibition sentence when it has one, else its text."""
        return self.charge_text or self.text

    @property
    def depth(self) -> int:
        return self.number.count(".")

    @property
    def parent_number(self) -> str | None:
        return self.number.rpartition(".")[0] or None


class ClauseElement(Model):
    """One thing a finding under a chargeable clause must address, e.g. "identified as DOC personnel (5.b.i)";
    ``post_fact`` names the reported post's fact it depends on, if any."""

    __tablename__ = "clause_elements"

    id: Mapped[int] = mapped_column(primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), index=True)
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    post_fact: Mapped[str | None] = mapped_column(String(24))

    clause: Mapped[Clause] = relationship(back_populates="elements")

    __table_args__ = (
        UniqueConstraint("clause_id", "code"),
        CheckConstraint(f"post_fact IS NULL OR post_fact IN ({_values(POST_FACTS)})", name="known_post_fact"),
    )


class DirectiveReference(Model):
    """A directive that a version cites as authority (AD 2.26 section 2); such directives are citable too."""

    __tablename__ = "directive_references"

    version_id: Mapped[int] = mapped_column(ForeignKey("directive_versions.id"), primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id"), primary_key=True)

    version: Mapped[DirectiveVersion] = relationship(back_populates="references")
    directive: Mapped[Directive] = relationship()

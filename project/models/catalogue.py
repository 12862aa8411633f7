"""The directive catalogue: directives, their dated versions and the addressable clauses of each version.

A revision of a directive is a new version with its own clauses, so a case keeps citing the
clause text that was in force when the post was made.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
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


class Clause(Model):
    """One addressable provision, e.g. ``5.b.i.4``, with its exact text."""

    __tablename__ = "clauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("directive_versions.id"))
    number: Mapped[str] = mapped_column(String(32))
    heading: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int]

    version: Mapped[DirectiveVersion] = relationship(back_populates="clauses")

    __table_args__ = (UniqueConstraint("version_id", "number"), UniqueConstraint("version_id", "position"))

    @property
    def depth(self) -> int:
        return self.number.count(".")

    @property
    def parent_number(self) -> str | None:
        return self.number.rpartition(".")[0] or None


class DirectiveReference(Model):
    """A directive that a version cites as authority (AD 2.26 section 2); such directives are citable too."""

    __tablename__ = "directive_references"

    version_id: Mapped[int] = mapped_column(ForeignKey("directive_versions.id"), primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id"), primary_key=True)

    version: Mapped[DirectiveVersion] = relationship(back_populates="references")
    directive: Mapped[Directive] = relationship()

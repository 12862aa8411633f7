"""The text that full-text search reads: one row per searchable piece of a case (its number, title and
narrative; each reported post; each note; each allegation's reasoning), kept in step as those are written
(``project.services.search.index``). The engines index this table: SQLite through an FTS5 table over it,
PostgreSQL through a GIN index on a stored ``body_tsv`` column generated from ``body`` (migrations 0007
and 0008; the column is the database's, so the model does not map it)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from project.extensions import Model


class SearchDocument(Model):
    __tablename__ = "search_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # case | post | note | allegation | exhibit | transcript | subject
    ref_id: Mapped[int]
    body: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("kind", "ref_id"),)  # one document per record


# Names the migrations create beside this table that the models do not describe (the FTS5 table, the
# shadow tables SQLite keeps for it, PostgreSQL's generated tsvector column and its GIN index); schema
# comparisons leave them out.
ENGINE_SEARCH_OBJECTS = ("search_fts", "body_tsv", "ix_search_documents_body_tsv")


def described_by_models(name: str | None) -> bool:
    return not (name or "").startswith(ENGINE_SEARCH_OBJECTS)

"""Full-text search over case numbers, titles and narratives, reported posts, notes and allegations'
reasoning: one service, two engines (SQLite FTS5 with BM25; PostgreSQL tsvector with ts_rank_cd),
the same results and the same highlighted snippets. Only cases the person may see are searched.

The person's words become a query of whole words that must all appear (the last one may be the start of
a word), whatever punctuation they typed: no operator or quote of theirs reaches the engine's syntax.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from typing import cast as typed

from markupsafe import Markup, escape
from sqlalchemy import Double, Table, bindparam, cast, column, func, literal_column, select, table, text, true

from project.extensions import db
from project.models import Case, SearchDocument, User
from project.services.visibility import visible_to

MAX_WORDS = 8
START, STOP = "\x02", "\x03"  # marks around matched words in snippets, replaced after escaping
WORD = re.compile(r"\w+", re.UNICODE)
DOCUMENTS = typed(Table, SearchDocument.__table__)
FTS5 = table("search_fts", column("rowid"))  # SQLite's index over DOCUMENTS (migration 0007)


@dataclass(frozen=True)
class Hit:
    case_id: int
    number: str
    title: str
    state: str
    kind: str  # what matched: case | post | note | allegation
    snippet: Markup
    rank: float


def words_of(query: str) -> list[str]:
    return WORD.findall(query.lower())[:MAX_WORDS]


def _fts5_query(words: list[str]) -> str:
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _tsquery(words: list[str]) -> str:
    return " & ".join(words[:-1] + [f"{words[-1]}:*"])


def _highlight(raw: str) -> Markup:
    """Escape the engine's snippet, then turn its marks into <mark> elements."""
    safe = str(escape(raw.replace("\n", " ")))
    return Markup(safe.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S704 - escaped just above


def matching_documents(words: list[str], as_cte: bool = False) -> Any:
    """(document id, case id, kind, rank, snippet) of the documents matching the words, as a subquery or a CTE.
    A lower rank is a better match on both engines (BM25 is negative; ts_rank_cd is negated)."""
    query = _fts5_matches(words) if db.engine.dialect.name == "sqlite" else _tsvector_matches(words)
    return query.cte("matches") if as_cte else query.subquery()


def _fts5_matches(words: list[str]) -> Any:
    return (
        select(
            DOCUMENTS.c.id.label("document_id"), DOCUMENTS.c.case_id, DOCUMENTS.c.kind,
            literal_column("bm25(search_fts)").label("rank"),
            literal_column(f"snippet(search_fts, 0, '{START}', '{STOP}', '…', 16)").label("snippet"),
        )
        .select_from(FTS5.join(DOCUMENTS, DOCUMENTS.c.id == FTS5.c.rowid))
        .where(text("search_fts MATCH :fts_query").bindparams(fts_query=_fts5_query(words)))
        .offset(0)  # keeps SQLite from flattening this into an aggregate, where bm25() cannot run
    )


def _tsvector_matches(words: list[str]) -> Any:
    vector = func.to_tsvector(literal_column("'english'"), SearchDocument.body)  # the GIN index's expression
    tsquery = func.to_tsquery(literal_column("'english'"), bindparam("ts_query", _tsquery(words)))
    options = f"StartSel={START}, StopSel={STOP}, MaxWords=24, MinWords=10, MaxFragments=1, FragmentDelimiter=…"
    return (
        select(
            SearchDocument.id.label("document_id"), SearchDocument.case_id, SearchDocument.kind,
            # double precision: a real would come back rounded, and paging compares ranks for equality
            cast(-func.ts_rank_cd(vector, tsquery), Double).label("rank"),
            func.ts_headline(literal_column("'english'"), SearchDocument.body, tsquery, options).label("snippet"),
        )
        .where(vector.op("@@")(tsquery))
    )


def search(user: User, query: str, limit: int = 25, only: list[int] | None = None) -> list[Hit]:
    """The best-matching document of each visible case (of ``only`` those, if given), best cases first."""
    words = words_of(query)
    if not words:
        return []
    docs = matching_documents(words, as_cte=True)
    best = (
        select(docs.c.case_id, func.min(docs.c.rank).label("rank")).group_by(docs.c.case_id).subquery()
    )
    rows = db.session.execute(
        select(Case.id, Case.number, Case.title, Case.state, docs.c.kind, docs.c.snippet, docs.c.rank)
        .join(best, best.c.case_id == Case.id)
        .join(docs, (docs.c.case_id == Case.id) & (docs.c.rank == best.c.rank))
        .where(visible_to(user), Case.id.in_(only) if only is not None else true())
        .order_by(best.c.rank, Case.id.desc())
        .limit(limit * 2)
    ).all()
    hits: dict[int, Hit] = {}
    for row in rows:
        if row.id not in hits:  # ties on rank within a case: keep the first
            hits[row.id] = Hit(row.id, row.number, row.title, row.state, row.kind, _highlight(row.snippet or ""),
                               float(row.rank))
    return list(hits.values())[:limit]


def matching_case_ids(query: str) -> Any:
    """The ids of cases with any document matching the words, as a subquery for the case list's filter."""
    words = words_of(query)
    docs = matching_documents(words)
    return select(docs.c.case_id)


def case_ranks(query: str) -> Any:
    """(case id, best rank) of each case with a matching document, as a subquery to order a list by."""
    docs = matching_documents(words_of(query))
    return select(docs.c.case_id, func.min(docs.c.rank).label("rank")).group_by(docs.c.case_id).subquery()


def snippets(user: User, query: str, case_ids: list[int]) -> dict[int, Hit]:
    """The best match of each of these cases (a page of the case list), to show under its title."""
    if not case_ids or not words_of(query):
        return {}
    return {hit.case_id: hit for hit in search(user, query, limit=len(case_ids), only=case_ids)}

"""Full-text search over case numbers, titles and narratives, reported posts, notes, allegations'
reasoning, exhibits' text, and subjects' names and employee numbers: one service, two engines (SQLite FTS5
with BM25; PostgreSQL tsvector with ts_rank_cd), the same results, and passages highlighted the same way
(``highlight``) for just the cases a page shows. Only cases the person may see are searched.

The person's words become a query of whole words that must all appear (the last one may be the start of
a word), whatever punctuation they typed: no operator or quote of theirs reaches the engine's syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from typing import cast as typed

from markupsafe import Markup
from sqlalchemy import Double, Table, bindparam, cast, column, func, literal_column, select, table, text

from project.extensions import db
from project.models import Case, SearchDocument, User
from project.services.search.highlight import Marker
from project.services.visibility import visible_to

MAX_WORDS = 8
WORD = re.compile(r"\w+", re.UNICODE)
DOCUMENTS = typed(Table, SearchDocument.__table__)
FTS5 = table("search_fts", column("rowid"))  # SQLite's index over DOCUMENTS (migration 0007)
TSVECTOR: Any = literal_column("search_documents.body_tsv")  # PostgreSQL's stored, GIN-indexed tsvector (0008)


@dataclass(frozen=True)
class Hit:
    case_id: int
    number: str
    title: str
    state: str
    kind: str  # what matched: case | post | note | allegation | exhibit (its OCR text, masked) | subject
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


def _marker(words: list[str]) -> Marker:
    return Marker(words, "porter" if db.engine.dialect.name == "sqlite" else "english")


def matching_documents(words: list[str], as_cte: bool = False) -> Any:
    """(document id, case id, kind, rank) of the documents matching the words, as a subquery or a CTE.
    A lower rank is a better match on both engines (BM25 is negative; ts_rank_cd is negated). No snippet is
    made here: the engine would make one for every match, and only a page's worth are shown."""
    query = _fts5_matches(words) if db.engine.dialect.name == "sqlite" else _tsvector_matches(words)
    return query.cte("matches") if as_cte else query.subquery()


def _fts5_matches(words: list[str]) -> Any:
    return (
        select(
            DOCUMENTS.c.id.label("document_id"),
            DOCUMENTS.c.case_id,
            DOCUMENTS.c.kind,
            literal_column("bm25(search_fts)").label("rank"),
        )
        .select_from(FTS5.join(DOCUMENTS, DOCUMENTS.c.id == FTS5.c.rowid))
        .where(text("search_fts MATCH :fts_query").bindparams(fts_query=_fts5_query(words)))
        .offset(0)  # keeps SQLite from flattening this into an aggregate, where bm25() cannot run
    )


def _tsvector_matches(words: list[str]) -> Any:
    tsquery = func.to_tsquery(literal_column("'english'"), bindparam("ts_query", _tsquery(words)))
    return select(
        SearchDocument.id.label("document_id"),
        SearchDocument.case_id,
        SearchDocument.kind,
        # double precision: a real would come back rounded, and paging compares ranks for equality
        cast(-func.ts_rank_cd(TSVECTOR, tsquery), Double).label("rank"),
    ).where(TSVECTOR.op("@@")(tsquery))


def search(user: User, query: str, limit: int = 25) -> list[Hit]:
    """The best-matching document of each visible case, best cases first, with its highlighted passage."""
    words = words_of(query)
    if not words:
        return []
    docs = matching_documents(words, as_cte=True)
    best = select(docs.c.case_id, func.min(docs.c.rank).label("rank")).group_by(docs.c.case_id).subquery()
    rows = db.session.execute(
        select(Case.id, Case.number, Case.title, Case.state, docs.c.document_id, docs.c.kind, docs.c.rank)
        .join(best, best.c.case_id == Case.id)
        .join(docs, (docs.c.case_id == Case.id) & (docs.c.rank == best.c.rank))
        .where(visible_to(user))
        .order_by(best.c.rank, Case.id.desc())
        .limit(limit * 2)
    ).all()
    chosen: dict[int, Any] = {}
    for row in rows:
        chosen.setdefault(row.id, row)  # ties on rank within a case: keep the first
    picked = list(chosen.values())[:limit]
    bodies = {
        row.id: row.body
        for row in db.session.execute(
            select(SearchDocument.id, SearchDocument.body).where(SearchDocument.id.in_([r.document_id for r in picked]))
        )
    }
    marker = _marker(words)
    return [
        Hit(r.id, r.number, r.title, r.state, r.kind, marker.snippet(bodies.get(r.document_id, "")), float(r.rank))
        for r in picked
    ]


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
    """The best passage of each of these cases (a page of the case list, already ranked and filtered by the
    engine), to show under its title: the document with the most of the words, then the most hits. Only
    these cases' documents are read, so the cost does not grow with the number of matches."""
    words = words_of(query)
    if not case_ids or not words:
        return {}
    rows = db.session.execute(
        select(Case.id, Case.number, Case.title, Case.state, SearchDocument.kind, SearchDocument.body)
        .join(SearchDocument, SearchDocument.case_id == Case.id)
        .where(Case.id.in_(case_ids), visible_to(user))
        .order_by(Case.id, SearchDocument.id)
    ).all()
    marker = _marker(words)
    best: dict[int, tuple[tuple[int, int], Any]] = {}
    for row in rows:
        score = marker.score(row.body)
        if row.id not in best or score > best[row.id][0]:
            best[row.id] = (score, row)
    return {
        case_id: Hit(case_id, row.number, row.title, row.state, row.kind, marker.snippet(row.body), 0.0)
        for case_id, (score, row) in best.items()
        if score[0] > 0
    }

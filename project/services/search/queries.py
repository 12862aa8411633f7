"""Full-text search over case numbers, titles and narratives, reported posts, notes, allegations'
reasoning, exhibits' text, and subjects' names and employee numbers: one service, two engines (SQLite FTS5;
PostgreSQL tsvector), the same results ranked the same way among the newest matches (``matching``), and
passages highlighted the same way (``highlight``) for just the cases a page shows. Only cases the person may
see are searched.

The person's words become a query of whole words that must all appear (the last one may be the start of
a word, when no document holds it whole), whatever punctuation they typed: no operator or quote of theirs
reaches the engine's syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import func, select

from project.extensions import db
from project.models import Case, SearchDocument, User
from project.services.search import matching
from project.services.search.highlight import Marker
from project.services.search.matching import Scope
from project.services.visibility import visible_to

MAX_WORDS = 8
WORD = re.compile(r"\w+", re.UNICODE)


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


def _marker(words: list[str]) -> Marker:
    return Marker(words, "porter" if db.engine.dialect.name == "sqlite" else "english")


def scope_of(query: str, where: Any = None) -> Scope | None:
    """The search for these words of the cases ``where`` selects (a condition on ``Case``; None: every case),
    or None when the query holds no word."""
    words = words_of(query)
    return matching.scope(words, where) if words else None


def search(user: User, query: str, limit: int = 25) -> list[Hit]:
    """The best-matching document of each visible case, best cases first, with its highlighted passage."""
    found = scope_of(query, visible_to(user))
    if found is None:
        return []
    docs = found.candidates()
    best = select(docs.c.case_id, func.min(docs.c.rank).label("rank")).group_by(docs.c.case_id).subquery()
    rows = db.session.execute(
        select(Case.id, Case.number, Case.title, Case.state, docs.c.document_id, docs.c.kind, docs.c.rank)
        .join(best, best.c.case_id == Case.id)
        .join(docs, (docs.c.case_id == Case.id) & (docs.c.rank == best.c.rank))
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
    marker = _marker(found.words)
    return [
        Hit(r.id, r.number, r.title, r.state, r.kind, marker.snippet(bodies.get(r.document_id, "")), float(r.rank))
        for r in picked
    ]


def matching_case_ids(found: Scope, every_match: bool = False) -> Any:
    """The ids of the cases with a document among the newest matches (``every_match``: any match), as a
    subquery for the case list's filter."""
    return found.matching_cases(every=every_match)


def case_ranks(found: Scope) -> Any:
    """(case id, best rank, how many cases) of each case with a document among the newest matches, to order
    a list by and count it in the same statement."""
    docs = found.candidates()
    ranked = select(docs.c.case_id, func.min(docs.c.rank).label("rank"), func.count().over().label("matched"))
    return ranked.group_by(docs.c.case_id).subquery()


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

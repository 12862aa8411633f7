"""Which documents answer a search, and how well: the newest matching documents, ranked the same way on both
engines (issue 19, item 1).

**Newest first.** The engine's index finds the matching documents newest first (SQLite FTS5 walks its rowids
backwards; PostgreSQL reads its primary key backwards, or its GIN index for a rare word) and stops after
``NEWEST_MATCHES`` of them. A word in half of 800,000 documents therefore costs a few thousand rows, not
400,000: the cost follows the limit, not the number of matches. When more documents match, the list says it
ranked the best among the newest (2,000), and its filters (date, state, facility...) narrow the search *before* the
newest are taken, so older cases are found by narrowing.

**One rank on both engines.** Each candidate's rank is computed from its text in SQL, the same expression on
both engines, so both give the same order: for each searched word, how often its stem occurs, saturated and
scaled by the document's length as BM25 does (k1 = 1.2, b = 0.75, against a typical length). Every candidate
holds every word, so BM25's inverse document frequency (which FTS5 gets by reading every match, the cost
this module avoids) would only weigh the words against each other; they weigh the same here. A lower rank is
a better match (the rank is negated).

**Whole words first.** The words are looked up as whole words (stemmed: "keys" finds "key"). Only when no
document holds them all is the last word taken as the start of a word ("lo" finds "lol"): an index looks a
whole word up directly, while a prefix merges every word that starts with it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Double, Select, bindparam, cast, column, func, literal, literal_column, select, table, text

from project.extensions import db
from project.models import Case, SearchDocument
from project.services.search.highlight import fold, stemmer
from project.services.visibility import always_true

NEWEST_MATCHES = 2_000  # documents ranked per search; more matches are left to narrowing
FEW_CASES = 20_000  # searching at most this many cases reads their documents first
K1, B, TYPICAL_LENGTH = 1.2, 0.75, 300.0
FTS5 = table("search_fts", column("rowid"))  # SQLite's index over search_documents (migration 0007)
FTS5_ROWID: Any = FTS5.c.rowid
TSVECTOR: Any = literal_column("search_documents.body_tsv")  # PostgreSQL's stored, GIN-indexed tsvector (0008)


def _sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def fts5_query(words: list[str], prefix: bool) -> str:
    quoted = [f'"{word}"' for word in words]
    if prefix:
        quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(words: list[str], prefix: bool) -> str:
    return " & ".join(words[:-1] + [f"{words[-1]}:*" if prefix else words[-1]])


def _match_condition(words: list[str], prefix: bool) -> Any:
    if _sqlite():
        return text("search_fts MATCH :fts_query").bindparams(fts_query=fts5_query(words, prefix))
    query = func.to_tsquery(literal_column("'english'"), bindparam("ts_query", tsquery(words, prefix)))
    return TSVECTOR.op("@@")(query)


@dataclass(frozen=True)
class Scope:
    """A search of some cases: the words, the condition on the cases searched (None: every case), and the
    facts found once: whether those cases are few (read them first), whether the last word is a prefix, and
    whether more documents hold the words than the newest that are ranked (None: not yet known)."""

    words: list[str]
    where: Any
    few_cases: bool
    prefix: bool
    beyond_newest: bool | None = None

    def newest_ids(self, limit: int | None) -> Select[Any]:
        """The ids of the newest ``limit`` documents (None: all) of the cases searched holding the words."""
        match = _match_condition(self.words, self.prefix)
        if not _sqlite():
            ids = select(SearchDocument.id.label("document_id")).where(match)
            if self.where is not None:
                ids = ids.join(Case, Case.id == SearchDocument.case_id).where(self.where)
            return ids.order_by(SearchDocument.id.desc()).limit(limit)  # LIMIT NULL: no limit
        ids = select(FTS5_ROWID.label("document_id")).select_from(FTS5).where(match)
        if self.where is not None and self.few_cases:
            # their documents' ids are read once; "+rowid" keeps FTS5 from being asked row by row (it would
            # search once per id)
            theirs = select(SearchDocument.id).join(Case, Case.id == SearchDocument.case_id).where(self.where)
            ids = ids.where(literal_column("+search_fts.rowid").in_(theirs))
        elif self.where is not None:  # nearly every match passes: each candidate is checked as it is read
            ids = (
                ids.join(SearchDocument, SearchDocument.id == FTS5_ROWID)
                .join(Case, Case.id == SearchDocument.case_id)
                .where(self.where)
            )
        return ids.order_by(FTS5_ROWID.desc()).limit(limit)

    def candidates(self, every: bool = False) -> Any:
        """(document id, case id, kind, rank) of the newest ``NEWEST_MATCHES`` documents holding the words
        (``every``: all of them, for an export), as a subquery. Each word is counted once per document, in a
        subquery SQLite keeps (OFFSET 0) rather than copying the count into each use of it."""
        newest = self._newest_documents(
            None if every else NEWEST_MATCHES, SearchDocument.case_id, SearchDocument.kind, SearchDocument.body
        )
        counted = (
            select(
                newest.c.document_id,
                newest.c.case_id,
                newest.c.kind,
                func.length(newest.c.body).label("length"),
                *(occurrences(word, newest.c.body).label(f"word_{n}") for n, word in enumerate(self.words)),
            )
            .offset(0)
            .subquery()
        )
        counts = [counted.c[f"word_{n}"] for n in range(len(self.words))]
        return select(
            counted.c.document_id, counted.c.case_id, counted.c.kind, rank_of(counts, counted.c.length).label("rank")
        ).subquery("matches")

    def _newest_documents(self, limit: int | None, *columns: Any) -> Any:
        """The document id and these columns of ``newest_ids``' documents, as a subquery. PostgreSQL reads
        them in the same walk of its index that finds them; SQLite's FTS5 gives ids, which are looked up."""
        if not _sqlite():
            return self.newest_ids(limit).add_columns(*columns).subquery()
        ids = self.newest_ids(limit).subquery()
        return select(ids.c.document_id, *columns).join(ids, ids.c.document_id == SearchDocument.id).subquery()

    def matching_cases(self, every: bool = False) -> Select[Any]:
        """The case ids of the documents ``candidates`` ranks, without ranking them: a filter or a count needs
        only which cases they are, and counting each word in 2,000 bodies cost them as much as the list."""
        newest = self._newest_documents(None if every else NEWEST_MATCHES, SearchDocument.case_id)
        return select(newest.c.case_id)

    def only_newest_ranked(self) -> int | None:
        """How many documents were ranked when more hold the words (the newest of them); None when all were."""
        beyond = self.beyond_newest
        if beyond is None:
            past = self.newest_ids(1).offset(NEWEST_MATCHES).subquery()
            beyond = bool(db.session.scalar(select(func.count()).select_from(past)))
        return NEWEST_MATCHES if beyond else None


def scope(words: list[str], where: Any = None) -> Scope:
    """A search of the cases ``where`` selects (a condition on ``Case``; None: every case)."""
    if always_true(where):  # every case (a supervisor's list, unfiltered): nothing to check
        where = None
    few = where is None or (_sqlite() and _few_cases(where))  # PostgreSQL's planner chooses for itself
    probe = Scope(words, where, few, prefix=False)
    # one count answers both: none holds the words whole (look for the last as a prefix), and more hold
    # them than are ranked
    whole = probe.newest_ids(NEWEST_MATCHES + 1).subquery()
    found = int(db.session.scalar(select(func.count()).select_from(whole)) or 0)
    if not found:
        return Scope(words, where, few, prefix=True)
    return Scope(words, where, few, prefix=False, beyond_newest=found > NEWEST_MATCHES)


def _few_cases(where: Any) -> bool:
    counted = select(Case.id).where(where).limit(FEW_CASES + 1).subquery()
    return int(db.session.scalar(select(func.count()).select_from(counted)) or 0) <= FEW_CASES


def occurrences(word: str, body: Any) -> Any:
    """How often the word's stem occurs in a document's ``body`` (a column). A stem that is not how the word
    is written ("happi" of "happy") is counted by what they share ("happ")."""
    stem = stemmer("porter" if _sqlite() else "english")
    folded = fold(word)
    found = os.path.commonprefix([folded, stem(folded)]) or folded
    # SQLite's lower() folds ASCII letters only; PostgreSQL's does the same under the "C" collation, which
    # also spares it the locale's rules: half the time of the rank
    lowered = func.lower(body if _sqlite() else body.collate("C"))
    return (func.length(body) - func.length(func.replace(lowered, found, ""))) / float(len(found))


def rank_of(counts: list[Any], length: Any) -> Any:
    """A document's rank (lower is better): each word's count, saturated and scaled by the length as BM25 does."""
    norm = K1 * (1 - B + B * cast(length, Double) / TYPICAL_LENGTH)
    score: Any = literal(0.0, Double)
    for count in counts:
        score = score + count * (K1 + 1) / (count + norm)
    return cast(-score, Double)

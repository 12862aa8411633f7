"""Full-text search over cases: the index kept by the session, ranked queries and highlighted passages.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.search.index import install_index_upkeep
from project.services.search.queries import (
    case_ranks,
    matching_case_ids,
    matching_documents,
    search,
    snippets,
    words_of,
)

__all__ = [
    "case_ranks",
    "install_index_upkeep",
    "matching_case_ids",
    "matching_documents",
    "search",
    "snippets",
    "words_of",
]

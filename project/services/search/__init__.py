"""Full-text search over cases: the index kept by the session, ranked queries and highlighted passages.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.search.index import install_index_upkeep
from project.services.search.matching import Scope
from project.services.search.queries import (
    case_ranks,
    matching_case_ids,
    scope_of,
    search,
    snippets,
    words_of,
)

__all__ = [
    "case_ranks",
    "install_index_upkeep",
    "matching_case_ids",
    "Scope",
    "scope_of",
    "search",
    "snippets",
    "words_of",
]

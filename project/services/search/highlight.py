"""Which words of a passage answer a search, and the highlighted passage shown under a case in the list.

The engine decides which documents match and how well (``search``); this module only marks the words in
the few passages a page shows, so no snippet is made for matches nobody sees. It stems the way the engine
does (Porter for SQLite FTS5's ``porter`` tokenizer, Snowball English for PostgreSQL's ``english``
configuration) and treats the last word as the start of a word, as the query does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from markupsafe import Markup, escape

TOKEN = re.compile(r"\w+", re.UNICODE)
WINDOW = 20  # words in a passage
ELLIPSIS = "…"


def fold(word: str) -> str:
    """Lower case without diacritics, as the engines compare words."""
    lower = word.lower()
    if lower.isascii():  # nothing to take off: most words, and the cost of a passage's thousand tokens
        return lower
    return "".join(c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c))


@lru_cache(maxsize=4)
def stemmer(algorithm: str) -> Callable[[str], str]:
    import snowballstemmer  # 20 ms to import: paid by the first search, not by every start-up (issue 19)

    stem = snowballstemmer.stemmer(algorithm).stemWord
    return lru_cache(maxsize=50_000)(stem)


class Marker:
    """Finds the searched words in passages: ``score`` to choose a case's best passage, ``snippet`` to show it."""

    def __init__(self, words: list[str], algorithm: str) -> None:
        self.stem = stemmer(algorithm)
        self.wanted = {self.stem(fold(word)): index for index, word in enumerate(words)}
        self.prefix = (fold(words[-1]), len(words) - 1) if words else ("", -1)
        # a token can only match if it starts like a wanted stem or the prefix: a cheap test before stemming
        self.starts = tuple({s[:3] for s in self.wanted} | {self.prefix[0][:3]})
        # the tokens of a folded passage that pass that test, found at once (a passage without any is skipped)
        self.likely = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in self.starts if s) + r")\w*")

    def word_of(self, token: str) -> int | None:
        """The index of the searched word this token matches, or None."""
        folded = fold(token)
        if not folded.startswith(self.starts):
            return None
        stem = self.stem(folded)
        if stem in self.wanted:
            return self.wanted[stem]
        prefix, index = self.prefix
        return index if prefix and (folded.startswith(prefix) or stem.startswith(prefix)) else None

    def _hits(self, body: str) -> tuple[list[re.Match[str]], list[int | None]]:
        tokens = list(TOKEN.finditer(body))
        return tokens, [self.word_of(t.group()) for t in tokens]

    def score(self, body: str) -> tuple[int, int]:
        """(how many different searched words the passage holds, how many hits in all): higher is better."""
        likely = self.likely.findall(fold(body))
        found = [w for w in (self.word_of(token) for token in likely) if w is not None]
        return len(set(found)), len(found)

    def snippet(self, body: str, size: int = WINDOW) -> Markup:
        """The ``size`` words of the passage with the most hits, escaped, hits in <mark>, cut ends shown by '…'."""
        tokens, hits = self._hits(body)
        if not tokens:
            return Markup("")
        marks = [1 if h is not None else 0 for h in hits]
        start = max(range(max(1, len(tokens) - size + 1)), key=lambda i: (sum(marks[i : i + size]), -i))
        end = min(len(tokens), start + size)
        out = [ELLIPSIS if start > 0 else ""]
        position = tokens[start].start()
        for token, mark in zip(tokens[start:end], marks[start:end], strict=True):
            out.append(str(escape(body[position : token.start()])))
            word = str(escape(token.group()))
            out.append(f"<mark>{word}</mark>" if mark else word)
            position = token.end()
        out.append(ELLIPSIS if end < len(tokens) else str(escape(body[position:])))
        return Markup(" ".join("".join(out).split()))  # noqa: S704 - every piece escaped above

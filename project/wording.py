"""Small helpers for the words people read (issue 16, the editor's pass): a count with its noun in the right
number, never "1 cases" or "session(s)"."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """``counted(1, "session")`` is "1 session"; ``counted(2, "session")`` "2 sessions"."""
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"

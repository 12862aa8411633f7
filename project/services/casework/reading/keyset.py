"""Keyset paging: the next page starts after the last row shown, by its sort key, instead of skipping rows
with OFFSET, so page 400 costs what page 1 costs. The position travels in the link as a small opaque token.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_


@dataclass(frozen=True)
class Key:
    """One sort column: the expression, its direction, and how its value is read back from a token."""

    column: Any
    descending: bool
    kind: type = int  # int | str | float | datetime

    def ordering(self) -> Any:
        return self.column.desc() if self.descending else self.column.asc()

    def beyond(self, value: Any) -> Any:
        return self.column < value if self.descending else self.column > value


def order_by(keys: Sequence[Key]) -> list[Any]:
    return [key.ordering() for key in keys]


def after(keys: Sequence[Key], values: Sequence[Any]) -> Any:
    """Rows that come after ``values`` in the order of ``keys`` (lexicographic, each in its direction)."""
    clauses: list[Any] = []
    equal: list[Any] = []
    for key, value in zip(keys, values, strict=True):
        clauses.append(and_(*equal, key.beyond(value)))
        equal.append(key.column == value)
    return or_(*clauses)


def token(values: Sequence[Any]) -> str:
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def read_token(keys: Sequence[Key], raw: str) -> list[Any] | None:
    """The values in a token, typed for ``keys``; None for anything malformed (the list starts over)."""
    if not raw or len(raw) > 512:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if not isinstance(values, list) or len(values) != len(keys):
            return None
        return [_typed(key.kind, value) for key, value in zip(keys, values, strict=True)]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None


LARGEST_INT = 2**63 - 1  # a BIGINT; a token holding more (10**30) would overflow the query
LONGEST_TEXT = 200


def _typed(kind: type, value: Any) -> Any:
    """One value of a token, of its key's type and within what the column can hold (ValueError otherwise)."""
    if kind is datetime:
        moment = datetime.fromisoformat(str(value)[:40])
        if moment.tzinfo is None:
            raise ValueError("a time without its zone")
        return moment
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError("not a finite number")
        return number
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ValueError("wrong type")
    if isinstance(value, int) and abs(value) > LARGEST_INT:
        raise ValueError("out of range")
    if isinstance(value, str) and (len(value) > LONGEST_TEXT or "\x00" in value):
        raise ValueError("not a key")
    return value

"""Counts read in the right number (issue 16, the editor's pass): never "1 cases" or "session(s)"."""

from __future__ import annotations

import pytest

from project.wording import counted


@pytest.mark.parametrize(
    "count,words,expected",
    [
        (0, ("day",), "0 days"),
        (1, ("day",), "1 day"),
        (5, ("recovery code",), "5 recovery codes"),
        (1, ("row is", "rows are"), "1 row is"),
        (3, ("row is", "rows are"), "3 rows are"),
    ],
)
def test_a_count_takes_the_noun_in_its_number(count, words, expected):
    assert counted(count, *words) == expected

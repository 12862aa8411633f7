"""Protected identifiers are found in every spelling a person types, by position in the printed text."""

from __future__ import annotations

import pytest

from project.services.masking import Identifier, classify_contact, find, mask

NAME = Identifier("name", "John Q. Reporter")
IRISH = Identifier("name", "Janet O'Brien")
PHONE = Identifier("phone", "860-555-0142")
EMAIL = Identifier("email", "J.Reporter@Example.org")
INMATE = Identifier("number", "CT-204518")
ALL = [NAME, IRISH, PHONE, EMAIL, INMATE]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Call 860-555-0142 today", "860-555-0142"),
        ("Call 860.555.0142 today", "860.555.0142"),
        ("Call (860) 555-0142 today", "(860) 555-0142"),
        ("Call 860 555 0142 today", "860 555 0142"),
        ("Call 8605550142 today", "8605550142"),
        ("Call +1 860 555 0142 today", "+1 860 555 0142"),
        ("Call 1-860-555-0142 today", "1-860-555-0142"),
        ("Write to j.reporter@example.ORG.", "j.reporter@example.ORG"),
        ("Write to J.REPORTER@EXAMPLE.ORG now", "J.REPORTER@EXAMPLE.ORG"),
        ("Seen by John Q. Reporter on site", "John Q. Reporter"),
        ("Seen by John  Q Reporter on site", "John  Q Reporter"),
        ("Seen by John\u00a0Q\u00a0Reporter on site", "John\u00a0Q\u00a0Reporter"),
        ("Seen by J. Q. Reporter on site", "J. Q. Reporter"),
        ("Seen by J.Q. Reporter on site", "J.Q. Reporter"),
        ("Seen by John Reporter on site", "John Reporter"),
        ("Seen by J Reporter on site", "J Reporter"),
        ("Seen by john q reporter on site", "john q reporter"),
        ("Seen by Reporter, John Q. on site", "Reporter, John Q"),
        ("It was Reporter's phone", "Reporter"),
        ("Captured by Complainant (Janet O'Brien)", "Janet O'Brien"),
        ("Captured by Complainant (Janet O\u2019Brien)", "Janet O\u2019Brien"),
        ("Janet O\u2019Brien\u2019s screenshot", "Janet O\u2019Brien"),
        ("Janet OBrien wrote", "Janet OBrien"),
        ("Inmate CT-204518 was shown", "CT-204518"),
        ("Inmate ct 204518 was shown", "ct 204518"),
        ("Inmate CT204518 was shown", "CT204518"),
    ],
)
def test_every_spelling_of_an_identifier_is_found_where_it_is(text, found):
    where = text.index(found)
    assert mask(text, ALL) == text[:where] + "[REDACTED]" + text[where + len(found) :]
    assert {(m.start, m.end) for m in find(text, ALL)} >= {(where, where + len(found))}


@pytest.mark.parametrize(
    "text",
    [
        "The reporter said nothing more.",  # the surname as a common word, not written as a name
        "John wrote the report.",  # a first name alone is not the person
        "Janet saw it.",
        "Call 860-555-0143 instead",  # another number
        "Order 18605550142999 shipped",  # the digits inside a longer number
        "Write to reporter@example.org",  # another address
        "Inmate CT-2045189 was shown",  # a longer inmate number
        "Seen by Johnny Reporterson",  # names that only start the same
    ],
)
def test_text_that_only_looks_alike_is_left_alone(text):
    assert find(text, ALL) == []
    assert mask(text, ALL) == text


def test_positions_are_those_of_the_printed_text_even_after_characters_that_change_length():
    """ "İ" lower-cases to two code points: positions from a lower-cased copy shifted every mask after it."""
    text = "İİİİ İstanbul: John Q Reporter, 860-555-0142, and nothing else."
    assert mask(text, ALL) == "İİİİ İstanbul: [REDACTED], [REDACTED], and nothing else."
    for m in find(text, ALL):
        assert text[m.start : m.end] in ("John Q Reporter", "860-555-0142")


def test_overlapping_and_repeated_identifiers_give_one_mark_each_place():
    text = "J. Reporter (j.reporter@example.org, 860 555 0142); again J. Reporter."
    assert mask(text, ALL, replacement="X") == "X (X, X); again X."


def test_a_contact_field_is_classified_as_an_email_a_phone_or_text():
    assert classify_contact(" R.Reporter@Example.org ") == Identifier("email", "R.Reporter@Example.org")
    assert classify_contact("(860) 555-0142") == Identifier("phone", "(860) 555-0142")
    assert classify_contact("+1 860.555.0142") == Identifier("phone", "+1 860.555.0142")
    assert classify_contact("Cell, evenings") == Identifier("text", "Cell, evenings")
    assert mask("Call (860)555-0142 or write R.REPORTER@example.org", [classify_contact("860-555-0142")]) == (
        "Call [REDACTED] or write R.REPORTER@example.org"
    )


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown identifier kind"):
        Identifier("face", "x")

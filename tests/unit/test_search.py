"""Full-text search: the same behaviour from SQLite FTS5 and PostgreSQL tsvector (each test runs on both)."""

from __future__ import annotations

import re

import pytest

from project.extensions import db
from project.models import Note
from project.services import casework, search
from tests.factories import PASSWORD


def found(user, query: str) -> list[str]:
    return [hit.number for hit in search.search(user, query)]


def test_posts_notes_allegations_and_case_numbers_are_found_with_highlighted_snippets(world):
    keypad = world.ready_for_review(text="Here is how the new sally port keypad works")
    casework.add_note(
        keypad, "interview", "The employee admitted the account during the interview.", world.actor(world.investigator)
    )
    other = world.open(title="Instagram photo of a housing unit", text="Third shift again")

    post_hit = search.search(world.supervisor, "keypad")[0]
    assert (post_hit.number, post_hit.kind) == (keypad.number, "post")
    assert "<mark>keypad</mark>" in post_hit.snippet
    assert [(h.number, h.kind) for h in search.search(world.supervisor, "admitted interview")] == [
        (keypad.number, "note")
    ]
    assert [h.kind for h in search.search(world.supervisor, "key ring")] == ["allegation"]  # the finding's reasoning
    assert found(world.supervisor, other.number) == [other.number]
    assert found(world.supervisor, other.number.split("-")[-1]) == [other.number]  # "0002" alone


def test_words_are_stemmed_and_the_last_one_may_be_a_prefix(world):
    case = world.open(text="Look at these keys lol")
    assert found(world.supervisor, "key") == [case.number]  # keys -> key
    assert found(world.supervisor, "lo") == [case.number]  # a word being typed
    assert found(world.supervisor, "keys nothing") == []  # every word must appear


def test_better_matches_rank_first(world):
    once = world.open(text="A long post about the weekend, the weather, and a keypad seen in passing somewhere.")
    thrice = world.open(text="Keypad code, keypad photo, keypad location")
    assert found(world.supervisor, "keypad") == [thrice.number, once.number]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        'keypad"',
        "keypad*",
        "OR",
        "NEAR(keypad",
        "a:b & !c | d",
        "-keypad",
        "key^pad",
        "'; DROP TABLE cases; --",
        "(",
        "*",
    ],
)
def test_punctuation_and_operators_in_a_query_are_just_text(world, query):
    case = world.open(text="sally port keypad")
    hits = found(world.supervisor, query)
    assert hits in ([], [case.number])  # no engine error, no syntax of theirs


def test_snippets_escape_what_people_wrote(world):
    world.open(text='<script>alert("x")</script> if a < b & c > d then keypad <img src=x onerror=alert(1)>')
    snippet = str(search.search(world.supervisor, "keypad")[0].snippet)
    assert "<mark>keypad</mark>" in snippet
    assert "<" not in re.sub(r"</?mark>", "", snippet) and ">" not in re.sub(r"</?mark>", "", snippet)


def test_the_index_follows_every_write_and_every_rollback(world):
    case = world.open(text="nothing to see")
    actor = world.actor(world.investigator)
    casework.add_note(case, "action", "Requested the platform's records for the tuesday post.", actor)
    assert found(world.supervisor, "tuesday") == [case.number]

    db.session.add(
        Note(
            case_id=case.id,
            kind="action",
            body="wednesday",
            author_id=world.investigator.id,
            created_at=case.created_at,
        )
    )
    db.session.flush()
    db.session.rollback()
    assert found(world.supervisor, "wednesday") == []

    post = case.posts[0]
    changed = casework.PostInput(
        platform=post.platform, url=post.url, account_handle=post.account_handle, text="a new text: thursday"
    )
    casework.update_post(case, post, changed, actor, post.row_version)
    assert found(world.supervisor, "thursday") == [case.number] and found(world.supervisor, "nothing") == []


def test_only_cases_the_person_may_see_are_searched(world):
    case = world.open(text="sally port keypad")
    assert found(world.supervisor, "keypad") == [case.number]
    assert found(world.investigator, "keypad") == [case.number]
    assert found(world.investigator2, "keypad") == []  # not assigned to them, and past intake
    assert found(world.labor, "keypad") == []  # not in labor relations' hands yet


def test_the_case_list_searches_ranks_and_shows_snippets(client, world, sign_in):
    once = world.open(text="A long post about the weekend and a keypad seen in passing.")
    thrice = world.open(text="Keypad code, keypad photo, keypad location")
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get("/cases/?q=keypad&mine=0").get_data(as_text=True)
    assert page.index(thrice.number) < page.index(once.number)
    assert page.count("<mark>") >= 2 and 'class="snippet"' in page


def test_a_long_passage_is_cut_around_the_words_found_and_stems_are_marked(world):
    filler = " ".join(f"filler{i}" for i in range(60))
    world.open(text=f"{filler} the officers were threatening the keypad {filler}")
    snippet = str(search.search(world.supervisor, "threatened keypad")[0].snippet)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>threatening</mark>" in snippet and "<mark>keypad</mark>" in snippet
    assert len(re.sub(r"</?mark>", "", snippet).split()) <= 22  # a passage, not the whole text


def test_the_list_shows_the_passage_holding_most_of_the_words(world):
    case = world.open(text="keypad photo")
    casework.add_note(case, "interview", "She admitted posting the keypad photo.", world.actor(world.investigator))
    other = world.open(text="nothing relevant here")
    shown = search.snippets(world.supervisor, "keypad admitted", [case.id, other.id])
    assert list(shown) == [case.id]  # a case without the words gets no passage
    assert shown[case.id].kind == "note" and "<mark>admitted</mark>" in shown[case.id].snippet

"""Long notes folded on the case page: the first lines shown, the rest kept whole behind the fold."""

from project.web.folding import fold


def test_a_short_note_is_not_folded():
    folded = fold("Called the tip line.\nNo answer.")
    assert folded.head == ["Called the tip line.", "No answer."] and not folded.is_folded


def test_a_note_of_many_lines_shows_the_first_three_and_keeps_every_other_line():
    lines = [f"Line {n}" for n in range(1, 13)]
    folded = fold("\n".join(lines))
    assert folded.head == lines[:3] and folded.rest == lines[3:]


def test_one_long_line_is_cut_at_a_space_and_nothing_is_lost():
    text = " ".join(["keypad"] * 200)
    folded = fold(text)
    assert folded.is_folded and len(folded.head[0]) <= 360 and not folded.head[0].endswith(" ")
    assert " ".join([*folded.head, *folded.rest]) == text


def test_a_note_only_a_little_too_long_stays_whole():
    text = "\n".join(["A short line."] * 4)
    assert not fold(text).is_folded

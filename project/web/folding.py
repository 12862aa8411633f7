"""Long text folded on a page: the first lines shown, the rest behind "Show the whole note" (a <details>
element the print style sheet opens). Used by the case page's notes; nothing is cut from the record."""

from __future__ import annotations

from dataclasses import dataclass, field

HEAD_LINES = 3  # lines shown before the fold
HEAD_CHARS = 360  # about three lines of a note at the page's widest


@dataclass(frozen=True)
class Folded:
    head: list[str]
    rest: list[str] = field(default_factory=list)

    @property
    def is_folded(self) -> bool:
        return bool(self.rest)


def fold(text: str, lines: int = HEAD_LINES, chars: int = HEAD_CHARS) -> Folded:
    """The text's lines split into those shown and those folded away: at most ``lines`` lines and about
    ``chars`` characters are shown; a single long line is cut at a space, and its remainder starts the rest.
    A text that would fold away only a little (less than a third more) is not folded at all."""
    all_lines = text.split("\n")
    if len(all_lines) <= lines + 1 and len(text) <= chars * 4 // 3:
        return Folded(all_lines)
    head: list[str] = []
    used = 0
    for index, line in enumerate(all_lines):
        if len(head) == lines or used >= chars:
            return Folded(head, all_lines[index:])
        room = chars - used
        if len(line) > room:
            cut = line.rfind(" ", 0, room)
            cut = cut if cut > 0 else room
            return Folded([*head, line[:cut]], [line[cut:].lstrip(), *all_lines[index + 1 :]])
        head.append(line)
        used += len(line)
    return Folded(head)

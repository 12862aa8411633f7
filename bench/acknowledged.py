"""Every write the server acknowledged, looked for in the database itself: present exactly once.

The clients (bench/load_clients.py) keep one tuple per acknowledged write: ``("case", number, title)``,
``("note", case number, body)``, ``("exhibit", case number, exhibit number or "", sha256)`` and
``("assign", case number, investigator's name)``. Titles, note bodies and the PNGs are unique per write, so
each must be found once: not at all is a lost write, more than once a duplicate (a retried submit that landed
twice). An exhibit number is "" when a retried upload was told the file is already stored."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text

KINDS = ("case", "note", "exhibit", "assign")


@dataclass
class WriteCheck:
    acknowledged: Counter[str] = field(default_factory=Counter)
    lost: Counter[str] = field(default_factory=Counter)
    duplicated: Counter[str] = field(default_factory=Counter)
    examples: list[tuple[str, ...]] = field(default_factory=list)  # a few lost or duplicated writes
    cases: int = 0
    numbers_twice: int = 0  # case numbers in the table twice, or handed out twice

    def results(self) -> list[tuple[str, bool, str]]:
        """(check, passed, detail) for each kind of write, and for the case numbers."""
        out = []
        for kind in KINDS:
            n, lost, twice = self.acknowledged[kind], self.lost[kind], self.duplicated[kind]
            detail = f"{n - lost}/{n} present, {twice} more than once"
            bad = [e for e in self.examples if e[1] == kind][:3]
            out.append((f"acknowledged {kind} writes in the database once", not lost and not twice, detail))
            if bad:
                out[-1] = (out[-1][0], False, f"{detail}; e.g. {bad}")
        out.append(
            (
                "no duplicate case numbers",
                not self.numbers_twice,
                f"{self.cases} cases, {self.numbers_twice} numbers held or handed out twice",
            )
        )
        return out


def check_acknowledged(url: str, acks: list[tuple[str, ...]]) -> WriteCheck:
    from project.config import normalize_database_url

    engine = create_engine(normalize_database_url(url))
    with engine.connect() as db:
        cases = Counter(map(tuple, db.execute(text("SELECT title, number FROM cases"))))
        numbers = Counter(number for _, number in cases.elements())
        notes = Counter(
            map(tuple, db.execute(text("SELECT c.number, n.body FROM notes n JOIN cases c ON c.id = n.case_id")))
        )
        exhibits = Counter(
            map(tuple, db.execute(text("SELECT c.number, e.sha256 FROM exhibits e JOIN cases c ON c.id = e.case_id")))
        )
        exhibit_numbers = set(
            map(tuple, db.execute(text("SELECT c.number, e.number FROM exhibits e JOIN cases c ON c.id = e.case_id")))
        )
        assigned = dict(
            map(
                tuple,
                db.execute(
                    text(
                        "SELECT c.number, u.name FROM cases c JOIN users u ON u.id = c.assigned_investigator_id "
                        "WHERE c.state = 'open'"
                    )
                ),
            )
        )
    engine.dispose()
    check = WriteCheck(cases=len(numbers))
    handed_out = Counter(ack[1] for ack in acks if ack[0] == "case")
    check.numbers_twice = sum(n > 1 for n in numbers.values()) + sum(n > 1 for n in handed_out.values())
    titles = Counter(title for title, _ in cases.elements())
    for kind, *ack in acks:
        check.acknowledged[kind] += 1
        if kind == "case":
            found, lost = titles[ack[1]], cases[(ack[1], ack[0])] == 0
        elif kind == "note":
            found = notes[(ack[0], ack[1])]
            lost = not found
        elif kind == "exhibit":
            found = exhibits[(ack[0], ack[2])]
            lost = not found or (ack[1] != "" and (ack[0], int(ack[1])) not in exhibit_numbers)
        else:
            found, lost = 1, assigned.get(ack[0]) != ack[1]
        check.lost[kind] += lost
        check.duplicated[kind] += found > 1
        if lost or found > 1:
            check.examples.append(("lost" if lost else f"{found} times", kind, *ack))
    return check

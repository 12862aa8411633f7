"""The discipline matrix as the suggestion reads it: the rows of the sustained clauses, which prior discipline
escalates them (any, or only a related offence class), and the offence class of a set of clauses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import DisciplineLadder, DisciplineMatrixEntry
from project.services import catalogue


@dataclass(frozen=True)
class Escalation:
    """Which prior discipline counts for the sustained clauses: every record (``related`` is None), or only
    records of the ``related`` offence classes; ``rule`` says which matrix rows decided it and their source."""

    related: frozenset[str] | None
    rule: str


def _entries(ladder: DisciplineLadder, clauses: Iterable[str], offence: int | None) -> list[DisciplineMatrixEntry]:
    query = select(DisciplineMatrixEntry).where(
        DisciplineMatrixEntry.ladder_id == ladder.id, DisciplineMatrixEntry.clause_number.in_(list(clauses))
    )
    if offence is not None:
        query = query.where(DisciplineMatrixEntry.offence == offence)
    return list(db.session.scalars(query.order_by(DisciplineMatrixEntry.clause_number, DisciplineMatrixEntry.offence)))


def escalation_for(ladder: DisciplineLadder, clauses: list[str]) -> Escalation:
    """A clause without a matrix row, or with a row that escalates on any prior, lets every record count."""
    if not clauses:
        return Escalation(None, "No AD 2.26 clause is sustained: any prior discipline is listed.")
    rows = {entry.clause_number: entry for entry in _entries(ladder, clauses, None)}
    without = [number for number in clauses if number not in rows]
    any_rows = [entry for entry in rows.values() if entry.escalates_on == "any"]
    if without or any_rows:
        why = (
            f"AD 2.26 section {', '.join(without)} has no matrix row"
            if without
            else f"the matrix row for section {any_rows[0].clause_number} ({any_rows[0].source_label})"
        )
        return Escalation(None, f"{why}: any prior discipline escalates.")
    related = frozenset(entry.offence_class for entry in rows.values())
    first = next(iter(rows.values()))
    return Escalation(
        related,
        f"The matrix {'rows for sections' if len(rows) > 1 else 'row for section'} {', '.join(sorted(rows))} "
        f"({first.source_label}) {'escalate' if len(rows) > 1 else 'escalates'} only on prior "
        f"discipline of a related offence class: {', '.join(sorted(related))}.",
    )


def matrix_range(ladder: DisciplineLadder, clauses: Iterable[str], offence: int) -> DisciplineMatrixEntry | None:
    """The most severe range among the clauses' matrix entries for this offence (highest top, then bottom)."""
    entries = _entries(ladder, clauses, offence)
    if not entries:
        return None
    return max(entries, key=lambda e: (e.max_step.rank, e.min_step.rank))


def offence_class_of(clause_numbers: Iterable[str]) -> str | None:
    """The offence class of the AD 2.26 clauses a record is for (the most severe row's), None when unknown."""
    ladder = catalogue.current_ladder(clock.local_today())
    if ladder is None:
        return None
    entry = matrix_range(ladder, clause_numbers, 1)
    return entry.offence_class or None if entry is not None else None

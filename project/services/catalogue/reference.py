"""The reference lists a reader of the catalogue looks up: the AD 2.6 ladder, findings, deadline rules, matrix."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import DeadlineRule, DisciplineLadder, DisciplineMatrixEntry, FindingCategory


@dataclass
class ReferenceLists:
    ladder: DisciplineLadder | None
    findings: list[FindingCategory]
    deadlines: list[DeadlineRule]
    matrix: list[DisciplineMatrixEntry]


def reference_lists() -> ReferenceLists:
    ladder = db.session.scalars(
        select(DisciplineLadder)
        .where(DisciplineLadder.effective_date <= clock.local_today())
        .order_by(DisciplineLadder.effective_date.desc())
        .limit(1)
    ).first()
    matrix = []
    if ladder is not None:
        matrix = list(
            db.session.scalars(
                select(DisciplineMatrixEntry)
                .where(DisciplineMatrixEntry.ladder_id == ladder.id)
                .order_by(DisciplineMatrixEntry.clause_number, DisciplineMatrixEntry.offence)
            )
        )
    return ReferenceLists(
        ladder=ladder,
        findings=list(db.session.scalars(select(FindingCategory).order_by(FindingCategory.position))),
        deadlines=list(db.session.scalars(select(DeadlineRule).order_by(DeadlineRule.id))),
        matrix=matrix,
    )

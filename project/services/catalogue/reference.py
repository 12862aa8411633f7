"""The reference lists a reader of the catalogue looks up: the AD 2.6 ladder, findings, deadline rules, matrix,
and the state holidays business days skip."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import DeadlineRule, DisciplineLadder, DisciplineMatrixEntry, FindingCategory, Holiday


@dataclass
class ReferenceLists:
    ladder: DisciplineLadder | None
    findings: list[FindingCategory]
    deadlines: list[DeadlineRule]
    matrix: list[DisciplineMatrixEntry]
    holidays: list[Holiday] = field(default_factory=list)  # this year's and next year's


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
        holidays=_holidays_of(clock.local_today().year),
    )


def _holidays_of(year: int) -> list[Holiday]:
    return list(
        db.session.scalars(
            select(Holiday)
            .where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year + 1, 12, 31))
            .order_by(Holiday.day)
        )
    )

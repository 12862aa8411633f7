"""The reference lists a reader of the catalogue looks up: the department's discipline ladder, its look-backs
and title rules, findings, deadline rules, matrix, each setting with its source, and the state holidays that
business days skip."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import (
    DeadlineRule,
    DisciplineLadder,
    DisciplineMatrixEntry,
    FindingCategory,
    Holiday,
    LookbackOverride,
    TitleRule,
)


@dataclass
class ReferenceLists:
    ladder: DisciplineLadder | None
    findings: list[FindingCategory]
    deadlines: list[DeadlineRule]
    matrix: list[DisciplineMatrixEntry]
    lookbacks: list[LookbackOverride] = field(default_factory=list)
    title_rules: list[TitleRule] = field(default_factory=list)
    holidays: list[Holiday] = field(default_factory=list)  # this year's and next year's


def reference_lists() -> ReferenceLists:
    ladder = db.session.scalars(
        select(DisciplineLadder)
        .where(DisciplineLadder.effective_date <= clock.local_today())
        .order_by(DisciplineLadder.effective_date.desc())
        .limit(1)
    ).first()
    matrix: list[DisciplineMatrixEntry] = []
    lookbacks: list[LookbackOverride] = []
    title_rules: list[TitleRule] = []
    if ladder is not None:
        lookbacks = list(
            db.session.scalars(
                select(LookbackOverride)
                .where(LookbackOverride.ladder_id == ladder.id)
                .order_by(LookbackOverride.step_code, LookbackOverride.bargaining_unit)
            )
        )
        title_rules = list(
            db.session.scalars(
                select(TitleRule).where(TitleRule.ladder_id == ladder.id).order_by(TitleRule.rule, TitleRule.title)
            )
        )
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
        lookbacks=lookbacks,
        title_rules=title_rules,
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

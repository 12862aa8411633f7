"""The reference lists a reader of the catalogue looks up: the department's discipline ladder, its look-backs and
title rules, findings, deadline rules, matrix, each setting with its source."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import (
    DeadlineRule,
    DisciplineLadder,
    DisciplineMatrixEntry,
    FindingCategory,
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
    )

"""Comparable cases (issue 17, item 7; the "equal treatment" test of just cause): the discipline imposed on
past cases charged and found as this one, and whether a proposed step stands well above or below it.

**Comparable.** A subject's charge is the set of (AD 2.26 clause, finding) pairs of their allegations under a
clause (a related directive cited as a whole is not a clause and is left out). A past case is comparable when
one of its subjects has exactly the same set, and labor relations recorded the step imposed on that subject
(as imposed; a later award is not read here). The step's suspension days are not compared.

**Well above or below.** With at least ``COMPARABLES_MIN_CASES`` comparables, their *median step* is the middle
step when their steps are put in ladder order (the lower middle one for an even count). A proposed step more
than ``COMPARABLES_STEPS_AWAY`` steps of the ladder from it needs a written reason. Both numbers are department
settings (``project.config``), shown as such wherever the rule shows.

It is one grouped query (``ix_allegations_clause_finding_subject`` finds the subjects charged under the
first pair; each candidate's allegations (by ``ix_allegations_subject_id``) are grouped and
kept only when they are exactly the charge; only those are joined to their case and labor-relations record). Whether
the viewer may open each case is a column of the same query (``visibility.visible_to``): a case the viewer may
not open is counted, never listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import and_, case, distinct, func, literal, select
from sqlalchemy.orm import aliased

from project.extensions import db
from project.models import Allegation, Case, CaseSubject, DisciplineRecord, DisciplineStep, LaborAction, User
from project.services.visibility import visible_to

DEFAULT_MIN_CASES = 5
DEFAULT_STEPS_AWAY = 1
LISTED = 25  # comparables listed on a page, newest first; the counts are over all of them


@dataclass(frozen=True)
class ComparableCase:
    case_id: int
    number: str
    decided_on: date | None  # the discipline's effective date, else the decision's
    step: DisciplineStep
    suspension_days: int | None
    visible: bool  # may the viewer open it


@dataclass(frozen=True)
class Settings:
    min_cases: int
    steps_away: int

    @property
    def description(self) -> str:
        return (
            f"department settings: at least {self.min_cases} comparable cases, and more than {self.steps_away} "
            f"step{'' if self.steps_away == 1 else 's'} of the ladder from their median step"
        )


@dataclass
class Comparison:
    """One subject's comparable cases: the charge compared, every comparable (newest first), and the counts."""

    charge: list[tuple[str, str]]  # (clause number, finding name), in clause order
    incomplete: str  # why no comparison is made ("" when it is)
    settings: Settings
    cases: list[ComparableCase] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.cases)

    @property
    def charge_label(self) -> str:
        return "; ".join(f"AD 2.26 section {number}: {finding}" for number, finding in self.charge)

    @property
    def counts(self) -> list[tuple[DisciplineStep, int]]:
        """Comparables per step imposed, in ladder order."""
        tally: dict[int, tuple[DisciplineStep, int]] = {}
        for item in self.cases:
            step, count = tally.get(item.step.id, (item.step, 0))
            tally[item.step.id] = (step, count + 1)
        return sorted(tally.values(), key=lambda pair: pair[0].rank)

    @property
    def listed(self) -> list[ComparableCase]:
        return [c for c in self.cases if c.visible][:LISTED]

    @property
    def not_listed_visible(self) -> int:
        return max(0, sum(1 for c in self.cases if c.visible) - LISTED)

    @property
    def hidden(self) -> int:
        """Comparables the viewer may not open: counted, never named."""
        return sum(1 for c in self.cases if not c.visible)

    @property
    def median_step(self) -> DisciplineStep | None:
        if not self.cases:
            return None
        ordered = sorted((c.step for c in self.cases), key=lambda step: step.rank)
        return ordered[(len(ordered) - 1) // 2]

    @property
    def enough(self) -> bool:
        return self.total >= self.settings.min_cases

    def distance(self, step: DisciplineStep) -> int | None:
        """Steps of the ladder from the median step (positive: above), when there are enough comparables."""
        median = self.median_step
        if not self.enough or median is None:
            return None
        return step.rank - median.rank

    def departure(self, step: DisciplineStep) -> str:
        """Why ``step`` needs a reason ("" when it does not): it is well above or below the comparables."""
        away = self.distance(step)
        if away is None or abs(away) <= self.settings.steps_away:
            return ""
        median = self.median_step
        assert median is not None
        return (
            f"{step.name} is {abs(away)} step{'' if abs(away) == 1 else 's'} of the ladder "
            f"{'above' if away > 0 else 'below'} {median.name.lower()}, the median step imposed in the "
            f"{self.total} comparable cases ({self.settings.description})"
        )


def comparison_settings() -> Settings:
    config: Any = current_app.config if has_app_context() else {}
    return Settings(
        int(config.get("COMPARABLES_MIN_CASES", DEFAULT_MIN_CASES)),
        int(config.get("COMPARABLES_STEPS_AWAY", DEFAULT_STEPS_AWAY)),
    )


def charged_pairs(subject: CaseSubject) -> tuple[list[tuple[int, int]], list[tuple[str, str]], str]:
    """The subject's (clause id, finding id) pairs, their labels, and why there is none to compare."""
    allegations = db.session.scalars(
        select(Allegation).where(Allegation.subject_id == subject.id, Allegation.clause_id.is_not(None))
    ).all()
    if not allegations:
        return [], [], "No allegation under an AD 2.26 clause is charged, so there is nothing to compare."
    if any(a.finding_id is None for a in allegations):
        return [], [], "Comparable cases are shown once every allegation has its finding."
    labels: dict[tuple[int, int], tuple[str, str]] = {}
    for a in allegations:
        assert a.clause is not None and a.finding is not None and a.clause_id and a.finding_id
        labels[(a.clause_id, a.finding_id)] = (a.clause.number, a.finding.name)
    pairs = sorted(labels)
    return pairs, sorted(labels.values()), ""


def comparable_query(case_id: int, pairs: list[tuple[int, int]], viewer: User | None) -> Any:
    """The one grouped query: each past subject whose clause allegations are exactly ``pairs`` and whose
    discipline was imposed, with its case, step, dates and whether ``viewer`` may open the case (None: all)."""
    first = aliased(Allegation)
    candidates = select(first.subject_id).where(first.clause_id == pairs[0][0], first.finding_id == pairs[0][1])
    matched = case(
        *[(and_(Allegation.clause_id == c, Allegation.finding_id == f), index) for index, (c, f) in enumerate(pairs)],
        else_=None,
    )
    charged_alike = (
        select(Allegation.subject_id, Allegation.case_id)
        .where(
            Allegation.subject_id.in_(candidates),
            Allegation.clause_id.is_not(None),
            Allegation.case_id != case_id,
        )
        .group_by(Allegation.subject_id, Allegation.case_id)
        .having(func.count() == func.count(matched), func.count(distinct(matched)) == len(pairs))
        .subquery("charged_alike")
    )
    visible = literal(True) if viewer is None else case((visible_to(viewer), True), else_=False)
    decided = func.coalesce(LaborAction.effective_on, LaborAction.decision_on)
    # a record sealed by retention is in the sealed history, which only an admin with a reason opens (issue 18)
    sealed = (
        select(DisciplineRecord.id)
        .where(
            DisciplineRecord.expunged_on.is_not(None),
            DisciplineRecord.case_id == Case.id,
            DisciplineRecord.employee_id == CaseSubject.employee_id,
        )
        .exists()
    )
    return (
        select(
            Case.id,
            Case.number,
            decided.label("decided_on"),
            LaborAction.imposed_step_id,
            LaborAction.imposed_suspension_days,
            visible.label("visible"),
        )
        .select_from(charged_alike)
        .join(LaborAction, LaborAction.subject_id == charged_alike.c.subject_id)
        .join(Case, Case.id == charged_alike.c.case_id)
        .join(CaseSubject, CaseSubject.id == charged_alike.c.subject_id)
        .where(LaborAction.imposed_step_id.is_not(None), ~sealed)
        .order_by(decided.desc(), Case.number.desc())
    )


def comparable_cases(case_: Case, subject: CaseSubject, viewer: User | None) -> Comparison:
    """The subject's comparison as ``viewer`` may see it (None: the internal packet, every case named)."""
    pairs, charge, incomplete = charged_pairs(subject)
    comparison = Comparison(charge, incomplete, comparison_settings())
    if not pairs:
        return comparison
    rows = db.session.execute(comparable_query(case_.id, pairs, viewer)).all()
    if not rows:
        return comparison
    ids = sorted({row[3] for row in rows})
    steps = {step.id: step for step in db.session.scalars(select(DisciplineStep).where(DisciplineStep.id.in_(ids)))}
    comparison.cases = [ComparableCase(row[0], row[1], row[2], steps[row[3]], row[4], bool(row[5])) for row in rows]
    return comparison

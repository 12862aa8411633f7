"""Seen before (issue 17, item 8): at intake, a post whose URL, or whose handle on the same platform, matches a
post of an earlier case is shown with that case's number and outcome, so the same post is not investigated twice
unknowingly. URLs and handles are compared by their keys (``post_keys``), indexed.

What the person is told depends on whether they may open the earlier case (``permissions.can_view_case``):
- they may: its number (a link), its state and its outcome: the findings, and the discipline imposed or
  proposed, or "open" while it is under investigation;
- they may not: only that an earlier case holds the post, and to ask a supervisor (supervisors see every case);
- a case about the person themselves is never mentioned at all (nobody learns of a case about themselves).

Showing the matches is audited (``post.seen_before_shown``) with the numbers shown and how many were not named;
the complaint or post saved afterwards records the same in its own audit event."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from project import permissions
from project.extensions import db
from project.models import (
    Allegation,
    Case,
    CaseState,
    CaseSubject,
    Clause,
    DirectiveVersion,
    DisciplineProposal,
    DisciplineStep,
    LaborAction,
    ReportedPost,
)
from project.services.audit import Actor, record_for
from project.services.casework.intake.post_keys import handle_key, url_key
from project.transaction import committing

ASK = "Ask a supervisor (supervisors see every case) before investigating it again."
MATCHES_READ = 20  # earlier posts read per check, newest first
UNDER_INVESTIGATION = (CaseState.INTAKE, CaseState.OPEN, CaseState.IN_REVIEW)


@dataclass(frozen=True)
class EarlierCase:
    number: str
    state: str
    matched_on: str  # "the post URL", "the handle @x on Facebook"
    outcome: str


@dataclass
class SeenBefore:
    shown: list[EarlierCase] = field(default_factory=list)
    not_shown: int = 0  # earlier cases the person may not open: said to exist, never named
    signature: str = ""  # of the keys checked: the form carries it back once the matches were shown

    def __bool__(self) -> bool:
        return bool(self.shown or self.not_shown)

    @property
    def ask(self) -> str:
        return ASK

    def audit_detail(self) -> dict[str, Any]:
        return {"shown": [c.number for c in self.shown], "not_shown": self.not_shown}


def _signature(keys: tuple[str | None, str, str | None]) -> str:
    return hashlib.sha256(repr(keys).encode()).hexdigest()[:32]


def _outcomes(cases: list[Case]) -> dict[int, str]:
    """Each earlier case's outcome: "open" while investigated, else its findings and discipline. Three reads for
    all the cases together, whatever their number."""
    states = {c.id: CaseState(c.state) for c in cases}
    outcomes = {i: f"open ({s.label.lower()})" for i, s in states.items() if s in UNDER_INVESTIGATION}
    decided = [c.id for c in cases if c.id not in outcomes]
    if not decided:
        return outcomes
    allegations = db.session.scalars(
        select(Allegation)
        .where(Allegation.case_id.in_(decided))
        .options(
            selectinload(Allegation.finding),
            selectinload(Allegation.directive),
            selectinload(Allegation.clause).selectinload(Clause.version).selectinload(DirectiveVersion.directive),
        )
        .order_by(Allegation.id)
    ).all()
    findings: dict[int, list[str]] = defaultdict(list)
    for a in allegations:
        findings[a.case_id].append(f"{a.citation}: {a.finding.name if a.finding else 'no finding'}")
    imposed = _steps_by_case(LaborAction, LaborAction.imposed_step_id, decided)
    proposed = _steps_by_case(DisciplineProposal, DisciplineProposal.proposed_step_id, decided)
    for case_id in decided:
        told = "; ".join(findings[case_id]) or "no allegation"
        if imposed[case_id]:
            outcomes[case_id] = f"{told}; discipline imposed: {', '.join(imposed[case_id])}"
        elif proposed[case_id]:
            outcomes[case_id] = f"{told}; discipline proposed: {', '.join(proposed[case_id])} (not imposed yet)"
        else:
            outcomes[case_id] = f"{told}; no discipline"
    return outcomes


def _steps_by_case(
    record: type[LaborAction] | type[DisciplineProposal], step_id: Any, case_ids: list[int]
) -> dict[int, list[str]]:
    """The discipline steps named by the subjects' labor actions (imposed) or proposals, by case, in order."""
    rows = db.session.execute(
        select(CaseSubject.case_id, DisciplineStep.name)
        .select_from(record)
        .join(CaseSubject, CaseSubject.id == record.subject_id)
        .join(DisciplineStep, DisciplineStep.id == step_id)
        .where(CaseSubject.case_id.in_(case_ids))
        .order_by(record.id)
    )
    steps: dict[int, list[str]] = defaultdict(list)
    for case_id, name in rows:
        steps[case_id].append(name)
    return steps


def seen_before(
    platform: str, url: str | None, handle: str | None, viewer: Any, case: Case | None = None
) -> SeenBefore:
    """The earlier cases whose posts match this post's URL or handle (``case``: the case it is added to, left
    out), as ``viewer`` may be told of them."""
    keys = (url_key(url), platform, handle_key(handle))
    result = SeenBefore(signature=_signature(keys))
    matches = []
    if keys[0]:
        matches.append(ReportedPost.url_key == keys[0])
    if keys[2]:
        matches.append(and_(ReportedPost.platform == platform, ReportedPost.handle_key == keys[2]))
    if not matches:
        return result
    query = (
        select(ReportedPost)
        .where(or_(*matches))
        .options(selectinload(ReportedPost.case).selectinload(Case.subjects).selectinload(CaseSubject.employee))
        .order_by(ReportedPost.id.desc())
        .limit(MATCHES_READ)
    )
    if case is not None:
        query = query.where(ReportedPost.case_id != case.id)
    seen: set[int] = set()
    shown: list[tuple[Case, str]] = []
    for post in db.session.scalars(query):
        earlier = post.case
        if earlier.id in seen or permissions.is_subject_of(viewer, earlier):
            continue
        seen.add(earlier.id)
        if not permissions.can_view_case(viewer, earlier):
            result.not_shown += 1
            continue
        matched_on = (
            "the post URL"
            if keys[0] and post.url_key == keys[0]
            else f"the handle {post.account_handle} on {post.platform_label}"
        )
        shown.append((earlier, matched_on))
    outcomes = _outcomes([earlier for earlier, _ in shown])
    result.shown = [EarlierCase(c.number, c.state, on, outcomes[c.id]) for c, on in shown]
    return result


def record_seen_before_shown(found: SeenBefore, actor: Actor, case: Case | None = None) -> None:
    """Audit that the matches were shown: who was told of which earlier cases (and how many not named)."""
    with committing("the intake check"):
        record_for(
            actor,
            "post.seen_before_shown",
            case_id=case.id if case is not None else None,
            object_type="post",
            detail=found.audit_detail(),
        )

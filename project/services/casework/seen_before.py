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
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select

from project import permissions
from project.extensions import db
from project.models import Allegation, Case, CaseState, CaseSubject, DisciplineProposal, LaborAction, ReportedPost
from project.services.audit import Actor, record_for
from project.services.casework.post_keys import handle_key, url_key
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


def _outcome(case: Case) -> str:
    """The earlier case's outcome: "open" while investigated, else its findings and discipline."""
    state = CaseState(case.state)
    if state in UNDER_INVESTIGATION:
        return f"open ({state.label.lower()})"
    allegations = db.session.scalars(
        select(Allegation).where(Allegation.case_id == case.id).order_by(Allegation.id)
    ).all()
    findings = (
        "; ".join(f"{a.citation}: {a.finding.name if a.finding else 'no finding'}" for a in allegations)
        or "no allegation"
    )
    subjects = select(CaseSubject.id).where(CaseSubject.case_id == case.id)
    imposed = [
        a.imposed_step.name
        for a in db.session.scalars(select(LaborAction).where(LaborAction.subject_id.in_(subjects)))
        if a.imposed_step is not None
    ]
    if imposed:
        return f"{findings}; discipline imposed: {', '.join(imposed)}"
    proposed = [
        p.proposed_step.name
        for p in db.session.scalars(select(DisciplineProposal).where(DisciplineProposal.subject_id.in_(subjects)))
    ]
    if proposed:
        return f"{findings}; discipline proposed: {', '.join(proposed)} (not imposed yet)"
    return f"{findings}; no discipline"


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
    query = select(ReportedPost).where(or_(*matches)).order_by(ReportedPost.id.desc()).limit(MATCHES_READ)
    if case is not None:
        query = query.where(ReportedPost.case_id != case.id)
    seen: set[int] = set()
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
        result.shown.append(EarlierCase(earlier.number, earlier.state, matched_on, _outcome(earlier)))
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

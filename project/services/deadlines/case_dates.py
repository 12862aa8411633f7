"""The dates of many cases that start or meet their clocks, read in one statement: each case's standing
approval, its first approval or closing, the first sighting of its posts and its newest release notice.

They were five grouped queries, each a round trip and a statement to build, on every page that shows a
deadline (issue 19): now they are the arms of one UNION ALL, each still answered by its own index."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Date, cast, func, literal, null, select, union_all

from project import clock
from project.extensions import db
from project.models import Case, CaseState, CaseTransition, ReleaseNotice, ReportedPost, Review, ReviewDecision


@dataclass(frozen=True)
class CaseDates:
    """Local dates by case id."""

    approved: dict[int, date] = field(default_factory=dict)  # the standing approval (on the current version)
    first_decided: dict[int, date] = field(default_factory=dict)  # first approval, standing or not, or closing
    knew: dict[int, date] = field(default_factory=dict)  # received, or the earliest post first seen if earlier
    newest_notice: dict[int, date] = field(default_factory=dict)  # the newest release notice


def case_ids(cases: Any) -> Any:
    """The ids of the cases meeting ``cases``, for ``IN``: the engine reads them once (by the state index for
    the open cases) and then looks each case's rows up by its index, instead of reading a whole table of
    events to join to them."""
    return select(Case.id).where(cases)


def case_dates(cases: Any, received: dict[int, Any]) -> CaseDates:
    """The dates of the cases meeting the condition ``cases``; ``received``: their received times, by id."""
    not_returned = Review.decision != ReviewDecision.RETURNED.value
    arms = [
        select(literal("approved"), Review.case_id, func.max(Review.decided_at), cast(null(), Date))
        .join(Case, Case.id == Review.case_id)
        .where(cases, not_returned, Review.voided_at.is_(None), Review.content_version == Case.content_version)
        .group_by(Review.case_id),
        select(literal("first_approved"), Review.case_id, func.min(Review.decided_at), null())
        .join(Case, Case.id == Review.case_id)
        .where(cases, not_returned)
        .group_by(Review.case_id),
        select(literal("closed"), CaseTransition.case_id, func.min(CaseTransition.occurred_at), null())
        .where(CaseTransition.case_id.in_(case_ids(cases)), CaseTransition.to_state == CaseState.CLOSED.value)
        .group_by(CaseTransition.case_id),
        select(literal("seen"), ReportedPost.case_id, func.min(ReportedPost.first_seen_at), null())
        .where(ReportedPost.case_id.in_(case_ids(cases)))
        .group_by(ReportedPost.case_id),
        select(literal("notice"), ReleaseNotice.case_id, null(), func.max(ReleaseNotice.notified_on))
        .join(Case, Case.id == ReleaseNotice.case_id)
        .where(cases)
        .group_by(ReleaseNotice.case_id),
    ]
    by_kind: dict[str, dict[int, date]] = {"approved": {}, "first_approved": {}, "closed": {}, "seen": {}}
    newest_notice: dict[int, date] = {}
    for kind, case_id, at, on in db.session.execute(union_all(*arms)):
        if kind == "notice" and on is not None:
            newest_notice[case_id] = on
        elif at is not None:
            by_kind[kind][case_id] = clock.local_date(at)
    approvals, closings, seen = by_kind["first_approved"], by_kind["closed"], by_kind["seen"]
    knew = {case_id: clock.local_date(at) for case_id, at in received.items()}
    return CaseDates(
        approved=by_kind["approved"],
        first_decided={
            case_id: min(d for d in (approvals.get(case_id), closings.get(case_id)) if d)
            for case_id in {*approvals, *closings}
        },
        knew={case_id: min(day, seen.get(case_id, day)) for case_id, day in knew.items()},
        newest_notice=newest_notice,
    )

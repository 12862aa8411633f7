"""Legal holds (issue 18, item 5): a hold on a case, placed and lifted by an administrator or a supervisor
with a reason, stops every retention action on the case's records while it stands. Both moves are audited."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import Case, LegalHold
from project.services.audit import Actor, record_for
from project.services.errors import InvalidInput
from project.transaction import committing

MAX_REASON = 2_000


def _reason(text: str, field: str = "reason") -> str:
    reason = text.strip()
    if not reason:
        raise InvalidInput({field: "Give the reason; it is kept with the hold and in the audit trail."})
    if len(reason) > MAX_REASON:
        raise InvalidInput({field: f"The reason is longer than {MAX_REASON} characters."})
    return reason


def active_hold(case_id: int) -> LegalHold | None:
    query = select(LegalHold).where(LegalHold.case_id == case_id, LegalHold.lifted_at.is_(None))
    return db.session.scalars(query.order_by(LegalHold.id)).first()


def held_case_ids(case_ids: Iterable[int]) -> dict[int, LegalHold]:
    """The standing hold of each case in ``case_ids`` that has one."""
    wanted = sorted(set(case_ids))
    if not wanted:
        return {}
    query = select(LegalHold).where(LegalHold.case_id.in_(wanted), LegalHold.lifted_at.is_(None))
    return {hold.case_id: hold for hold in db.session.scalars(query.order_by(LegalHold.id.desc()))}


def active_holds() -> list[LegalHold]:
    query = select(LegalHold).where(LegalHold.lifted_at.is_(None)).order_by(LegalHold.placed_at, LegalHold.id)
    return list(db.session.scalars(query))


def place_hold(case: Case, reason: str, actor: Actor) -> LegalHold:
    permissions.require(permissions.can_set_legal_hold(actor.user), "Only an administrator or a supervisor holds.")
    text = _reason(reason)
    if active_hold(case.id) is not None:
        raise InvalidInput({"reason": f"{case.number} is already on legal hold."})
    with committing("the legal hold"):
        hold = LegalHold(case_id=case.id, reason=text, placed_by_id=actor.user.id, placed_at=clock.now())
        db.session.add(hold)
        db.session.flush()
        record_for(
            actor,
            "legal_hold.placed",
            case_id=case.id,
            object_type="legal_hold",
            object_id=hold.id,
            detail={"reason": text},
        )
    return hold


def lift_hold(case: Case, reason: str, actor: Actor) -> LegalHold:
    permissions.require(permissions.can_set_legal_hold(actor.user), "Only an administrator or a supervisor lifts.")
    text = _reason(reason, "lift_reason")
    hold = active_hold(case.id)
    if hold is None:
        raise InvalidInput({"lift_reason": f"{case.number} is not on legal hold."})
    with committing("the legal hold"):
        hold.lifted_at, hold.lifted_by_id, hold.lift_reason = clock.now(), actor.user.id, text
        record_for(
            actor,
            "legal_hold.lifted",
            case_id=case.id,
            object_type="legal_hold",
            object_id=hold.id,
            detail={"reason": text, "placed_for": hold.reason},
        )
    return hold

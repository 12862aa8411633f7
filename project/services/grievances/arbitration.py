"""Arbitration and agreements: the demand for arbitration after the last step, the arbitrator and the hearing,
the award (upheld, modified or overturned) with back pay and the award document (an exhibit of the case),
and a settlement or last-chance agreement with its terms and expiry. An award or agreement that changes the
penalty keeps the discipline as imposed and adds it as modified, through ``discipline`` (the one place the
record is changed), in the same transaction as the grievance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from project import clock
from project.extensions import db
from project.models import Agreement as AgreementRecord
from project.models import (
    AgreementKind,
    Arbitration,
    Award,
    Case,
    Exhibit,
    Grievance,
    GrievanceState,
)
from project.services import discipline, evidence
from project.services.audit import Actor
from project.services.errors import InvalidInput
from project.services.grievances.checks import (
    MAX_NAME,
    audit,
    check_day,
    check_text,
    checked_grievance,
    discipline_record_of,
    procedure_for,
    require_grievance_work,
    snapshot,
    touch,
)
from project.transaction import committing


@dataclass(frozen=True)
class ArbitrationInput:
    """The demand for arbitration and what is known of it (field names are the form's)."""

    demanded_on: date | None
    arbitrator: str = ""
    hearing_on: date | None = None
    last_hearing_on: date | None = None


@dataclass(frozen=True)
class AwardInput:
    """The award: upheld, modified (the step and days that stand instead) or overturned; its date, the back
    pay in dollars as written (``"1,234.50"``), a summary, and the number of the exhibit holding the award."""

    award: str
    award_on: date | None
    summary: str
    back_pay: str = ""
    exhibit_number: int | None = None
    step: str = ""
    suspension_days: int | None = None


@dataclass(frozen=True)
class AgreementInput:
    """A settlement or last-chance agreement; ``step``/``suspension_days`` or ``rescinded`` when it changes the
    penalty (leave both empty when the penalty stands)."""

    kind: str
    signed_on: date | None
    terms: str
    expires_on: date | None = None
    rescinded: bool = False
    step: str = ""
    suspension_days: int | None = None


def demand_arbitration(
    case: Case, grievance: Grievance, entry: ArbitrationInput, actor: Actor, expected_version: int | None
) -> Arbitration:
    """Take a grievance denied at the unit's last step to arbitration, or record the arbitrator and hearing
    dates of one already there."""
    require_grievance_work(case, actor)
    checked_grievance(case, grievance, expected_version)
    procedure = procedure_for(grievance.subject)
    step = grievance.current_step
    arbitration = grievance.arbitration
    errors: dict[str, str] = {}
    legacy = arbitration is None and grievance.before_tracking and grievance.state == GrievanceState.ARBITRATION
    if arbitration is None and not legacy:  # a grievance kept at arbitration before tracking has no row yet
        if grievance.state != GrievanceState.OPEN or step is None or step.decision is None:
            errors["demanded_on"] = "Arbitration follows the decision of the last grievance step."
        elif step.number < len(procedure.steps):
            errors["demanded_on"] = f"The grievance is at {step.name}: appeal to the next step first."
    elif grievance.state != GrievanceState.ARBITRATION:
        errors["demanded_on"] = "This arbitration is over."
    after = step.decision_on if step is not None else grievance.filed_on
    check_day(errors, "demanded_on", entry.demanded_on, "the day of the demand", required=True, after=after)
    check_day(errors, "hearing_on", entry.hearing_on, "the first hearing day", required=False, after=entry.demanded_on)
    check_day(
        errors,
        "last_hearing_on",
        entry.last_hearing_on,
        "the last hearing day",
        required=False,
        after=entry.hearing_on or entry.demanded_on,
    )
    if entry.last_hearing_on is not None and entry.hearing_on is None:
        errors["hearing_on"] = "Give the first hearing day as well."
    arbitrator = check_text(errors, "arbitrator", entry.arbitrator, MAX_NAME)
    if errors:
        raise InvalidInput(errors)
    assert entry.demanded_on is not None
    before = snapshot(grievance)
    with committing("this grievance"):
        if arbitration is None:
            arbitration = Arbitration(grievance=grievance, demanded_on=entry.demanded_on, demand_due_on=None)
            arbitration.demand_due_on = step.appeal_due_on if step is not None else None
            db.session.add(arbitration)
            grievance.state = GrievanceState.ARBITRATION.value
        arbitration.demanded_on = entry.demanded_on
        arbitration.arbitrator = arbitrator
        arbitration.hearing_on, arbitration.last_hearing_on = entry.hearing_on, entry.last_hearing_on
        touch(grievance, actor)
        audit(actor, "grievance.arbitration_recorded", grievance, before)
    return arbitration


def back_pay_cents(text: str) -> int | None:
    """``"1,234.50"`` or ``"$1234.5"`` as cents; empty as None; ``ValueError`` for anything else."""
    cleaned = (text or "").strip().replace(",", "").removeprefix("$").strip()
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount > 10**9:
        raise ValueError(text)
    return int(amount * 100)


def _modification(
    source: str, on: date | None, reason: str, rescinded: bool, step: str, days: int | None
) -> discipline.RecordModificationInput:
    return discipline.RecordModificationInput(
        source=source, modified_on=on, reason=reason, rescinded=rescinded, step=step, suspension_days=days
    )


def _award_checked(
    case: Case, arbitration: Arbitration, entry: AwardInput
) -> tuple[dict[str, str], str, int | None, Exhibit | None]:
    """The award's errors by field, its summary, the back pay in cents and the award document's exhibit."""
    errors: dict[str, str] = {}
    if entry.award not in {a.value for a in Award}:
        errors["award"] = "Choose the award: upheld, modified or overturned."
    check_day(
        errors,
        "award_on",
        entry.award_on,
        "the day of the award",
        required=True,
        after=arbitration.last_hearing_on or arbitration.hearing_on or arbitration.demanded_on,
    )
    summary = check_text(errors, "summary", entry.summary)
    if not summary:
        errors["summary"] = "Summarise the award; it is kept with the record as the reason for any change."
    try:
        cents = back_pay_cents(entry.back_pay)
    except ValueError:
        errors["back_pay"] = "Give the back pay in dollars and cents (for example 1,234.50), or leave it empty."
        cents = None
    exhibit = evidence.exhibit_of(case, entry.exhibit_number) if entry.exhibit_number is not None else None
    if entry.exhibit_number is not None and exhibit is None:
        errors["exhibit_number"] = f"Case {case.number} has no exhibit {entry.exhibit_number}."
    if entry.award == Award.MODIFIED and not entry.step:
        errors["step"] = "A modified award needs the step that stands instead."
    if entry.award != Award.MODIFIED and (entry.step or entry.suspension_days):
        errors["step"] = "Only a modified award names the step that stands instead."
    return errors, summary, cents, exhibit


def record_award(
    case: Case, grievance: Grievance, entry: AwardInput, actor: Actor, expected_version: int | None
) -> Arbitration:
    """Record the arbitrator's award and end the grievance. A modified award adds the step and days that now
    stand; an overturned one rescinds the discipline; the discipline as imposed stays on the record."""
    require_grievance_work(case, actor)
    checked_grievance(case, grievance, expected_version)
    arbitration = grievance.arbitration
    if arbitration is None or grievance.state != GrievanceState.ARBITRATION:
        raise InvalidInput({"award": "Record the demand for arbitration first."})
    errors, summary, cents, exhibit = _award_checked(case, arbitration, entry)
    changes = entry.award in (Award.MODIFIED, Award.OVERTURNED)
    record = discipline_record_of(case, grievance.subject)
    if changes and record is None:
        errors["award"] = "No discipline is on record for this case (no effective date) for the award to change."
    modification = _modification(
        "award",
        entry.award_on,
        f"Arbitration award: {summary}",
        entry.award == Award.OVERTURNED,
        entry.step,
        entry.suspension_days,
    )
    if changes and record is not None and not errors:
        discipline.check_record_modification(record, modification, actor)
    if errors:
        raise InvalidInput(errors)
    before = snapshot(grievance)
    with committing("this grievance"):
        arbitration.award, arbitration.award_on, arbitration.award_summary = entry.award, entry.award_on, summary
        arbitration.back_pay_cents, arbitration.award_exhibit = cents, exhibit
        grievance.state, grievance.closed_on = GrievanceState.RESOLVED.value, entry.award_on
        if changes and record is not None:
            discipline.apply_record_modification(record, modification, actor)
        touch(grievance, actor)
        audit(actor, "grievance.award_recorded", grievance, before)
    return arbitration


def record_agreement(
    case: Case, grievance: Grievance, entry: AgreementInput, actor: Actor, expected_version: int | None
) -> AgreementRecord:
    """A settlement or last-chance agreement ends the open grievance (at a step or at arbitration); one that
    changes the penalty adds the penalty as modified beside the one imposed."""
    require_grievance_work(case, actor)
    checked_grievance(case, grievance, expected_version)
    errors: dict[str, str] = {}
    if not grievance.is_open:
        errors["kind"] = "This grievance is not open."
    if entry.kind not in {k.value for k in AgreementKind}:
        errors["kind"] = "Choose a settlement or a last-chance agreement."
    check_day(errors, "signed_on", entry.signed_on, "the day it was signed", required=True, after=grievance.filed_on)
    if entry.expires_on is not None and entry.signed_on is not None and entry.expires_on < entry.signed_on:
        errors["expires_on"] = "The agreement cannot expire before it was signed."
    if entry.kind == AgreementKind.LAST_CHANCE and entry.expires_on is None:
        errors["expires_on"] = "A last-chance agreement needs the day its conditions expire."
    terms = check_text(errors, "terms", entry.terms)
    if not terms:
        errors["terms"] = "Give the terms of the agreement."
    changes = entry.rescinded or bool(entry.step)
    record = discipline_record_of(case, grievance.subject)
    if changes and record is None:
        errors["step"] = "No discipline is on record for this case (no effective date) for the agreement to change."
    label = AgreementKind(entry.kind).label if "kind" not in errors else "Agreement"
    modification = _modification(
        "settlement", entry.signed_on, f"{label}: {terms}", entry.rescinded, entry.step, entry.suspension_days
    )
    if changes and record is not None and not errors:
        discipline.check_record_modification(record, modification, actor)
    if errors:
        raise InvalidInput(errors)
    assert entry.signed_on is not None
    before = snapshot(grievance)
    with committing("this grievance"):
        agreement = AgreementRecord(
            grievance=grievance,
            kind=entry.kind,
            signed_on=entry.signed_on,
            terms=terms,
            expires_on=entry.expires_on,
            recorded_by_id=actor.user.id,
            recorded_at=clock.now(),
        )
        db.session.add(agreement)
        grievance.state, grievance.closed_on = GrievanceState.SETTLED.value, entry.signed_on
        if changes and record is not None:
            discipline.apply_record_modification(record, modification, actor)
        touch(grievance, actor)
        audit(actor, "grievance.agreement_recorded", grievance, before)
    return agreement

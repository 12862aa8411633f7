"""Framing allegations against a subject under a cited provision, and recording findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import (
    Allegation,
    Case,
    CaseSubject,
    Clause,
    Directive,
    DirectiveReference,
    Exhibit,
    FindingCategory,
    ReportedPost,
)
from project.services.audit import Actor, record_for
from project.services.casework.findings.charges import chargeable_clauses, charged_post, check_chargeable
from project.services.casework.findings.elements import ElementAnswer, check_answers, element_codes, save_answers
from project.services.casework.findings.speech_rules import check_screened
from project.services.casework.review.life_cycle import content_changed
from project.services.errors import InvalidInput, check_version
from project.transaction import committing

MAX_REASONING = 20_000


def citable_clauses() -> list[Clause]:
    """Clauses an allegation can cite, of every version: the prohibitions (``kind`` in the seed file). Which
    version applies to a post is ``chargeable_clauses(post)``."""
    return chargeable_clauses(None)


def citable_directives() -> list[Directive]:
    """Directives cited as authority by a versioned directive (AD 2.26 section 2)."""
    directives = db.session.scalars(select(Directive).where(Directive.id.in_(select(DirectiveReference.directive_id))))
    return sorted(directives, key=lambda directive: directive.sort_key)


def finding_categories() -> list[FindingCategory]:
    return list(db.session.scalars(select(FindingCategory).order_by(FindingCategory.position)))


def _provision(case: Case, citation: str, post: ReportedPost | None) -> dict[str, int]:
    """``clause:ID`` or ``directive:ID`` from a form, checked against the catalogue: a clause must be a
    prohibition of the version in force on the post's date."""
    kind, _, raw_id = citation.partition(":")
    if raw_id.isdigit():
        if kind == "clause":
            clause = db.session.get(Clause, int(raw_id))
            if clause is not None:
                check_chargeable(case, clause, post)
                return {"clause_id": clause.id}
        if kind == "directive" and int(raw_id) in {d.id for d in citable_directives()}:
            return {"directive_id": int(raw_id)}
    raise InvalidInput({"citation": "Choose a clause of AD 2.26 or a directive it cites."})


def _exhibits(case: Case, exhibit_ids: list[int], cited: list[Exhibit] | None = None) -> list[Exhibit]:
    """The supporting exhibits by id: of this case, and not withdrawn, unless the allegation already cites
    it (``cited``): a citation made before the withdrawal stays, a new one is refused."""
    if not exhibit_ids:
        return []
    exhibits = list(db.session.scalars(select(Exhibit).where(Exhibit.id.in_(exhibit_ids), Exhibit.case_id == case.id)))
    if len(exhibits) != len(set(exhibit_ids)):
        raise InvalidInput({"exhibits": "Only exhibits of this case can support its allegations."})
    kept = {e.id for e in cited or []}
    withdrawn = [e.label for e in exhibits if e.is_withdrawn and e.id not in kept]
    if withdrawn:
        raise InvalidInput({"exhibits": f"{', '.join(withdrawn)} was withdrawn from the case: it cannot be cited."})
    return exhibits


@dataclass(frozen=True)
class AllegationInput:
    """An allegation as the allegation form gives it (the field names are the form's): the provision cited
    (``clause:<id>`` or ``directive:<number>``), the reasoning, the ids of the supporting exhibits, and the
    post charged (``None``: the case's only post)."""

    citation: str
    reasoning: str = ""
    exhibits: list[int] = field(default_factory=list)
    post_id: int | None = None


@dataclass(frozen=True)
class FindingInput:
    """A finding as the finding form gives it: the finding's code (empty: none yet), the reasoning that
    supports it, the ids of the supporting exhibits, and the answer to each element of the cited clause."""

    finding: str
    reasoning: str = ""
    exhibits: list[int] = field(default_factory=list)
    answers: tuple[ElementAnswer, ...] = ()


def frame_allegation(case: Case, subject: CaseSubject, entry: AllegationInput, actor: Actor) -> Allegation:
    permissions.require(permissions.can_edit_case(actor.user, case))
    citation, reasoning, exhibit_ids = entry.citation, entry.reasoning, entry.exhibits
    if subject.case_id != case.id:
        raise InvalidInput({"subject": "Choose a subject of this case."})
    if len(reasoning) > MAX_REASONING:
        raise InvalidInput({"reasoning": f"The reasoning is at most {MAX_REASONING:,} characters."})
    post = charged_post(case, entry.post_id)
    provision = _provision(case, citation, post)
    duplicate = db.session.scalars(
        select(Allegation).filter_by(subject_id=subject.id, post_id=post.id if post else None, **provision)
    ).first()
    if duplicate is not None:
        raise InvalidInput(
            {
                "citation": f"{subject.employee.display_name} already has an allegation under {duplicate.citation}"
                + (" for this post." if post else ".")
            }
        )
    with committing("this allegation"):
        allegation = Allegation(
            case_id=case.id,
            subject_id=subject.id,
            reasoning=reasoning.strip(),
            created_by_id=actor.user.id,
            created_at=clock.now(),
            post_id=post.id if post else None,
            **provision,
        )
        allegation.exhibits = _exhibits(case, exhibit_ids)
        db.session.add(allegation)
        db.session.flush()
        content_changed(case, actor, "allegation framed")
        record_for(
            actor,
            "allegation.framed",
            case_id=case.id,
            object_type="allegation",
            object_id=allegation.id,
            detail={
                "citation": allegation.citation,
                "subject": subject.employee.employee_number,
                "post": post.id if post else None,
                "exhibits": sorted(e.number for e in allegation.exhibits),
            },
        )
    return allegation


def record_finding(
    case: Case, allegation: Allegation, entry: FindingInput, actor: Actor, expected_version: int | None
) -> None:
    """Write the reasoning, the supporting exhibits and the finding of an allegation."""
    finding_code, reasoning, exhibit_ids = entry.finding, entry.reasoning, entry.exhibits
    permissions.require(permissions.can_edit_case(actor.user, case) and allegation.case_id == case.id)
    check_version(allegation.row_version, expected_version, "this allegation")
    finding = None
    if finding_code:
        finding = db.session.scalars(select(FindingCategory).where(FindingCategory.code == finding_code)).first()
        if finding is None:
            raise InvalidInput({"finding": "Choose a finding from the list."})
        if not reasoning.strip():
            raise InvalidInput({"reasoning": "A finding needs the reasoning that supports it."})
    if len(reasoning) > MAX_REASONING:
        raise InvalidInput({"reasoning": f"The reasoning is at most {MAX_REASONING:,} characters."})
    answers = check_answers(allegation, finding, entry.answers)
    if finding is not None:
        check_screened(allegation)  # AD 2.26 section 5.b: the protected-speech screen comes first
    with committing("this allegation"):
        before = {
            "finding": allegation.finding.code if allegation.finding else None,
            "reasoning": allegation.reasoning,
            "elements": element_codes(allegation),
        }
        elements = save_answers(allegation, answers)
        allegation.reasoning = reasoning.strip()
        allegation.exhibits = _exhibits(case, exhibit_ids, list(allegation.exhibits))
        if (finding.id if finding else None) != allegation.finding_id:
            allegation.finding = finding
            allegation.finding_recorded_at = clock.now() if finding else None
            allegation.finding_recorded_by_id = actor.user.id if finding else None
        content_changed(case, actor, "finding recorded")
        record_for(
            actor,
            "allegation.finding_recorded",
            case_id=case.id,
            object_type="allegation",
            object_id=allegation.id,
            detail={
                "before": before,
                "after": {
                    "finding": finding.code if finding else None,
                    "reasoning": allegation.reasoning,
                    "elements": elements,
                },
            },
        )


def allegation_of_case(case: Case, allegation_id: int) -> Allegation | None:
    allegation = db.session.get(Allegation, allegation_id)
    return allegation if allegation is not None and allegation.case_id == case.id else None


def allegations_of_case(case: Case) -> list[Allegation]:
    return list(db.session.scalars(select(Allegation).where(Allegation.case_id == case.id).order_by(Allegation.id)))

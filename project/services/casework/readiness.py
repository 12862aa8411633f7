"""Whether a case is complete enough to go to review, in the words the investigator will read."""

from __future__ import annotations

from sqlalchemy import select

from project.extensions import db
from project.models import Allegation, Case, CaseSubject, DisciplineProposal
from project.services.casework.elements import element_problem


def allegations_of(subject: CaseSubject) -> list[Allegation]:
    query = select(Allegation).where(Allegation.subject_id == subject.id).order_by(Allegation.id)
    return list(db.session.scalars(query))


def sustained_allegations(case: Case) -> list[Allegation]:
    return [
        allegation
        for allegation in db.session.scalars(select(Allegation).where(Allegation.case_id == case.id))
        if allegation.finding is not None and allegation.finding.supports_discipline
    ]


def proposal_of(subject: CaseSubject) -> DisciplineProposal | None:
    return db.session.scalars(select(DisciplineProposal).where(DisciplineProposal.subject_id == subject.id)).first()


def submission_problems(case: Case) -> list[str]:
    """Everything that stops a submission; empty when the case may go to review."""
    if not case.subjects:
        return ["Link at least one subject employee."]
    problems = []
    for subject in case.subjects:
        name = subject.employee.display_name
        allegations = allegations_of(subject)
        if not allegations:
            problems.append(f"{name} has no allegation.")
        for allegation in allegations:
            if allegation.finding is None:
                problems.append(f"The allegation under {allegation.citation} against {name} has no finding.")
            elif (problem := element_problem(allegation)) is not None:
                problems.append(problem)
        sustained = any(a.finding is not None and a.finding.supports_discipline for a in allegations)
        proposal = proposal_of(subject)
        if sustained and proposal is None:
            problems.append(f"Propose a discipline step for {name}.")
        if not sustained and proposal is not None and proposal.proposed_step.is_discipline:
            problems.append(f"{name} has no sustained allegation, so no discipline can be proposed.")
    return problems

"""Whether a case is complete enough to go to review, in the words the investigator will read."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from project.extensions import db
from project.models import (
    Allegation,
    Case,
    CaseSubject,
    DisciplineProposal,
    Interview,
    InterviewKind,
    SubjectNotInterviewed,
)
from project.services.casework.findings.elements import element_problem

NEVER_INTERVIEWED = (
    "{name} has a sustained finding but was never interviewed: record a completed administrative interview "
    "(Garrity warning given and acknowledged), or why there was none (declined, unavailable or separated)."
)


@dataclass
class InterviewStanding:
    """Whether a subject with a sustained finding was interviewed: the completed administrative interviews, or
    the investigator's record of why there was none."""

    subject: CaseSubject
    interviews: list[Interview] = field(default_factory=list)
    not_interviewed: SubjectNotInterviewed | None = None

    @property
    def met(self) -> bool:
        return bool(self.interviews) or self.not_interviewed is not None


def interview_standing(case: Case) -> list[InterviewStanding]:
    """Each subject with a sustained finding, with their completed administrative interviews or why none."""
    sustained = {a.subject_id for a in sustained_allegations(case)}
    standing = {s.id: InterviewStanding(s) for s in case.subjects if s.id in sustained}
    held = (
        select(Interview)
        .where(Interview.case_id == case.id, Interview.kind == InterviewKind.ADMINISTRATIVE.value)
        .order_by(Interview.held_at, Interview.id)
    )
    for interview in db.session.scalars(held):
        if interview.subject_id in standing and interview.completed_administrative:
            standing[interview.subject_id].interviews.append(interview)
    reasons = select(SubjectNotInterviewed).where(SubjectNotInterviewed.case_id == case.id)
    for reason in db.session.scalars(reasons):
        if reason.subject_id in standing:
            standing[reason.subject_id].not_interviewed = reason
    return list(standing.values())


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
    unmet = {standing.subject.id for standing in interview_standing(case) if not standing.met}
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
        if subject.id in unmet:
            problems.append(NEVER_INTERVIEWED.format(name=name))
        if not sustained and proposal is not None and proposal.proposed_step.is_discipline:
            problems.append(f"{name} has no sustained allegation, so no discipline can be proposed.")
    return problems

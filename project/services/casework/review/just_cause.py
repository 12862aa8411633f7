"""The seven tests of just cause, answered by the reviewing supervisor for each subject, with the mitigating
and aggravating factors. The tests are the common arbitral standard (Daugherty, Enterprise Wire Co., 46 LA 359
(1966)), not directive text. "Notice of the rule" starts from the employee's acknowledgement of AD 2.26 on the
roster."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import JUST_CAUSE_TESTS, Case, CaseSubject, JustCauseAnswer, JustCauseAssessment, Review
from project.services.audit import Actor, record_for
from project.services.casework.review.readiness import allegations_of, proposal_of
from project.services.casework.review.review_history import modifications_in_review, review_cycle_start
from project.services.errors import InvalidInput
from project.transaction import committing

STANDARD = (
    "The seven tests of just cause: the common arbitral standard (Daugherty, Enterprise Wire Co., 46 LA 359 "
    "(1966)), not the text of AD 2.26 or AD 2.6."
)
TESTS = {
    "notice": ("Notice of the rule", "Did the employee know of the rule and the consequence of breaking it?"),
    "reasonable_rule": ("Reasonable rule", "Is the rule reasonably related to the department's safe and orderly work?"),
    "investigation_before": ("Investigation before discipline", "Was it investigated before discipline was decided?"),
    "fair_investigation": ("Fair investigation", "Was the investigation fair and objective?"),
    "substantial_evidence": ("Substantial evidence", "Is there substantial evidence that the employee did it?"),
    "equal_treatment": ("Equal treatment", "Were comparable cases treated the same way?"),
    "proportionate_penalty": (
        "Proportionate penalty",
        "Is the penalty proportionate to the offence and the employee's record?",
    ),
}
assert tuple(TESTS) == JUST_CAUSE_TESTS
MAX_REASON = 2_000
MAX_FACTORS = 10_000


@dataclass(frozen=True)
class TestAnswer:
    test: str
    met: bool | None
    reason: str = ""


@dataclass(frozen=True)
class JustCauseInput:
    """The just-cause form: an answer to each test, and the factors, one per line."""

    answers: tuple[TestAnswer, ...] = ()
    mitigating: str = ""
    aggravating: str = ""


def notice_on_record(subject: CaseSubject) -> tuple[bool | None, str]:
    """What the roster says of notice of the rule: the answer and reason the form starts from. Notice counts at
    the time of the earliest post charged: an acknowledgement signed later leaves the test unanswered."""
    acknowledged = subject.employee.ad_2_26_acknowledged_on
    if acknowledged is None:
        return None, "no acknowledgement on record"
    posted = [a.post.posted_at for a in allegations_of(subject) if a.post is not None and a.post.posted_at]
    first_post = min(posted).astimezone(clock.zone()).date() if posted else None
    if first_post is not None and acknowledged > first_post:
        return None, (
            f"acknowledged AD 2.26 on {acknowledged.isoformat()}, after the post of {first_post.isoformat()}: "
            "no notice on record at the time of the post"
        )
    return True, f"acknowledged AD 2.26 on {acknowledged.isoformat()}"


def effective_step_is_discipline(case: Case, subject: CaseSubject) -> bool:
    """Whether the discipline the review stands on is discipline (not counseling): the supervisor's last
    modification at this review, else the investigator's proposal."""
    modifications = modifications_in_review(case, subject)
    if modifications:
        return modifications[-1].step.is_discipline
    proposal = proposal_of(subject)
    return proposal is not None and proposal.proposed_step.is_discipline


def needs_just_cause(case: Case, subject: CaseSubject) -> bool:
    """A sustained finding with discipline needs the seven tests answered before approval."""
    sustained = any(a.finding is not None and a.finding.supports_discipline for a in allegations_of(subject))
    return sustained and effective_step_is_discipline(case, subject)


def current_just_cause(case: Case, subject: CaseSubject) -> JustCauseAssessment | None:
    """The newest answers recorded for the subject in the review cycle the case is in, if any."""
    start = review_cycle_start(case)
    if start is None:
        return None
    return db.session.scalars(
        select(JustCauseAssessment)
        .where(
            JustCauseAssessment.subject_id == subject.id,
            JustCauseAssessment.approval_id.is_(None),
            JustCauseAssessment.recorded_at >= start.occurred_at,
        )
        .order_by(JustCauseAssessment.recorded_at.desc(), JustCauseAssessment.id.desc())
    ).first()


def just_cause_of_approval(approval: Review | None) -> dict[int, JustCauseAssessment]:
    """The answers an approval relied on, by subject id."""
    if approval is None:
        return {}
    rows = db.session.scalars(select(JustCauseAssessment).where(JustCauseAssessment.approval_id == approval.id))
    return {row.subject_id: row for row in rows}


def _checked(entry: JustCauseInput) -> list[TestAnswer]:
    given = {a.test: a for a in entry.answers}
    errors: dict[str, str] = {}
    if set(given) - set(TESTS):
        errors["answers"] = "Answer only the seven tests of just cause."
    answers = []
    for test, (label, _) in TESTS.items():
        answer = given.get(test, TestAnswer(test, None))
        reason = answer.reason.strip()
        if answer.met is None:
            errors[test] = f"Answer yes or no: {label}."
        elif not reason:
            errors[f"{test}_reason"] = f"Give a short reason for {label.lower()}."
        elif len(reason) > MAX_REASON:
            errors[f"{test}_reason"] = f"A reason is at most {MAX_REASON:,} characters."
        answers.append(TestAnswer(test, answer.met, reason))
    for name in ("mitigating", "aggravating"):
        if len(getattr(entry, name)) > MAX_FACTORS:
            errors[name] = f"The {name} factors are at most {MAX_FACTORS:,} characters."
    if errors:
        raise InvalidInput(errors)
    return answers


def _factors(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def record_just_cause(case: Case, subject: CaseSubject, entry: JustCauseInput, actor: Actor) -> JustCauseAssessment:
    """Record the reviewing supervisor's answers for one subject; a later record in the same review replaces it
    (both are kept)."""
    permissions.require(permissions.can_review(actor.user, case), "Only the reviewing supervisor answers just cause.")
    if subject.case_id != case.id:
        raise InvalidInput({"subject": "Choose a subject of this case."})
    answers = _checked(entry)
    with committing("the just-cause answers"):
        assessment = JustCauseAssessment(
            subject_id=subject.id,
            mitigating=_factors(entry.mitigating),
            aggravating=_factors(entry.aggravating),
            recorded_by_id=actor.user.id,
            recorded_at=clock.now(),
            content_version=case.content_version,
        )
        assessment.answers = [
            JustCauseAnswer(test=a.test, position=i, met=a.met, reason=a.reason) for i, a in enumerate(answers)
        ]
        db.session.add(assessment)
        db.session.flush()
        record_for(
            actor,
            "review.just_cause_recorded",
            case_id=case.id,
            object_type="case_subject",
            object_id=subject.id,
            detail={
                "subject": subject.employee.employee_number,
                "content_version": case.content_version,
                "answers": {a.test: {"met": a.met, "reason": a.reason} for a in answers},
                "mitigating": assessment.mitigating_factors,
                "aggravating": assessment.aggravating_factors,
            },
        )
    return assessment

"""Each review as its own record: the review cycle a case is in (from its last submission), the supervisor's
modifications of the discipline made in it, the plain-text snapshot of what the case said at each decision, and
what the reviewer sees: the changes since the last review, the investigator's comment and the earlier returns.

A review cycle starts when the investigator submits the case and ends when it is returned or reopened. A
modification belongs to the cycle it was made in: its ``content_version`` (the case version it produced) is
above the version the case was submitted at, and no return or reopening has come since."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from project.extensions import db
from project.models import (
    Allegation,
    Case,
    CaseSubject,
    CaseTransition,
    Exhibit,
    ProposalModification,
    Review,
    User,
)
from project.services.casework.review.readiness import proposal_of
from project.services.casework.review.snapshot_records import block as _block
from project.services.casework.review.snapshot_records import interview_lines, screen_lines
from project.services.casework.review.snapshot_records import when as _when
from project.services.casework.review.snapshot_records import yes_no as _yes_no

CYCLE_ENDS = ("returned", "reopened")


def case_transitions(case: Case) -> list[CaseTransition]:
    """The case's moves in the order they were written, with who made them and to whom they assigned it."""
    query = select(CaseTransition).where(CaseTransition.case_id == case.id).order_by(CaseTransition.id)
    options = (selectinload(CaseTransition.actor), selectinload(CaseTransition.assignee))
    return list(db.session.scalars(query.options(*options)))


def last_submission(case: Case) -> CaseTransition | None:
    """The case's latest "submitted" move, whether or not its review is still running."""
    submitted = [t for t in case_transitions(case) if t.action == "submitted"]
    return submitted[-1] if submitted else None


def review_cycle_start(case: Case, transitions: list[CaseTransition] | None = None) -> CaseTransition | None:
    """The submission that opened the review cycle the case is in, or None when no cycle is running (never
    submitted, or returned or reopened since). ``transitions``: the case's, when the caller has read them."""
    start = None
    for transition in case_transitions(case) if transitions is None else transitions:
        if transition.action == "submitted":
            start = transition
        elif transition.action in CYCLE_ENDS:
            start = None
    return start


def modifications_in_review(
    case: Case, subject: CaseSubject | None = None, transitions: list[CaseTransition] | None = None
) -> list[ProposalModification]:
    """The supervisor's modifications of the discipline made in the current review cycle, oldest first."""
    start = review_cycle_start(case, transitions)
    if start is None:
        return []
    subject_ids = [subject.id] if subject is not None else [s.id for s in case.subjects]
    query = (
        select(ProposalModification)
        .where(
            ProposalModification.subject_id.in_(subject_ids),
            ProposalModification.content_version > start.content_version,
        )
        .order_by(ProposalModification.id)
        .options(selectinload(ProposalModification.step), selectinload(ProposalModification.modified_by))
    )
    return list(db.session.scalars(query))


def modifications_of(subject: CaseSubject) -> list[ProposalModification]:
    """Every modification ever made to the subject's discipline at review, in every cycle, oldest first."""
    query = select(ProposalModification).where(ProposalModification.subject_id == subject.id)
    return list(db.session.scalars(query.order_by(ProposalModification.id)))


def discipline_phrase(step_name: str, days: int | None) -> str:
    """ "Written reprimand", or "Suspension of 3 days"."""
    return f"{step_name} of {days} day{'s' if days != 1 else ''}" if days else step_name


# The snapshot -----------------------------------------------------------------------------------------------


def _posts(case: Case) -> list[str]:
    lines = ["Posts"]
    for number, post in enumerate(case.posts, start=1):
        lines.append(f"Post {number}: {post.platform_label}, posted {_when(post.posted_at)}")
        lines.append(f"  Address: {post.url or 'none'}")
        lines.append(f"  Account: {post.account_handle or 'unknown'} ({post.display_name or 'no display name'})")
        lines += _block("Text", post.text)
        lines.append(
            f"  Identified as DOC: {_yes_no(post.identified_as_doc)}; on duty: {_yes_no(post.on_duty)}; "
            f"DOC insignia: {_yes_no(post.doc_insignia)}"
        )
        lines += _block("Attribution", post.attribution)
    return lines


def _subject(
    subject: CaseSubject, allegations: list[Allegation], modifications: list[ProposalModification]
) -> list[str]:
    employee = subject.employee
    lines = [f"Subject: {employee.display_name} ({employee.employee_number}), {employee.title}"]
    for allegation in allegations:
        finding = allegation.finding.name if allegation.finding else "no finding"
        lines.append(f"  Allegation under {allegation.citation}: {finding}")
        lines += _block("Reasoning", allegation.reasoning, "    ")
        exhibits = ", ".join(str(e.number) for e in allegation.exhibits) or "none"
        lines.append(f"    Exhibits: {exhibits}")
        lines += screen_lines(allegation.speech_screen)
    proposal = proposal_of(subject)
    if proposal is not None:
        by = db.session.get(User, proposal.proposed_by_id)
        what = discipline_phrase(proposal.proposed_step.name, proposal.suspension_days)
        lines.append(f"  Proposed by {by.name if by else 'unknown'}: {what}")
        if proposal.departure_justification:
            lines += _block("Justification", proposal.departure_justification, "    ")
    for modification in modifications:
        what = discipline_phrase(modification.step.name, modification.suspension_days)
        lines.append(f"  Modified at review by {modification.modified_by.name}: {what}")
        lines += _block("Reason", modification.reason, "    ")
    return lines


def content_snapshot(case: Case) -> str:
    """What the case says, as plain text: its posts, subjects, allegations with finding, reasoning and speech
    screen, the proposals and this review's modifications, the interviews, exhibits by number and description.
    Never the reporter's identity."""
    lines = _posts(case)
    allegations = list(
        db.session.scalars(
            select(Allegation)
            .where(Allegation.case_id == case.id)
            .order_by(Allegation.id)
            .options(
                selectinload(Allegation.exhibits),
                selectinload(Allegation.finding),
                selectinload(Allegation.speech_screen),
            )
        )
    )
    modifications = modifications_in_review(case)
    lines.append("Subjects")
    for subject in case.subjects:
        lines += _subject(
            subject,
            [a for a in allegations if a.subject_id == subject.id],
            [m for m in modifications if m.subject_id == subject.id],
        )
    lines += interview_lines(case)
    lines.append("Exhibits")
    for exhibit in db.session.scalars(select(Exhibit).where(Exhibit.case_id == case.id).order_by(Exhibit.number)):
        withdrawn = f" (withdrawn: {exhibit.withdrawal_reason})" if exhibit.withdrawn_at else ""
        lines += _block(f"Exhibit {exhibit.number}", exhibit.description + withdrawn, "")
    return "\n".join(lines) + "\n"


# What the reviewer sees ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffLine:
    kind: str  # added | removed | context | gap
    text: str


@dataclass
class ReviewHistory:
    """The review page's record of the earlier cycles."""

    last_reviewed: Review | None  # the latest decision that stored a snapshot
    changes: list[DiffLine] = field(default_factory=list)  # since last_reviewed; empty when nothing changed
    unreviewed: bool = True  # no earlier decision at all: the first review
    submission: CaseTransition | None = None  # the investigator's comment is its reason
    returns: list[Review] = field(default_factory=list)  # every earlier return, oldest first


def diff_lines(before: str, after: str) -> list[DiffLine]:
    """The lines added and removed between two snapshots, with a line of context either side."""
    lines: list[DiffLine] = []
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1)
    for line in diff:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        else:
            lines.append(DiffLine("context", line[1:]))
    return lines


def review_history(case: Case) -> ReviewHistory:
    reviews = list(
        db.session.scalars(
            select(Review).where(Review.case_id == case.id).order_by(Review.id).options(selectinload(Review.decided_by))
        )
    )
    snapshots = [r for r in reviews if r.content_snapshot is not None]
    last = snapshots[-1] if snapshots else None
    history = ReviewHistory(
        last_reviewed=last,
        unreviewed=not reviews,
        submission=review_cycle_start(case) or last_submission(case),
        returns=[r for r in reviews if r.decision == "returned"],
    )
    if last is not None and last.content_snapshot is not None:
        history.changes = diff_lines(last.content_snapshot, content_snapshot(case))
    return history

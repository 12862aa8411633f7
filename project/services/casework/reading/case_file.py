"""Everything the case page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from project import clock
from project.extensions import db
from project.models import (
    Allegation,
    Arbitration,
    AuditEvent,
    Case,
    CaseSubject,
    CaseTransition,
    Clause,
    DirectiveVersion,
    DisciplineProposal,
    Exhibit,
    Grievance,
    Interview,
    LaborAction,
    Note,
    ProposalModification,
    ProtectedPerson,
    Review,
    SpeechScreen,
    SubjectNotInterviewed,
)
from project.services.audit import NoteIntegrity, note_integrity
from project.services.casework.findings.speech_rules import needs_speech_screen
from project.services.casework.intake.identifiers import protected_people
from project.services.casework.investigation.interviews import interviews_of, not_interviewed_of
from project.services.casework.investigation.notes import corrections_by_note
from project.services.casework.review.life_cycle import standing_approval
from project.services.casework.review.review_history import case_transitions, modifications_in_review
from project.services.casework.review.state_story import StateStory, state_story
from project.services.deadlines import DUE, OVERDUE, Deadline, case_deadlines


@dataclass
class TimelineEntry:
    event: AuditEvent
    what: str


@dataclass
class SubjectFile:
    subject: CaseSubject
    allegations: list[Allegation] = field(default_factory=list)
    proposal: DisciplineProposal | None = None
    # the supervisor's modifications of the proposal at the review the case is in (or was approved at), oldest
    # first: the last one is the discipline the approval covers; the proposal itself is never changed
    modifications: list[ProposalModification] = field(default_factory=list)
    labor: LaborAction | None = None
    grievance: Grievance | None = None

    @property
    def standing_modification(self) -> ProposalModification | None:
        return self.modifications[-1] if self.modifications else None

    @property
    def sustained(self) -> bool:
        return any(a.finding is not None and a.finding.supports_discipline for a in self.allegations)


@dataclass
class CaseFile:
    case: Case
    subjects: list[SubjectFile]
    exhibits: list[Exhibit]
    notes: list[Note]
    corrections: dict[int, list[Note]]
    reviews: list[Review]
    standing_approval: Review | None
    deadlines: list[Deadline]
    # the notes set against their seals in the audit trail: an altered one is shown as not genuine
    note_integrity: NoteIntegrity = field(default_factory=NoteIntegrity)
    story: StateStory | None = None  # where the case stands and what happens next
    # shown only to those who may see the reporter
    protected_people: list[ProtectedPerson] = field(default_factory=list)
    interviews: list[Interview] = field(default_factory=list)
    # why a subject was never interviewed, by subject id
    not_interviewed: dict[int, SubjectNotInterviewed] = field(default_factory=dict)
    # the newest recorded events, oldest of them first: the case page's short timeline
    recent_events: list[TimelineEntry] = field(default_factory=list)

    @property
    def next_deadline(self) -> Deadline | None:
        """The earliest clock still to be met (overdue or due), for the summary at the top of the case page."""
        running = [d for d in self.deadlines if d.status in (DUE, OVERDUE)]
        return min(running, key=lambda d: (d.on, d.rule.id), default=None)

    @property
    def clauses_alleged(self) -> list[str]:
        """Each clause alleged against any subject, once, in the order first framed (\"AD 2.26 5.b.i.2\")."""
        cited = (allegation.citation for sf in self.subjects for allegation in sf.allegations)
        return list(dict.fromkeys(cited))

    @staticmethod
    def speech_screen_needed(allegation: Allegation) -> bool:
        """Whether the allegation is on an off-duty post, whose finding needs the protected-speech screen."""
        return needs_speech_screen(allegation)

    @property
    def note_numbers(self) -> dict[int, int]:
        """Each note's number within the case (Note 1, Note 2 ...), by its id: what pages and packets call it."""
        return {note.id: number for number, note in enumerate(self.notes, start=1)}


def case_file(case: Case) -> CaseFile:
    linked = list(
        db.session.scalars(
            select(CaseSubject)
            .where(CaseSubject.case_id == case.id)
            .options(selectinload(CaseSubject.employee))
            .order_by(CaseSubject.id)
        )
    )
    set_committed_value(case, "subjects", linked)  # what reads ``case.subjects`` later reads them again no more
    subjects = {s.id: SubjectFile(s) for s in linked}
    allegations = db.session.scalars(
        select(Allegation)
        .where(Allegation.case_id == case.id)
        .order_by(Allegation.id)
        .options(
            selectinload(Allegation.exhibits),
            selectinload(Allegation.finding),
            # the citation names the clause's directive and version, and the post charged: read with them
            selectinload(Allegation.clause).joinedload(Clause.version).joinedload(DirectiveVersion.directive),
            joinedload(Allegation.post),
            selectinload(Allegation.speech_screen).selectinload(SpeechScreen.recorded_by),
        )
    )
    for allegation in allegations:
        subjects[allegation.subject_id].allegations.append(allegation)
    subject_ids = list(subjects)
    proposals = select(DisciplineProposal).where(DisciplineProposal.subject_id.in_(subject_ids))
    for proposal in db.session.scalars(proposals):
        subjects[proposal.subject_id].proposal = proposal
    transitions = case_transitions(case)
    for modification in modifications_in_review(case, transitions=transitions):
        subjects[modification.subject_id].modifications.append(modification)
    for labor in db.session.scalars(select(LaborAction).where(LaborAction.subject_id.in_(subject_ids))):
        subjects[labor.subject_id].labor = labor
    for grievance in db.session.scalars(
        select(Grievance)
        .where(Grievance.subject_id.in_(subject_ids))
        .options(
            selectinload(Grievance.steps),
            selectinload(Grievance.arbitration).selectinload(Arbitration.award_exhibit),
            selectinload(Grievance.agreements),
        )
    ):
        subjects[grievance.subject_id].grievance = grievance
    notes = list(
        db.session.scalars(
            select(Note)
            .where(Note.case_id == case.id)
            .order_by(Note.created_at, Note.id)
            .options(selectinload(Note.author))
        )
    )
    exhibits = list(db.session.scalars(select(Exhibit).where(Exhibit.case_id == case.id).order_by(Exhibit.number)))
    reviews = list(db.session.scalars(select(Review).where(Review.case_id == case.id).order_by(Review.id)))
    return CaseFile(
        case=case,
        subjects=list(subjects.values()),
        exhibits=exhibits,
        notes=notes,
        corrections=corrections_by_note(notes),
        reviews=reviews,
        standing_approval=standing_approval(case, reviews),
        deadlines=case_deadlines(case, clock.local_today()),
        protected_people=protected_people(case),
        interviews=interviews_of(case),
        not_interviewed=not_interviewed_of(case),
        note_integrity=note_integrity(case),
        story=state_story(case, transitions),
        recent_events=timeline(case, latest=RECENT_EVENTS, exhibits=exhibits, notes=notes),
    )


ACCESS_EVENTS = ("exhibit.thumbnail_viewed",)
RECENT_EVENTS = 5  # the case page's short timeline; the timeline page has them all


def timeline(
    case: Case,
    include_access: bool = False,
    latest: int | None = None,
    exhibits: list[Exhibit] | None = None,
    notes: list[Note] | None = None,
) -> list[TimelineEntry]:
    """The recorded events of the case, oldest first, in words and with the case's own numbers (Exhibit 2,
    Note 3) rather than database ids. Thumbnail views are left out unless asked for; ``latest`` keeps only the
    newest so many. ``exhibits`` and ``notes`` (in the case's note order), when the caller has them, are not
    read again."""
    query = select(AuditEvent).where(AuditEvent.case_id == case.id).options(selectinload(AuditEvent.actor))
    if not include_access:
        query = query.where(AuditEvent.action.not_in(ACCESS_EVENTS))
    if latest is None:
        query = query.order_by(AuditEvent.occurred_at, AuditEvent.id)
    else:
        query = query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(latest)
    if exhibits is None:
        exhibits = list(db.session.scalars(select(Exhibit).where(Exhibit.case_id == case.id)))
    exhibit_numbers = {str(e.id): e.number for e in exhibits}
    note_ids = (
        [note.id for note in notes]
        if notes is not None
        else db.session.scalars(select(Note.id).where(Note.case_id == case.id).order_by(Note.created_at, Note.id))
    )
    note_numbers = {str(note_id): index for index, note_id in enumerate(note_ids, start=1)}
    events = list(db.session.scalars(query))
    if latest is not None:
        events.reverse()
    return [TimelineEntry(event, _describe(event, exhibit_numbers, note_numbers)) for event in events]


# events whose object and verb would say the same thing twice ("Discipline proposal proposed")
PHRASES = {
    "discipline.proposed": "Discipline step proposed",
    "discipline.withdrawn": "Discipline proposal withdrawn",
    "discipline.modified_at_review": "Discipline step modified at review",
    "interview.not_held_recorded": "Why a subject was not interviewed recorded",
    "interview.not_held_changed": "Why a subject was not interviewed changed",
    "case.grievance_filed": "Case reopened in discipline: grievance filed after the close",
}


def _describe(event: AuditEvent, exhibits: dict[str, int], notes: dict[str, int]) -> str:
    if event.action in PHRASES:
        return PHRASES[event.action]
    verb = event.action.split(".", 1)[-1].replace("_", " ")
    kind = event.object_type or ""
    if kind == "exhibit" and event.object_id in exhibits:
        return f"Exhibit {exhibits[event.object_id]} {verb}"
    if kind == "note" and event.object_id in notes:
        return f"Note {notes[event.object_id]} {verb}"
    if kind in ("case", ""):
        return f"Case {verb}"
    return f"{kind.replace('_', ' ').capitalize()} {verb}"


def transitions(case: Case) -> list[CaseTransition]:
    return list(
        db.session.scalars(select(CaseTransition).where(CaseTransition.case_id == case.id).order_by(CaseTransition.id))
    )

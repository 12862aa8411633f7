"""The data model, one module per aggregate. Importing this package registers every table."""

from project.models.allegations import (
    DISRUPTION_FACTORS,
    OBTAINED_HOW,
    Allegation,
    AllegationElementFinding,
    SpeechScreen,
    allegation_exhibits,
)
from project.models.audit import AppendOnlyAudit, AuditChainHead, AuditEvent
from project.models.cases import (
    Case,
    CaseNumberCounter,
    CaseState,
    CaseSubject,
    CaseTransition,
    ComplaintSource,
    Platform,
    ReportedPost,
)
from project.models.catalogue import Clause, ClauseElement, Directive, DirectiveReference, DirectiveVersion
from project.models.derived import DERIVED_KINDS, DerivedFile
from project.models.discipline import (
    DisciplineLadder,
    DisciplineMatrixEntry,
    DisciplineProposal,
    DisciplineRecord,
    DisciplineStep,
    LookbackOverride,
    TitleRule,
)
from project.models.evidence import RELEASE_DECISIONS, Exhibit, ExhibitReleaseReview
from project.models.interviews import (
    Interview,
    InterviewKind,
    NotInterviewedReason,
    Representation,
    SubjectNotInterviewed,
    interview_interviewers,
    interview_recordings,
)
from project.models.labor import GrievanceStatus, LaborAction
from project.models.notes import AppendOnlyViolation, Note, NoteKind
from project.models.notifications import Notification, NotificationKind, OutboxMessage
from project.models.packets import ExhibitRedaction, Letter, LetterTemplate, PacketJob, PacketPrint, ReleaseNotice
from project.models.people import (
    PendingEnrolment,
    RecoveryCode,
    RefusalTally,
    Role,
    RoleGrant,
    UsedTotpStep,
    User,
    UserRole,
    UserSession,
)
from project.models.protected import ProtectedPerson, ProtectedRole
from project.models.records import LeavePeriod, LegalHold
from project.models.reference import DeadlineRule, FindingCategory, Holiday
from project.models.reviews import (
    JUST_CAUSE_TESTS,
    JustCauseAnswer,
    JustCauseAssessment,
    ProposalModification,
    Review,
    ReviewDecision,
)
from project.models.roster import Employee, EmployeeStatus
from project.models.search import SearchDocument
from project.models.submissions import FormToken

__all__ = [
    "DISRUPTION_FACTORS",
    "JUST_CAUSE_TESTS",
    "JustCauseAnswer",
    "JustCauseAssessment",
    "OBTAINED_HOW",
    "SpeechScreen",
    "Allegation",
    "AllegationElementFinding",
    "AppendOnlyAudit",
    "AppendOnlyViolation",
    "AuditChainHead",
    "AuditEvent",
    "Case",
    "CaseNumberCounter",
    "CaseState",
    "CaseSubject",
    "CaseTransition",
    "Clause",
    "ClauseElement",
    "ComplaintSource",
    "DeadlineRule",
    "DERIVED_KINDS",
    "DerivedFile",
    "Directive",
    "DirectiveReference",
    "DirectiveVersion",
    "DisciplineLadder",
    "DisciplineMatrixEntry",
    "DisciplineProposal",
    "DisciplineRecord",
    "DisciplineStep",
    "LookbackOverride",
    "TitleRule",
    "Employee",
    "EmployeeStatus",
    "Exhibit",
    "ExhibitReleaseReview",
    "RELEASE_DECISIONS",
    "FindingCategory",
    "FormToken",
    "GrievanceStatus",
    "Holiday",
    "Interview",
    "InterviewKind",
    "NotInterviewedReason",
    "Representation",
    "SubjectNotInterviewed",
    "interview_interviewers",
    "interview_recordings",
    "LaborAction",
    "LeavePeriod",
    "LegalHold",
    "Note",
    "NoteKind",
    "Notification",
    "NotificationKind",
    "OutboxMessage",
    "Platform",
    "ProposalModification",
    "ProtectedPerson",
    "ProtectedRole",
    "ReportedPost",
    "Review",
    "ReviewDecision",
    "Role",
    "User",
    "UserRole",
    "UserSession",
    "allegation_exhibits",
    "ExhibitRedaction",
    "Letter",
    "LetterTemplate",
    "PacketJob",
    "PacketPrint",
    "ReleaseNotice",
    "RecoveryCode",
    "PendingEnrolment",
    "RefusalTally",
    "RoleGrant",
    "UsedTotpStep",
    "SearchDocument",
]

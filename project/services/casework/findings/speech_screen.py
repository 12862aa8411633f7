"""The protected-speech screen of an off-duty post (AD 2.26 section 5.b), recorded before a finding on it.

AD 2.26 section 1.a reserves the employee's First Amendment and bargaining rights; C.G.S. 31-51q makes the
employer liable for discipline over speech on a matter of public concern unless it substantially or materially
interferes with the job; C.G.S. 31-40x limits demanding access to an employee's personal accounts. The screen
records the threshold questions (public concern, private citizen, union activity), the disruption weighed
against them (Pickering), and how the content was obtained."""

from __future__ import annotations

from dataclasses import dataclass, fields

from project import clock, permissions
from project.extensions import db
from project.models import DISRUPTION_FACTORS, OBTAINED_HOW, Allegation, Case, SpeechScreen
from project.services.audit import Actor, record_for
from project.services.casework.findings.speech_rules import needs_speech_screen, screen_of
from project.services.casework.review.life_cycle import content_changed
from project.services.errors import InvalidInput, check_version
from project.transaction import committing

MAX_REASON = 2_000
OBTAINED_LABELS = {
    "public_view": "In public view on the platform",
    "coworker_share": "Shared by a coworker",
    "complainant": "Given by the complainant",
    "other": "Other (say how)",
}
assert tuple(OBTAINED_LABELS) == OBTAINED_HOW
# the yes/no answers, in the order the form asks them, with the question each answers
QUESTIONS = {
    "public_concern": "Is the post on a matter of public concern?",
    "private_citizen": "Was it made as a private citizen (not as part of the employee's duties)?",
    "union_activity": "Does it concern union activity?",
    "disrupts_operations": "Did it disrupt the department's operations?",
    "disrupts_relationships": "Did it disrupt working relationships?",
    "disrupts_discipline": "Did it disrupt discipline (the chain of command)?",
    "disrupts_public_trust": "Did it disrupt public trust in the department?",
}
assert [f"disrupts_{factor}" for factor in DISRUPTION_FACTORS] == list(QUESTIONS)[3:]
AUTHORITY = (
    "AD 2.26 section 1.a (protected rights under the First Amendment, law and the collective bargaining "
    "agreement are not limited); C.G.S. 31-51q (discipline for protected speech); C.G.S. 31-40x (no demand for "
    "access to personal accounts)"
)


@dataclass(frozen=True)
class SpeechScreenInput:
    """The screen as its form gives it: each answer (True, False, or None when not answered) with its reason,
    how the content was obtained, and the attestation."""

    public_concern: bool | None = None
    public_concern_reason: str = ""
    private_citizen: bool | None = None
    private_citizen_reason: str = ""
    union_activity: bool | None = None
    union_activity_reason: str = ""
    disrupts_operations: bool | None = None
    disrupts_operations_reason: str = ""
    disrupts_relationships: bool | None = None
    disrupts_relationships_reason: str = ""
    disrupts_discipline: bool | None = None
    disrupts_discipline_reason: str = ""
    disrupts_public_trust: bool | None = None
    disrupts_public_trust_reason: str = ""
    obtained_how: str = ""
    obtained_detail: str = ""
    no_credentials_demanded: bool = False


def _checked(entry: SpeechScreenInput) -> dict[str, object]:
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    for name, question in QUESTIONS.items():
        answer, reason = getattr(entry, name), getattr(entry, f"{name}_reason").strip()
        if answer is None:
            errors[name] = f"Answer yes or no: {question}"
        elif not reason:
            errors[f"{name}_reason"] = f"Give a short reason for the answer to: {question}"
        elif len(reason) > MAX_REASON:
            errors[f"{name}_reason"] = f"A reason is at most {MAX_REASON:,} characters."
        values[name], values[f"{name}_reason"] = answer, reason
    detail = entry.obtained_detail.strip()
    if entry.obtained_how not in OBTAINED_HOW:
        errors["obtained_how"] = "Say how the content was obtained."
    elif entry.obtained_how == "other" and not detail:
        errors["obtained_detail"] = "Say how the content was obtained."
    if len(detail) > MAX_REASON:
        errors["obtained_detail"] = f"The account of how it was obtained is at most {MAX_REASON:,} characters."
    if not entry.no_credentials_demanded:
        errors["no_credentials_demanded"] = (
            "Attest that no one demanded the employee's user name, password or other access to a personal "
            "account (C.G.S. 31-40x). If someone did, do not record a finding: consult labor relations first."
        )
    if errors:
        raise InvalidInput(errors)
    return values | {"obtained_how": entry.obtained_how, "obtained_detail": detail, "no_credentials_demanded": True}


def _answers(screen: SpeechScreen | None) -> dict[str, object] | None:
    if screen is None:
        return None
    names = [f.name for f in fields(SpeechScreenInput)]
    return {name: getattr(screen, name) for name in names}


def record_speech_screen(
    case: Case, allegation: Allegation, entry: SpeechScreenInput, actor: Actor, expected_version: int | None
) -> SpeechScreen:
    """Record (or correct) the screen of a 5.b allegation. It changes the case: a standing approval is voided."""
    permissions.require(permissions.can_edit_case(actor.user, case) and allegation.case_id == case.id)
    if not needs_speech_screen(allegation):
        raise InvalidInput({"allegation": "Only an allegation under AD 2.26 section 5.b (off duty) is screened."})
    screen = screen_of(allegation)
    if screen is not None:
        check_version(screen.row_version, expected_version, "this protected-speech screen")
    values = _checked(entry)
    with committing("this protected-speech screen"):
        before = _answers(screen)
        if screen is None:
            screen = SpeechScreen(allegation_id=allegation.id)
            db.session.add(screen)
        for name, value in values.items():
            setattr(screen, name, value)
        screen.recorded_by_id, screen.recorded_at = actor.user.id, clock.now()
        db.session.flush()
        content_changed(case, actor, "protected-speech screen recorded")
        record_for(
            actor,
            "allegation.speech_screened",
            case_id=case.id,
            object_type="allegation",
            object_id=allegation.id,
            detail={"citation": allegation.citation, "before": before, "after": _answers(screen)},
        )
    return screen

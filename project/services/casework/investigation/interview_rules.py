"""What makes an interview record complete, in the investigator's words: the person, when and where, by whom;
the Garrity warning of a compelled interview, the referral of a criminal one; the Weingarten representative
asked for or waived (one of the two for a subject); the statement and its recordings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import (
    Case,
    CaseSubject,
    Exhibit,
    InterviewKind,
    ProtectedPerson,
    Representation,
    Role,
    User,
    UserRole,
)
from project.services.casework.intake.identifiers import protected_people
from project.services.errors import InvalidInput

MAX_SUMMARY = 20000
MAX_TEXT = 200
MAX_VERSION = 60
INTERVIEWER_ROLES = (Role.INVESTIGATOR.value, Role.SUPERVISOR.value)


@dataclass
class InterviewInput:
    """An interview as the form gives it. ``person`` is "subject:<id>" or "person:<id>" (one of the case's
    people); the Garrity fields count for an administrative interview, the referral for a criminal one."""

    person: str
    held_at: datetime | None
    place: str
    kind: str
    interviewer_ids: list[int] = field(default_factory=list)
    garrity_given: bool = False
    garrity_acknowledged: bool = False
    garrity_form_version: str = ""
    garrity_exhibit_id: int | None = None
    referred_to: str = ""
    referred_on: date | None = None
    representation: str = ""
    representative_name: str = ""
    representative_union: str = ""
    summary: str = ""
    recording_ids: list[int] = field(default_factory=list)


@dataclass
class CheckedInterview:
    """The values to store, each checked; objects resolved within the case."""

    subject: CaseSubject | None
    person: ProtectedPerson | None
    values: dict[str, object]
    interviewers: list[User]
    recordings: list[Exhibit]


def interviewer_choices() -> list[User]:
    """Who may be named as an interviewer: every enabled investigator and supervisor."""
    query = (
        select(User)
        .join(UserRole)
        .where(UserRole.role.in_(INTERVIEWER_ROLES), User.disabled_at.is_(None))
        .order_by(User.name, User.id)
        .distinct()
    )
    return list(db.session.scalars(query))


def interviewee_choices(case: Case) -> list[tuple[str, str]]:
    """The people one may record an interview of: the subjects, then the case's people (not the reporter of the
    complaint's own fields, who is no listed person)."""
    choices = [(f"subject:{s.id}", f"{s.employee.display_name} (subject)") for s in case.subjects]
    choices += [(f"person:{p.id}", f"{p.name} ({p.role_label.lower()})") for p in protected_people(case)]
    return choices


def _interviewee(case: Case, value: str) -> tuple[CaseSubject | None, ProtectedPerson | None]:
    kind, _, raw = (value or "").partition(":")
    if raw.isdigit() and len(raw) < 10:
        if kind == "subject":
            subject = db.session.get(CaseSubject, int(raw))
            if subject is not None and subject.case_id == case.id:
                return subject, None
        if kind == "person":
            person = db.session.get(ProtectedPerson, int(raw))
            if person is not None and person.case_id == case.id and person.removed_at is None:
                return None, person
    raise InvalidInput({"person": "Choose who was interviewed: a subject of this case or one of its people."})


def _text(value: str, limit: int) -> str | None:
    return (value or "").strip()[:limit] or None


def _case_exhibits(case: Case, ids: list[int], field_name: str, errors: dict[str, str]) -> list[Exhibit]:
    found = []
    for exhibit_id in dict.fromkeys(ids):
        exhibit = db.session.get(Exhibit, exhibit_id)
        if exhibit is None or exhibit.case_id != case.id or exhibit.is_withdrawn:
            errors[field_name] = "Choose exhibits of this case that are not withdrawn."
            return []
        found.append(exhibit)
    return found


def _interviewers(ids: list[int], errors: dict[str, str]) -> list[User]:
    allowed = {user.id: user for user in interviewer_choices()}
    if not ids:
        errors["interviewers"] = "Name at least one interviewer."
    elif any(i not in allowed for i in ids):
        errors["interviewers"] = "Choose the interviewers among the investigators and supervisors."
    return [allowed[i] for i in dict.fromkeys(ids) if i in allowed]


def _garrity_errors(entry: InterviewInput, administrative: bool, errors: dict[str, str]) -> None:
    if not administrative:
        if entry.garrity_given or entry.garrity_acknowledged or entry.garrity_exhibit_id:
            errors["garrity_given"] = "Only an administrative (compelled) interview carries the Garrity warning."
        return
    if not (entry.garrity_given and entry.garrity_acknowledged):
        errors["garrity_given"] = (
            "A compelled interview needs the Garrity warning given and acknowledged before any question."
        )
    version = (entry.garrity_form_version or "").strip()
    if not version:
        errors["garrity_form_version"] = "Give the version of the Garrity warning form given (a department setting)."
    elif len(version) > MAX_VERSION:
        errors["garrity_form_version"] = f"A form version is at most {MAX_VERSION} characters."


def _referral_errors(entry: InterviewInput, criminal: bool, errors: dict[str, str]) -> None:
    if not criminal:
        if (entry.referred_to or "").strip() or entry.referred_on is not None:
            errors["referred_to"] = "Only a criminal interview records a referral."
        return
    if not (entry.referred_to or "").strip():
        errors["referred_to"] = "Say to whom the criminal matter was referred (an agency or a unit)."
    elif len(entry.referred_to.strip()) > MAX_TEXT:
        errors["referred_to"] = f"An agency or unit is at most {MAX_TEXT} characters."
    if entry.referred_on is None:
        errors["referred_on"] = "Give the date of the referral."
    elif entry.referred_on > clock.local_today():
        errors["referred_on"] = "The referral date cannot be in the future."


def _kind_errors(entry: InterviewInput, subject: CaseSubject | None, errors: dict[str, str]) -> None:
    if entry.kind not in {k.value for k in InterviewKind}:
        errors["kind"] = "Choose the type of interview: administrative (compelled), criminal or voluntary."
        return
    kind = InterviewKind(entry.kind)
    if kind is InterviewKind.VOLUNTARY and subject is not None:
        errors["kind"] = "A subject's interview is administrative (compelled, with Garrity) or criminal (referred)."
    _garrity_errors(entry, kind is InterviewKind.ADMINISTRATIVE, errors)
    _referral_errors(entry, kind is InterviewKind.CRIMINAL, errors)


def _representation_errors(entry: InterviewInput, subject: CaseSubject | None, errors: dict[str, str]) -> None:
    choice = entry.representation or ""
    named = bool((entry.representative_name or "").strip()), bool((entry.representative_union or "").strip())
    if choice not in {"", *(r.value for r in Representation)}:
        errors["representation"] = "Choose: a representative was requested, or the right was waived."
    elif not choice and subject is not None:
        errors["representation"] = (
            "For a subject's interview, record the union representative requested (name and union) or the "
            "employee's waiver (Weingarten)."
        )
    elif choice == Representation.REQUESTED.value and not all(named):
        errors["representative_name"] = "Give the representative's name and union."
    elif choice != Representation.REQUESTED.value and any(named):
        errors["representative_name"] = "A representative is named only when one was requested."
    if any(len((v or "").strip()) > MAX_TEXT for v in (entry.representative_name, entry.representative_union)):
        errors["representative_name"] = f"A name or union is at most {MAX_TEXT} characters."


def check_interview(case: Case, entry: InterviewInput) -> CheckedInterview:
    """The entry's values checked against the case, or InvalidInput naming every field that is wrong."""
    errors: dict[str, str] = {}
    try:
        subject, person = _interviewee(case, entry.person)
    except InvalidInput as refused:
        errors |= refused.errors
        subject = person = None
    if entry.held_at is None:
        errors["held_at"] = "Give the date and time of the interview."
    elif entry.held_at > clock.now():
        errors["held_at"] = "An interview is recorded once held: the date and time cannot be in the future."
    if not (entry.place or "").strip():
        errors["place"] = "Say where the interview was held."
    elif len(entry.place.strip()) > MAX_TEXT:
        errors["place"] = f"A place is at most {MAX_TEXT} characters."
    interviewers = _interviewers(entry.interviewer_ids, errors)
    _kind_errors(entry, subject, errors)
    _representation_errors(entry, subject, errors)
    if not (entry.summary or "").strip():
        errors["summary"] = "Type a summary of the statement."
    elif len(entry.summary.strip()) > MAX_SUMMARY:
        errors["summary"] = f"A summary is at most {MAX_SUMMARY:,} characters."
    signed = _case_exhibits(
        case, [entry.garrity_exhibit_id] if entry.garrity_exhibit_id else [], "garrity_exhibit", errors
    )
    recordings = _case_exhibits(case, entry.recording_ids, "recordings", errors)
    if errors:
        raise InvalidInput(errors)
    administrative = entry.kind == InterviewKind.ADMINISTRATIVE.value
    values: dict[str, object] = {
        "subject_id": subject.id if subject else None,
        "person_id": person.id if person else None,
        "held_at": entry.held_at,
        "place": entry.place.strip(),
        "kind": entry.kind,
        "garrity_given": administrative,
        "garrity_acknowledged": administrative,
        "garrity_form_version": _text(entry.garrity_form_version, MAX_VERSION) if administrative else None,
        "garrity_exhibit_id": signed[0].id if signed else None,
        "referred_to": _text(entry.referred_to, MAX_TEXT),
        "referred_on": entry.referred_on,
        "representation": entry.representation or None,
        "representative_name": _text(entry.representative_name, MAX_TEXT),
        "representative_union": _text(entry.representative_union, MAX_TEXT),
        "summary": entry.summary.strip(),
    }
    return CheckedInterview(subject, person, values, interviewers, recordings)

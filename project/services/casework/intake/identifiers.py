"""The people of a case and their protected identifiers: the reporter the complaint names, and the people listed
on the case (witnesses, the complainant, victims, inmates, other employees, others) whose identity must not go
out. An employee is linked from the roster by employee number (the name is the roster's); anyone else is kept
with a name and contact. Whoever may see the reporter lists and removes them; every release copy and every page
shown to anyone else masks them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import Case, Employee, ProtectedPerson, ProtectedRole
from project.services import roster
from project.services.audit import Actor, record_for
from project.services.errors import InvalidInput
from project.services.masking import Identifier, classify_contact
from project.transaction import committing

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"\+?[\d\s().\-/]+(?:\s*(?:x|ext\.?)\s*\d+)?", re.IGNORECASE)
INMATE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")
CONTACT_SEPARATORS = re.compile(r"[;,]|\s+/\s+|\s+or\s+")


@dataclass
class ProtectedPersonInput:
    """A person to protect, as the form gives it; everything but the role and the name may be empty."""

    role: str
    name: str
    email: str = ""
    phone: str = ""
    inmate_number: str = ""
    note: str = ""
    employee_number: str = ""  # an employee from the roster: the name is then the roster's


def _digits(value: str) -> int:
    return sum(ch.isdigit() for ch in value)


def _checked(entry: ProtectedPersonInput) -> dict[str, str | None]:
    """The entry's values, stripped and with empty ones as None, or InvalidInput naming each bad field."""
    values = {
        name: (getattr(entry, name) or "").strip() or None
        for name in ("role", "name", "email", "phone", "inmate_number", "note")
    }
    errors = {}
    if values["role"] not in {r.value for r in ProtectedRole}:
        errors["role"] = (
            "Choose the person's part in the case: reporter, witness, complainant, victim, inmate, "
            "other employee or other."
        )
    if not values["name"]:
        errors["name"] = "Give the person's name as it may appear in the evidence."
    elif len(values["name"] or "") > 200:
        errors["name"] = "A name is at most 200 characters."
    if values["note"] and len(values["note"] or "") > 500:
        errors["note"] = "A note is at most 500 characters."
    errors |= _identifier_errors(values)
    if errors:
        raise InvalidInput(errors)
    return values


def _identifier_errors(values: dict[str, str | None]) -> dict[str, str]:
    errors = {}
    email, phone, number = values["email"], values["phone"], values["inmate_number"]
    if email and (len(email) > 254 or not EMAIL.fullmatch(email)):
        errors["email"] = "This is not an email address (name@example.org)."
    if phone and (len(phone) > 40 or not PHONE.fullmatch(phone) or not 7 <= _digits(phone) <= 15):
        errors["phone"] = "Give a phone number of 7 to 15 digits, in any format (860-555-0142, (860) 555 0142)."
    if number and values["role"] != ProtectedRole.INMATE.value:
        errors["inmate_number"] = "Only an inmate has an inmate number: choose the role inmate, or leave it empty."
    elif number and (len(number) > 20 or not INMATE_NUMBER.fullmatch(number)):
        errors["inmate_number"] = "An inmate number is up to 20 letters, digits and dashes."
    return errors


def _roster_employee(case: Case, entry: ProtectedPersonInput) -> Employee | None:
    """The roster employee the entry names by number (None when it names none), or InvalidInput saying why not."""
    number = (entry.employee_number or "").strip()
    if not number:
        return None
    employee = roster.find_employee(number[:20])
    if employee is None:
        raise InvalidInput({"employee_number": f"No employee on the roster has the number {number[:20]}."})
    if entry.role == ProtectedRole.INMATE.value:
        raise InvalidInput({"employee_number": "An inmate is not on the employee roster: leave the number empty."})
    if any(s.employee_id == employee.id for s in case.subjects):
        raise InvalidInput({"employee_number": f"{employee.display_name} is a subject of this case already."})
    if any(p.employee_id == employee.id for p in protected_people(case)):
        raise InvalidInput({"employee_number": f"{employee.display_name} is listed on this case already."})
    return employee


def add_protected_person(case: Case, entry: ProtectedPersonInput, actor: Actor) -> ProtectedPerson:
    """List a person of the case, whose identifiers are masked. The list is not part of what the case says (it
    changes no finding and voids no approval), so it may be kept up to date in any state, before each release."""
    permissions.require(
        permissions.can_see_reporter(actor.user, case), "Only those who may see the reporter list protected people."
    )
    employee = _roster_employee(case, entry)
    if employee is not None:  # the roster's name, as the evidence would spell it
        entry.name = f"{employee.first_name} {employee.last_name}"
    values = _checked(entry)
    with committing(f"the protected people of case {case.number}"):
        person = ProtectedPerson(
            case_id=case.id,
            role=values["role"],
            employee_id=employee.id if employee is not None else None,
            name=values["name"],
            email=values["email"],
            phone=values["phone"],
            inmate_number=values["inmate_number"],
            note=values["note"],
            added_by_id=actor.user.id,
            added_at=clock.now(),
        )
        db.session.add(person)
        db.session.flush()
        # the audit trail names the entry, never the person: it is shown to people who may not see them
        record_for(
            actor,
            "protected_person.added",
            case_id=case.id,
            object_type="protected_person",
            object_id=person.id,
            detail={"role": person.role} | ({"roster": True} if employee is not None else {}),
        )
    return person


def remove_protected_person(case: Case, person_id: int, actor: Actor) -> ProtectedPerson:
    """Take a person off the list (kept, with who removed them and when); their identifiers are masked no more."""
    permissions.require(
        permissions.can_see_reporter(actor.user, case), "Only those who may see the reporter remove protected people."
    )
    person = protected_person_of_case(case, person_id)
    if person is None:
        raise InvalidInput({"person": "This person is not on the case's list of protected people."})
    with committing(f"the protected people of case {case.number}"):
        person.removed_at = clock.now()
        person.removed_by_id = actor.user.id
        record_for(
            actor,
            "protected_person.removed",
            case_id=case.id,
            object_type="protected_person",
            object_id=person.id,
            detail={"role": person.role},
        )
    return person


def protected_person_of_case(case: Case, person_id: int) -> ProtectedPerson | None:
    """A person still listed on this case (None for another case's, or one removed)."""
    return db.session.scalar(
        select(ProtectedPerson).where(
            ProtectedPerson.id == person_id, ProtectedPerson.case_id == case.id, ProtectedPerson.removed_at.is_(None)
        )
    )


def protected_people(case: Case) -> list[ProtectedPerson]:
    """The people listed on the case and not removed, in the order they were listed."""
    return list(
        db.session.scalars(
            select(ProtectedPerson)
            .where(ProtectedPerson.case_id == case.id, ProtectedPerson.removed_at.is_(None))
            .order_by(ProtectedPerson.id)
        )
    )


def contact_identifiers(contact: str) -> list[Identifier]:
    """A free-text contact ("jane@example.org", "860.555.0142", "jane@example.org; 860-555-0142"), each part
    classified as an e-mail, a phone, or text to mask as it is written."""
    return [classify_contact(part) for part in CONTACT_SEPARATORS.split(contact) if part.strip()]


def protected_identifiers(case: Case) -> list[Identifier]:
    """Everything to mask for this case: the reporter's name and contact, and each listed person's name,
    e-mail, phone and inmate number; each once."""
    return _identifiers(case, protected_people(case))


def protected_identifiers_of(cases: list[Case]) -> dict[int, list[Identifier]]:
    """``protected_identifiers`` of many cases (a list, an export), the people read in one query."""
    people: dict[int, list[ProtectedPerson]] = {case.id: [] for case in cases}
    listed = select(ProtectedPerson).where(
        ProtectedPerson.case_id.in_(list(people)), ProtectedPerson.removed_at.is_(None)
    )
    for person in db.session.scalars(listed.order_by(ProtectedPerson.id)):
        people[person.case_id].append(person)
    return {case.id: _identifiers(case, people[case.id]) for case in cases}


def _identifiers(case: Case, people: list[ProtectedPerson]) -> list[Identifier]:
    found: list[Identifier] = []
    if case.reporter_name and case.reporter_name.strip():
        found.append(Identifier("name", case.reporter_name.strip()))
    if case.reporter_contact and case.reporter_contact.strip():
        found += contact_identifiers(case.reporter_contact)
    for person in people:
        found.append(Identifier("name", person.name))
        number = person.employee.employee_number if person.employee is not None else None
        identifiers = (("email", person.email), ("phone", person.phone), ("number", person.inmate_number))
        for kind, value in (*identifiers, ("number", number)):
            if value:
                found.append(Identifier(kind, value))
    unique: dict[tuple[str, str], Identifier] = {}
    for identifier in found:
        unique.setdefault((identifier.kind, identifier.value.casefold()), identifier)
    return list(unique.values())

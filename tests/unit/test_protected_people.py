"""The protected people of a case through the services: who may list and remove them, what is refused and
why, the audit trail, and the identifiers a release or a page must mask."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, ProtectedPerson
from project.permissions import NotPermitted, can_see_reporter
from project.services import casework
from project.services.errors import InvalidInput
from project.services.masking import Identifier, mask

Entry = casework.ProtectedPersonInput


def test_a_supervisor_lists_an_inmate_and_the_audit_names_the_role_not_the_person(world):
    case = world.approved()
    person = casework.add_protected_person(
        case,
        Entry("inmate", "  Marcus Hale ", inmate_number="CT-448812", note="Shown in the photo"),
        world.actor(world.supervisor),
    )
    assert [p.name for p in casework.protected_people(case)] == ["Marcus Hale"]
    assert person.added_by_id == world.supervisor.id and person.inmate_number == "CT-448812"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "protected_person.added")).one()
    assert event.case_id == case.id and event.object_id == str(person.id)
    assert "Marcus" not in str(event.detail) and "448812" not in str(event.detail)
    assert event.detail == {"role": "inmate"}


def test_removing_keeps_the_row_with_who_and_when_and_stops_masking_it(world):
    case = world.open()
    investigator = world.actor(world.investigator)
    person = casework.add_protected_person(case, Entry("witness", "Wanda Witness"), investigator)
    assert Identifier("name", "Wanda Witness") in casework.protected_identifiers(case)
    casework.remove_protected_person(case, person.id, investigator)
    assert casework.protected_people(case) == []
    assert Identifier("name", "Wanda Witness") not in casework.protected_identifiers(case)
    kept = db.session.get(ProtectedPerson, person.id)
    assert kept is not None and kept.removed_by_id == world.investigator.id and kept.removed_at is not None
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "protected_person").order_by(AuditEvent.id)
    ).all()
    assert actions == ["protected_person.added", "protected_person.removed"]
    with pytest.raises(InvalidInput, match="not on the case's list"):
        casework.remove_protected_person(case, person.id, investigator)


def test_only_those_who_see_the_reporter_list_or_remove_people(world):
    case = world.approved()
    person = casework.add_protected_person(case, Entry("employee", "Dana Other"), world.actor(world.supervisor))
    for user in (world.labor, world.investigator2, world.admin):
        with pytest.raises(NotPermitted):
            casework.add_protected_person(case, Entry("witness", "Sneaky Entry"), world.actor(user))
        with pytest.raises(NotPermitted):
            casework.remove_protected_person(case, person.id, world.actor(user))
    assert [p.name for p in casework.protected_people(case)] == ["Dana Other"]
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "protected_person").order_by(AuditEvent.id)
    ).all()
    assert len(events) == 1


def test_another_cases_person_cannot_be_removed_through_this_case(world):
    mine, other = world.open(), world.open()
    person = casework.add_protected_person(other, Entry("witness", "Wanda Witness"), world.actor(world.supervisor))
    with pytest.raises(InvalidInput):
        casework.remove_protected_person(mine, person.id, world.actor(world.supervisor))
    assert casework.protected_people(other) == [person]


@pytest.mark.parametrize(
    "entry,field,message",
    [
        (Entry("", "A Name"), "role", "Choose the person's part"),
        (Entry("bystander", "A Name"), "role", "Choose the person's part"),
        (Entry("witness", "   "), "name", "Give the person's name"),
        (Entry("witness", "x" * 201), "name", "at most 200 characters"),
        (Entry("witness", "A Name", email="not-an-address"), "email", "not an email address"),
        (Entry("witness", "A Name", phone="555-01"), "phone", "7 to 15 digits"),
        (Entry("witness", "A Name", phone="call me maybe 5550142"), "phone", "7 to 15 digits"),
        (Entry("witness", "A Name", inmate_number="123456"), "inmate_number", "Only an inmate"),
        (Entry("inmate", "A Name", inmate_number="12 34; drop"), "inmate_number", "letters, digits and dashes"),
        (Entry("other", "A Name", note="n" * 501), "note", "at most 500 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message_by_field_and_nothing_saved(world, entry, field, message):
    case = world.open()
    with pytest.raises(InvalidInput) as refused:
        casework.add_protected_person(case, entry, world.actor(world.investigator))
    assert message in refused.value.errors[field]
    assert casework.protected_people(case) == []
    assert (
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "protected_person").order_by(AuditEvent.id)
        ).all()
        == []
    )


def test_the_reporter_counts_with_a_phone_contact(world):
    case = world.open()  # reporter "Officer R. Reporter", contact "555-0100"
    casework.add_protected_person(
        case,
        Entry("inmate", "Marcus Hale", email="M.Hale@Example.org", phone="(203) 555-0177", inmate_number="448812"),
        world.actor(world.investigator),
    )
    assert casework.protected_identifiers(case) == [
        Identifier("name", "Officer R. Reporter"),
        Identifier("phone", "555-0100"),
        Identifier("name", "Marcus Hale"),
        Identifier("email", "M.Hale@Example.org"),
        Identifier("phone", "(203) 555-0177"),
        Identifier("number", "448812"),
    ]


def test_the_reporters_contact_as_an_e_mail_or_both_is_classified_part_by_part(world):
    case = world.open()
    case.reporter_name, case.reporter_contact = "Janet O'Brien", "Janet.OBrien@Example.org"
    assert casework.protected_identifiers(case) == [
        Identifier("name", "Janet O'Brien"),
        Identifier("email", "Janet.OBrien@Example.org"),
    ]
    case.reporter_contact = "janet@example.org; 860.555.0142"
    found = casework.protected_identifiers(case)
    assert found[1:] == [Identifier("email", "janet@example.org"), Identifier("phone", "860.555.0142")]
    text = "Call JANET@EXAMPLE.ORG or 860-555-0142; Janet O’Brien’s post"
    assert mask(text, found) == "Call [REDACTED] or [REDACTED]; [REDACTED]’s post"


def test_a_case_without_reporter_or_people_has_nothing_to_mask(world):
    case = world.open()
    case.reporter_name = case.reporter_contact = None
    assert casework.protected_identifiers(case) == []


def test_the_investigator_who_logged_a_complaint_sees_its_reporter_until_it_goes_to_someone_else(world):
    case = world.intake()  # logged by world.investigator, unassigned
    assert can_see_reporter(world.investigator, case)
    assert not can_see_reporter(world.investigator2, case)  # in the same intake queue, did not log it
    casework.assign_investigator(case, world.investigator2, world.actor(world.supervisor))
    assert can_see_reporter(world.investigator2, case) and not can_see_reporter(world.investigator, case)


def test_the_identifiers_of_many_cases_are_each_cases_own(world):
    first, second = world.open(), world.open()
    second.reporter_contact = "someone@example.org"
    casework.add_protected_person(first, Entry("witness", "Wanda Witness"), world.actor(world.supervisor))
    found = casework.protected_identifiers_of([first, second])
    assert found == {first.id: casework.protected_identifiers(first), second.id: casework.protected_identifiers(second)}
    assert Identifier("name", "Wanda Witness") in found[first.id] and found[second.id] == [
        Identifier("name", "Officer R. Reporter"),
        Identifier("email", "someone@example.org"),
    ]

"""The people of a case (issue 17, item 1): the complainant and victims join witnesses, inmates and other
employees; an employee is linked from the roster by number, anyone else kept by name and contact; and every one
of them is masked in release copies."""

from __future__ import annotations

import io

import pytest
from flask import current_app
from pypdf import PdfReader

from project.services import casework, packets
from project.services.errors import InvalidInput
from project.services.masking import Identifier

Entry = casework.ProtectedPersonInput


@pytest.mark.parametrize("role,label", [("complainant", "Complainant"), ("victim", "Victim")])
def test_the_complainant_and_a_victim_are_listed_and_masked(world, role, label):
    case = world.open()
    casework.add_protected_person(
        case, Entry(role, "Rosa Delgado", phone="860-555-0148"), world.actor(world.investigator)
    )
    person = casework.protected_people(case)[0]
    assert (person.role, person.role_label) == (role, label)
    masked = casework.protected_identifiers(case)
    assert Identifier("name", "Rosa Delgado") in masked and Identifier("phone", "860-555-0148") in masked


def test_an_employee_is_linked_from_the_roster_by_number_and_the_number_is_masked_too(world):
    case = world.open()
    witness = world.employees.make(last_name="Okafor")
    person = casework.add_protected_person(
        case, Entry("witness", "", employee_number=witness.employee_number), world.actor(world.investigator)
    )
    assert person.employee_id == witness.id and person.name == f"{witness.first_name} Okafor"
    masked = casework.protected_identifiers(case)
    assert Identifier("number", witness.employee_number) in masked
    with pytest.raises(InvalidInput, match="listed on this case already"):
        casework.add_protected_person(
            case, Entry("employee", "", employee_number=witness.employee_number), world.actor(world.investigator)
        )


@pytest.mark.parametrize(
    "entry,message",
    [
        (Entry("witness", "", employee_number="999999"), "No employee on the roster has the number 999999"),
        (Entry("inmate", "", employee_number="SUBJECT"), "An inmate is not on the employee roster"),
        (Entry("witness", "", employee_number="SUBJECT"), "is a subject of this case already"),
    ],
)
def test_a_roster_link_is_refused_with_its_reason(world, entry, message):
    case = world.open()
    subject = world.with_subject(case)
    if entry.employee_number == "SUBJECT":
        entry.employee_number = subject.employee.employee_number
    with pytest.raises(InvalidInput) as refused:
        casework.add_protected_person(case, entry, world.actor(world.investigator))
    assert message in refused.value.errors["employee_number"]
    assert casework.protected_people(case) == []


def test_a_release_packet_masks_a_victim_and_a_roster_witness_and_the_internal_one_names_them(world):
    case = world.approved_with_discipline()
    supervisor = world.actor(world.supervisor)
    witness = world.employees.make(last_name="Okafor")
    casework.add_protected_person(case, Entry("victim", "Rosa Delgado", phone="860-555-0148"), supervisor)
    casework.add_protected_person(case, Entry("witness", "", employee_number=witness.employee_number), supervisor)
    settings = packets.PrintSettings(current_app.config["EVIDENCE_DIR"], "DOC-")

    def text(variant: str) -> str:
        pdf = packets.render_packet(case, packets.PacketOrder(variant, recipient="union"), settings).pdf
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", " ")

    internal = text("full")
    assert "Rosa Delgado" in internal and "Okafor" in internal and witness.employee_number in internal
    assert "Victim" in internal and "5. People of the case and interviews" in internal
    released = text("redacted")
    assert "Rosa Delgado" not in released and "0148" not in released
    assert "Okafor" not in released and witness.employee_number not in released
    assert "Victim" in released and "[REDACTED]" in released

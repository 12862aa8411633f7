"""Finding the right employee to link (issue 16, item 1), unlinking a wrong one, and finding cases by their
subjects (item 2). Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, CaseSubject
from project.permissions import NotPermitted
from project.services import casework, roster, search
from project.services.errors import InvalidInput

ROSTER = (
    "employee_number,last_name,first_name,title,facility\n"
    "100487,Kowalski,Terrence,Correction Officer,Osborn CI\n"
    "100478,Kowalczyk,Anna,Lieutenant,Cheshire CI\n"
    "200311,Nguyen,Terry,Counselor,Osborn CI\n"
    "300902,O'Brien,Sean,Correction Officer,York CI\n"
)


@pytest.fixture()
def people(world):
    roster.import_roster(ROSTER)
    return {e.employee_number: e for e in roster.list_employees()}


def numbers(query: str) -> list[str]:
    return [e.employee_number for e in roster.find_employees(query).employees]


def test_kowalski_is_found_by_name_as_typed(people):
    assert numbers("Kowalski") == ["100487"]
    assert numbers("kow") == ["100478", "100487"]  # a name being typed: Kowalczyk, Kowalski
    assert numbers("Kowalski, Terrence") == ["100487"]
    assert numbers("terrence kowalski") == ["100487"]
    assert numbers("Ter") == ["100487", "200311"]  # first names too: Terrence, Terry


def test_employees_are_found_by_number_or_facility(people):
    assert numbers("100487") == ["100487"]
    assert numbers("1004") == ["100478", "100487"]  # a number being typed
    assert numbers("Osborn") == ["100487", "200311"]
    assert numbers("osborn kow") == ["100487"]  # every word must match something
    assert numbers("o'brien") == ["300902"]


def test_nothing_typed_or_nothing_found_is_an_empty_answer(people):
    assert numbers("") == [] and numbers("   ,  ") == []
    assert numbers("Zbigniew") == []
    assert numbers("%") == [] and numbers("_") == []  # LIKE's wildcards are plain characters here


def test_at_most_twenty_matches_and_it_says_there_are_more(world):
    rows = "\n".join(f"5{i:05d},Smith{i:02d},Pat,Officer,Garner CI" for i in range(25))
    roster.import_roster("employee_number,last_name,first_name,title,facility\n" + rows + "\n")
    found = roster.find_employees("smith")
    assert len(found.employees) == roster.PICKER_LIMIT == 20
    assert found.more is True
    assert roster.find_employees("smith0").more is False  # Smith00..Smith09


def test_a_mistyped_number_can_be_unlinked_with_a_reason_while_the_case_is_open(world, people):
    case = world.open()
    wrong = casework.link_subject(case, people["100478"], world.actor(world.investigator))  # meant 100487
    version = case.content_version
    with pytest.raises(InvalidInput) as refused:
        casework.unlink_subject(case, wrong, "  ", world.actor(world.investigator))
    assert "reason" in refused.value.errors
    casework.unlink_subject(case, wrong, "Typed 100478 for 100487.", world.actor(world.investigator))
    db.session.expire_all()
    assert case.subjects == [] and case.content_version == version + 1
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "subject.unlinked")).one()
    assert event.case_id == case.id and event.actor_id == world.investigator.id
    assert event.detail["employee_number"] == "100478" and event.detail["reason"] == "Typed 100478 for 100487."
    casework.link_subject(case, people["100487"], world.actor(world.investigator))
    assert [s.employee.last_name for s in case.subjects] == ["Kowalski"]


def test_unlinking_is_refused_once_the_case_left_the_investigation(world):
    case = world.in_review()
    with pytest.raises(NotPermitted, match="only while the case is in intake or open"):
        casework.unlink_subject(case, case.subjects[0], "Wrong officer.", world.actor(world.investigator))
    with pytest.raises(NotPermitted):
        casework.unlink_subject(case, case.subjects[0], "Wrong officer.", world.actor(world.supervisor))
    assert len(case.subjects) == 1


def test_only_whoever_may_edit_the_case_unlinks(world, people):
    case = world.open()
    subject = casework.link_subject(case, people["100487"], world.actor(world.investigator))
    with pytest.raises(NotPermitted):
        casework.unlink_subject(case, subject, "Not mine.", world.actor(world.investigator2))
    assert db.session.scalar(select(CaseSubject.id).where(CaseSubject.id == subject.id)) == subject.id


def test_a_subject_with_allegations_stays_linked_and_the_refusal_says_why(world):
    case = world.ready_for_review()
    subject = case.subjects[0]
    with pytest.raises(InvalidInput) as refused:
        casework.unlink_subject(case, subject, "Wrong officer.", world.actor(world.investigator))
    assert "allegation" in refused.value.errors["reason"]
    assert len(case.subjects) == 1


def found(user, query: str) -> list[str]:
    return [hit.number for hit in search.search(user, query)]


def test_search_finds_a_case_by_its_subjects_name_or_number(world, people):
    case = world.open(title="Photo of the tower", text="Nice view tonight")
    casework.link_subject(case, people["100487"], world.actor(world.investigator))
    world.open(title="Another post", text="Nothing to see")
    for query in ("Kowalski", "Terrence", "100487", "kowal", "Terrence Kowalski"):
        assert found(world.supervisor, query) == [case.number], query
    hit = search.search(world.supervisor, "Kowalski")[0]
    assert hit.kind == "subject" and "<mark>Kowalski</mark>" in hit.snippet
    assert case.id in set(db.session.scalars(search.matching_case_ids(search.scope_of("100487"))))  # the list


def test_a_person_never_finds_by_subject_a_case_they_cannot_open(world, people):
    case = world.open()
    casework.link_subject(case, people["100487"], world.actor(world.investigator))
    assert found(world.investigator, "Kowalski") == [case.number]
    assert found(world.investigator2, "Kowalski") == []  # assigned to someone else
    assert found(world.labor, "Kowalski") == []  # not yet approved
    assert found(world.users.make("supervisor", employee_number="100487"), "Kowalski") == []  # his own case


def test_an_unlinked_subject_no_longer_finds_the_case_and_a_renamed_one_does(world, people):
    case = world.open()
    wrong = casework.link_subject(case, people["100478"], world.actor(world.investigator))
    casework.link_subject(case, people["100487"], world.actor(world.investigator))
    casework.unlink_subject(case, wrong, "Wrong officer.", world.actor(world.investigator))
    assert found(world.supervisor, "Kowalczyk") == []
    roster.import_roster(ROSTER.replace("Kowalski,", "Kowalski-Reyes,"))
    assert found(world.supervisor, "Reyes") == [case.number]

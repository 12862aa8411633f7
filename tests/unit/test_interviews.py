"""Interviews through the services (issue 17, item 2): what a compelled, a criminal and a voluntary interview must
record, Weingarten for a subject, recordings from the case's own exhibits, who may record them and when, and the
audit trail of each add and change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from project import clock
from project.extensions import db
from project.models import AuditEvent, Interview
from project.permissions import NotPermitted
from project.services import casework
from project.services.errors import InvalidInput, StaleEdit


def witness_of(world, case, name: str = "Wanda Witness", role: str = "witness"):
    return casework.add_protected_person(
        case, casework.ProtectedPersonInput(role, name), world.actor(world.investigator)
    )


def interview_count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Interview)) or 0)


def test_a_compelled_interview_of_a_subject_is_recorded_with_garrity_weingarten_and_a_recording(world):
    case = world.open()
    subject = world.with_subject(case)
    recording = world.add_screenshot(case)  # any exhibit of the case stands for a recording here
    signed = world.add_screenshot(case, text="Garrity form, signed")
    before = case.content_version
    interview = world.interviewed(
        case,
        subject,
        recording_ids=[recording.id],
        garrity_exhibit_id=signed.id,
        interviewer_ids=[world.investigator.id, world.supervisor.id],
    )
    assert interview.completed_administrative and interview.garrity_form_version == "DOC Garrity form rev. 2024-01"
    assert [e.number for e in interview.recordings] == [1] and interview.garrity_exhibit.number == 2
    assert {u.name for u in interview.interviewers} == {"Ivy Investigator", "Sue Supervisor"}
    assert (interview.representative_name, interview.representative_union) == ("Sam Steward", "AFSCME Local 1565")
    assert case.content_version == before + 1  # part of what the case says: an approval of it would be voided
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.recorded")).one()
    assert event.object_id == str(interview.id) and event.detail["kind"] == "administrative"
    assert event.detail["recordings"] == [1] and event.detail["signed_garrity_exhibit"] == 2


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"garrity_acknowledged": False}, "garrity_given", "Garrity warning given and acknowledged"),
        ({"garrity_given": False}, "garrity_given", "Garrity warning given and acknowledged"),
        ({"garrity_form_version": "  "}, "garrity_form_version", "department setting"),
        ({"representation": ""}, "representation", "Weingarten"),
        ({"representative_union": ""}, "representative_name", "name and union"),
        ({"representation": "waived"}, "representative_name", "only when one was requested"),
        ({"interviewer_ids": []}, "interviewers", "at least one interviewer"),
        ({"place": " "}, "place", "where the interview was held"),
        ({"summary": ""}, "summary", "summary of the statement"),
        ({"held_at": None}, "held_at", "date and time"),
        ({"kind": "voluntary"}, "kind", "administrative (compelled, with Garrity) or criminal"),
        ({"kind": "chat"}, "kind", "Choose the type"),
        ({"person": "subject:999999"}, "person", "Choose who was interviewed"),
        ({"person": "nobody"}, "person", "Choose who was interviewed"),
    ],
)
def test_an_incomplete_interview_is_refused_naming_the_field_and_nothing_is_saved(world, changes, field, message):
    case = world.open()
    subject = world.with_subject(case)
    with pytest.raises(InvalidInput) as refused:
        world.interviewed(case, subject, **changes)
    assert message in refused.value.errors[field]
    assert interview_count() == 0


def test_an_interview_cannot_be_dated_in_the_future(world):
    case = world.open()
    subject = world.with_subject(case)
    with pytest.raises(InvalidInput, match="cannot be in the future"):
        world.interviewed(case, subject, held_at=clock.now() + timedelta(hours=1))


def test_a_criminal_interview_records_its_referral_and_carries_no_garrity(world):
    case = world.open()
    subject = world.with_subject(case)
    criminal = {"kind": "criminal", "garrity_given": False, "garrity_acknowledged": False, "garrity_form_version": ""}
    with pytest.raises(InvalidInput) as refused:
        world.interviewed(case, subject, **criminal)
    assert "to whom" in refused.value.errors["referred_to"] and "date" in refused.value.errors["referred_on"]
    with pytest.raises(InvalidInput, match="Only an administrative"):
        world.interviewed(case, subject, **(criminal | {"garrity_given": True}))
    referral = {"referred_to": "State Police, Troop H", "referred_on": clock.local_today()}
    interview = world.interviewed(case, subject, **criminal, **referral)
    assert interview.kind == "criminal" and interview.garrity_form_version is None
    assert not interview.completed_administrative
    with pytest.raises(InvalidInput, match="Only a criminal interview records a referral"):
        world.interviewed(case, subject, **referral)


def test_a_witness_gives_a_voluntary_statement_without_weingarten(world):
    case = world.open()
    person = witness_of(world, case, "Marcus Hale", "inmate")
    interview = world.interviewed(
        case,
        world.with_subject(case),
        person=f"person:{person.id}",
        kind="voluntary",
        garrity_given=False,
        garrity_acknowledged=False,
        representation="",
        representative_name="",
        representative_union="",
    )
    assert interview.person_id == person.id and interview.subject_id is None
    assert interview.interviewee_part == "Inmate (named or shown)"


def test_recordings_and_the_signed_form_must_be_exhibits_of_this_case(world):
    case, other = world.open(), world.open()
    subject = world.with_subject(case)
    elsewhere = world.add_screenshot(other)
    with pytest.raises(InvalidInput) as refused:
        world.interviewed(case, subject, recording_ids=[elsewhere.id])
    assert "exhibits of this case" in refused.value.errors["recordings"]
    with pytest.raises(InvalidInput) as refused:
        world.interviewed(case, subject, garrity_exhibit_id=elsewhere.id)
    assert "exhibits of this case" in refused.value.errors["garrity_exhibit"]
    another_case_person = witness_of(world, other)
    with pytest.raises(InvalidInput, match="Choose who was interviewed"):
        world.interviewed(case, subject, person=f"person:{another_case_person.id}", kind="voluntary")
    assert interview_count() == 0


def test_only_the_investigator_working_an_open_case_records_interviews(world):
    case = world.open()
    subject = world.with_subject(case)
    for user in (world.investigator2, world.supervisor, world.labor, world.admin):
        with pytest.raises(NotPermitted):
            casework.record_interview(case, _entry(world, subject), world.actor(user))
    submitted = world.proposed()
    casework.submit_for_review(submitted, world.actor(world.investigator))
    with pytest.raises(NotPermitted, match="while it is open; this case is in review"):
        world.interviewed(submitted, submitted.subjects[0])
    intake = world.intake()
    with pytest.raises(NotPermitted):
        casework.record_interview(intake, _entry(world, subject), world.actor(world.investigator))
    assert interview_count() == 1  # the one the submitted case was built with


def _entry(world, subject) -> casework.InterviewInput:
    return casework.InterviewInput(
        person=f"subject:{subject.id}",
        held_at=clock.now() - timedelta(hours=1),
        place="IA office",
        kind="administrative",
        interviewer_ids=[world.investigator.id],
        garrity_given=True,
        garrity_acknowledged=True,
        garrity_form_version="rev. 1",
        representation="waived",
        summary="Declined to comment.",
    )


def test_a_change_is_audited_with_the_fields_changed_and_a_stale_form_is_refused(world):
    case = world.open()
    subject = world.with_subject(case)
    interview = world.interviewed(case, subject)
    version = interview.row_version
    entry = _entry(world, subject)
    casework.change_interview(case, interview, entry, world.actor(world.investigator), version)
    assert interview.representation == "waived" and interview.representative_name is None
    assert interview.changed_by_id == world.investigator.id and interview.changed_at is not None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.changed")).one()
    assert {"representation", "representative_name", "place", "summary"} <= set(event.detail["fields"])
    assert event.detail["before"]["representation"] == "requested"
    assert "Declined" not in str(event.detail)  # the audit names fields, never what a person said
    with pytest.raises(StaleEdit):
        casework.change_interview(case, interview, entry, world.actor(world.investigator), version)


def test_a_changed_signed_form_is_audited_by_its_new_exhibit_number(world):
    case = world.open()
    subject = world.with_subject(case)
    first = world.add_screenshot(case)
    second = world.add_screenshot(case, text="Garrity form, signed")
    interview = world.interviewed(case, subject, garrity_exhibit_id=first.id)
    entry = _entry(world, subject)
    entry.garrity_exhibit_id = second.id
    casework.change_interview(case, interview, entry, world.actor(world.investigator), interview.row_version)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.changed")).one()
    assert (event.detail["before"]["signed_garrity_exhibit"], event.detail["after"]["signed_garrity_exhibit"]) == (1, 2)
    assert "garrity_exhibit_id" in event.detail["fields"]
    assert [e.what for e in casework.timeline(case)][-2:] == ["Interview recorded", "Interview changed"]

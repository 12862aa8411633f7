"""Due process in order (issue 14, part 5): approval, meeting, decision, notice, copy; the meeting record; the
decision-maker (an appointing authority, RCSA 5-240-1a(a)) and a departure's reason; an immediate dismissal
at the close of the meeting (RCSA 5-240-8a(b)); the report to the personnel office; a letter dated the day
it is issued unless backdated with a reason, and the written-notice clock kept by the real issue date.
The frozen clock starts on 2026-03-02, the day the factory approves its cases."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent
from project.services import deadlines, labor
from project.services.errors import InvalidInput
from tests.factories import PASSWORD
from tests.unit.test_letters import case_for_letters, pdf_text, print_as_labor

TODAY = date(2026, 3, 2)


def refused(world, case, **changes) -> dict[str, str]:
    with pytest.raises(InvalidInput) as failure:
        world.labor_record(case, **changes)
    return failure.value.errors


def test_the_dates_run_approval_meeting_decision_notice_copy(world, frozen_clock):
    case = world.approved_with_discipline(step="suspension", days=3)  # approved 2026-03-02
    frozen_clock.advance(days=10)  # today is 2026-03-12
    assert "cannot come before the approval of the case (2026-03-02)" in refused(
        world, case, meeting_on=date(2026, 3, 1)
    ).get("meeting_on", "")
    assert "cannot come before the approval of the case (2026-03-02)" in refused(
        world, case, decision_on=date(2026, 2, 27)
    ).get("decision_on", "")
    assert "cannot come before the pre-disciplinary meeting (2026-03-05)" in refused(
        world, case, meeting_on=date(2026, 3, 5), decision_on=date(2026, 3, 4)
    ).get("decision_on", "")
    assert "cannot come before the decision to discipline (2026-03-06)" in refused(
        world, case, meeting_on=date(2026, 3, 5), decision_on=date(2026, 3, 6), notice_issued_on=date(2026, 3, 5)
    ).get("notice_issued_on", "")
    assert "cannot come before the written notice (2026-03-09)" in refused(
        world,
        case,
        meeting_on=date(2026, 3, 5),
        decision_on=date(2026, 3, 6),
        notice_issued_on=date(2026, 3, 9),
        employee_copy_on=date(2026, 3, 8),
    ).get("employee_copy_on", "")
    action = world.labor_record(
        case,
        meeting_on=date(2026, 3, 5),
        decision_on=date(2026, 3, 6),
        notice_issued_on=date(2026, 3, 9),
        employee_copy_on=date(2026, 3, 9),
    )
    assert (action.meeting_on, action.decision_on, action.decided_by_id) == (
        date(2026, 3, 5),
        date(2026, 3, 6),
        world.appointing.id,
    )


def test_the_meeting_record_holds_who_where_and_what_was_said(world, frozen_clock):
    case = world.approved_with_discipline()
    action = world.labor_record(
        case,
        meeting_on=TODAY,
        meeting_time=time(10, 30),
        meeting_place="Warden's conference room",
        meeting_attendees="The employee; R. Lee (steward); Deputy Warden Ortiz",
        union_rep_name="R. Lee",
        union_rep_union="NP-4",
        employee_response="Said the photo was taken off duty.",
        documents_given="The pre-disciplinary notice; Exhibit 1",
    )
    assert (action.meeting_time, action.meeting_place, action.union_rep_name, action.union_rep_union) == (
        time(10, 30),
        "Warden's conference room",
        "R. Lee",
        "NP-4",
    )
    assert (action.employee_response, action.documents_given) == (
        "Said the photo was taken off duty.",
        "The pre-disciplinary notice; Exhibit 1",
    )
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "labor.recorded")).one()
    assert event.detail["after"]["meeting_time"] == "10:30" and event.detail["after"]["union_rep_name"] == "R. Lee"
    version = action.row_version
    both = refused(
        world, case, expected_version=version, union_rep_name="R. Lee", union_rep_union="NP-4", union_rep_waived=True
    )
    assert both == {"union_rep_waived": "Record either the union representative or the employee's waiver, not both."}
    assert refused(world, case, expected_version=version, union_rep_name="R. Lee") == {
        "union_rep_union": "Give both the representative's name and the union."
    }
    waived = world.labor_record(case, version, meeting_on=TODAY, union_rep_waived=True)
    assert waived.union_rep_waived and waived.union_rep_name == ""


def test_a_decision_names_an_appointing_authority(world, frozen_clock):
    case = world.approved_with_discipline()
    assert refused(world, case, decision_on=TODAY, decided_by_id=None) == {
        "decided_by_id": "Name the appointing authority who made the decision."
    }
    assert refused(world, case, decision_on=TODAY, decided_by_id=world.labor.id) == {
        "decided_by_id": "The decision-maker must be a user with the appointing authority role."
    }
    action = world.labor_record(case, meeting_on=TODAY, decision_on=TODAY)
    assert action.decided_by.name == "Ari Appointing"
    assert labor.appointing_authorities() == [world.appointing]


def test_a_step_other_than_the_approved_one_needs_a_reason_which_is_audited(world, frozen_clock):
    case = world.approved_with_discipline(step="suspension", days=3)
    errors = refused(world, case, imposed_step="written_reprimand")
    assert errors == {
        "departure_reason": "The approved step is Suspension: give the reason for imposing Written reprimand instead."
    }
    world.labor_record(case, imposed_step="suspension", imposed_suspension_days=3)  # the approved step: no reason
    action = labor.labor_action_of(case.subjects[0])
    world.labor_record(
        case,
        action.row_version,
        imposed_step="written_reprimand",
        departure_reason="The employee removed the post within the hour and self-reported.",
    )
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "labor.recorded").order_by(AuditEvent.id.desc())
    ).first()
    assert event.detail["before"]["departure_reason"] == ""
    assert (
        event.detail["after"]["departure_reason"] == "The employee removed the post within the hour and self-reported."
    )


def test_an_immediate_dismissal_takes_effect_at_the_close_of_the_meeting_with_its_reason(app, world, frozen_clock):
    case = case_for_letters(world, step="dismissal", days=None)
    common = {"meeting_on": TODAY, "decision_on": TODAY, "effective_on": TODAY}
    # without the flag, a dismissal waits two weeks after the notice
    assert (
        "the earliest effective date is 2026-03-16"
        in refused(world, case, imposed_step="dismissal", **common)["effective_on"]
    )
    errors = refused(world, case, imposed_step="dismissal", immediate_dismissal=True, **common)
    assert errors["immediate_dismissal_reason"].startswith("RCSA 5-240-8a(b): state the specific reason")
    errors = refused(
        world,
        case,
        imposed_step="suspension",
        imposed_suspension_days=3,
        immediate_dismissal=True,
        immediate_dismissal_reason="Threatened a staff member.",
        departure_reason="Reduced.",
        **common,
    )
    assert errors == {"immediate_dismissal": "Only a dismissal can take effect at the close of the meeting."}
    reason = "The post gave the transport schedule of inmates, endangering staff and inmates."
    action = world.labor_record(
        case, imposed_step="dismissal", immediate_dismissal=True, immediate_dismissal_reason=reason, **common
    )
    assert (action.immediate_dismissal, action.effective_on) == (True, TODAY)
    _, pdf = print_as_labor(app, world, case, "notice_of_discipline")
    text = pdf_text(pdf)
    assert (
        "The discipline takes effect at the close of the pre-disciplinary meeting on March 2, 2026, under section "
        f"5-240-8a(b) of the Regulations of Connecticut State Agencies, for this specific reason: {reason}"
    ) in text


def test_the_report_to_the_personnel_office_is_recorded_and_audited(world, frozen_clock):
    case = world.approved_with_discipline(step="dismissal")
    assert refused(world, case, personnel_office_notified_on=date(2026, 3, 3)) == {
        "personnel_office_notified_on": "The date the personnel office was notified cannot be in the future "
        "(today is 2026-03-02)."
    }
    action = world.labor_record(case, personnel_office_notified_on=TODAY)
    assert action.personnel_office_notified_on == TODAY
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "labor.recorded")).one()
    assert event.detail["after"]["personnel_office_notified_on"] == "2026-03-02"


def test_a_backdated_letter_needs_a_reason_and_the_clock_keeps_the_real_issue_date(
    app, world, frozen_clock, client, sign_in
):
    case = case_for_letters(world, step="suspension", days=3)
    world.labor_record(
        case,
        meeting_on=TODAY,
        decision_on=TODAY,
        imposed_step="suspension",
        imposed_suspension_days=3,
        effective_on=date(2026, 3, 23),
    )
    frozen_clock.advance(days=10)  # printed on 2026-03-12, three days after the written notice was due
    with pytest.raises(InvalidInput) as failure:
        print_as_labor(app, world, case, "notice_of_discipline", on=date(2026, 3, 5))
    assert failure.value.errors["backdated_reason"].startswith("A letter is dated the day it is issued (2026-03-12)")
    order = labor.LetterOrder("notice_of_discipline", date(2026, 3, 5), "Signed on 3/5; printing was delayed.")
    letter, _ = labor.print_letter(case, case.subjects[0], order, world.actor(world.labor), app.config["EVIDENCE_DIR"])
    assert (letter.letter_date, letter.issued_on, letter.backdated_reason) == (
        date(2026, 3, 5),
        date(2026, 3, 12),
        "Signed on 3/5; printing was delayed.",
    )
    assert labor.labor_action_of(case.subjects[0]).notice_issued_on == date(2026, 3, 12)
    [clock] = [d for d in deadlines.case_deadlines(case, date(2026, 3, 12)) if d.rule.code == "written_notice"]
    assert (clock.on, clock.done_on, clock.is_late) == (date(2026, 3, 9), date(2026, 3, 12), True)
    sign_in(client, world.labor.email, PASSWORD)
    listing = client.get(f"/cases/{case.number}/subjects/{case.subjects[0].id}/letters").get_data(as_text=True)
    assert "BACKDATED" in listing and "issued 2026-03-12" in listing and "printing was delayed" in listing
    assert "Source: department setting (not yet confirmed by anyone)" in listing  # the unit's appeal rights

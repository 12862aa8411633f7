"""After the notice: a grievance through the unit's steps with their deadlines, arbitration and the award,
settlements and last-chance agreements; the record keeps the discipline as imposed and adds it as modified,
progressive discipline counts what stands, and the case cannot close while a grievance is open. The case is
approved and noticed on 2026-03-02; the grievance runs after, to today, 2026-05-01."""

from __future__ import annotations

import io
from datetime import date

import pytest
from flask import current_app
from pypdf import PdfReader
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, DisciplineRecord, Grievance, Notification
from project.permissions import NotPermitted
from project.services import casework, dashboard, deadlines, discipline, grievances, labor, notifications, packets
from project.services.errors import CaseworkError, InvalidInput, StaleEdit

NOTICE = date(2026, 3, 2)
TODAY = date(2026, 5, 1)


def dismissed(world, frozen_clock):
    """A case in discipline whose subject was dismissed, noticed on 2026-03-02 and effective on 2026-03-16;
    the clock then moves on to 2026-05-01."""
    case = world.approved_with_discipline(step="dismissal")
    world.labor_record(case, notice_issued_on=NOTICE, imposed_step="dismissal", effective_on=date(2026, 3, 16))
    frozen_clock.advance(days=60)
    return case


def filed(world, case, on=date(2026, 3, 9)):
    return grievances.file_grievance(
        case,
        case.subjects[0],
        grievances.GrievanceInput(on, "26-114", "Sam Steward", "AFSCME Local 1565"),
        world.actor(world.labor),
    )


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_a_grievance_is_filed_at_the_units_first_step_with_its_deadlines_and_their_source(world, frozen_clock):
    case = dismissed(world, frozen_clock)
    grievance = filed(world, case)
    [step] = grievance.steps
    assert (step.number, step.name, step.filed_on) == (1, "Step 1 (facility)", date(2026, 3, 9))
    assert step.file_due_on == date(2026, 4, 1)  # 30 days after the written notice
    assert step.hearing_due_on == date(2026, 3, 19)  # 10 days after the filing
    assert step.source_label == "department setting (not yet confirmed by anyone)"
    assert grievance.is_open and grievance.representative == "Sam Steward"
    [event] = events("grievance.filed")
    assert event.detail["after"]["steps"][0]["filed_on"] == "2026-03-09" and event.detail["before"] is None


def test_a_grievance_needs_the_notice_labor_relations_and_a_case_in_discipline(world, frozen_clock):
    case = world.approved_with_discipline(step="written_reprimand")
    world.labor_record(case, meeting_place="Warden's office")
    with pytest.raises(InvalidInput) as no_notice:
        filed(world, case)
    assert no_notice.value.errors == {"filed_on": "A grievance follows the written notice: record the notice first."}
    case = dismissed(world, frozen_clock)
    with pytest.raises(NotPermitted):
        grievances.file_grievance(
            case, case.subjects[0], grievances.GrievanceInput(TODAY), world.actor(world.supervisor)
        )
    with pytest.raises(InvalidInput) as bad_day:
        grievances.file_grievance(
            case, case.subjects[0], grievances.GrievanceInput(date(2026, 2, 27)), world.actor(world.labor)
        )
    assert bad_day.value.errors == {"filed_on": "The day the grievance was filed cannot be before 2026-03-02."}
    filed(world, case)
    with pytest.raises(InvalidInput, match="already on record"):
        filed(world, case)


def test_each_step_is_heard_decided_and_appealed_within_its_deadlines(world, frozen_clock):
    case = dismissed(world, frozen_clock)
    grievance = filed(world, case)
    labor_actor = world.actor(world.labor)
    grievances.record_step(
        case, grievance, grievances.StepInput(hearing_on=date(2026, 3, 17)), labor_actor, grievance.row_version
    )
    assert grievance.steps[0].decision_due_on == date(2026, 3, 27)
    with pytest.raises(InvalidInput) as undecided:
        grievances.appeal_grievance(case, grievance, date(2026, 3, 29), labor_actor, grievance.row_version)
    assert "current step is decided" in undecided.value.errors["appealed_on"]
    grievances.record_step(
        case,
        grievance,
        grievances.StepInput(decision_on=date(2026, 3, 25), decision="denied", decision_text="Just cause shown."),
        labor_actor,
        grievance.row_version,
    )
    assert grievance.steps[0].appeal_due_on == date(2026, 4, 4)  # step 2's 10 days to appeal
    step2 = grievances.appeal_grievance(case, grievance, date(2026, 3, 31), labor_actor, grievance.row_version)
    assert (step2.number, step2.file_due_on, step2.hearing_due_on) == (2, date(2026, 4, 4), date(2026, 4, 15))
    assert grievance.current_step is step2 and grievance.is_open
    assert [e.detail["after"]["steps"][-1]["number"] for e in events("grievance.appealed")] == [2]


def test_grievance_deadlines_are_on_the_deadline_list_and_overdue_when_missed(world, frozen_clock):
    case = dismissed(world, frozen_clock)
    grievance = filed(world, case)
    labor_actor = world.actor(world.labor)
    grievances.record_step(
        case, grievance, grievances.StepInput(hearing_on=date(2026, 4, 21)), labor_actor, grievance.row_version
    )
    listed = [d for d in deadlines.open_deadlines(TODAY) if d.case.id == case.id and "rievance" in d.rule.name]
    assert [(d.rule.name, d.on, d.status) for d in listed] == [
        ("Grievance Step 1 (facility): decision", date(2026, 5, 1), deadlines.DUE)
    ]
    assert listed[0].rule.source_label == "department setting (not yet confirmed by anyone)"
    hearing = [d for d in deadlines.case_deadlines(case, TODAY) if d.rule.name.endswith("hearing")]
    assert [(d.on, d.status, d.done_on) for d in hearing] == [
        (date(2026, 3, 19), deadlines.MET, date(2026, 4, 21))
    ]  # heard late, but heard: the clock is met on the day of the hearing
    frozen_clock.advance(days=3)
    overdue = [d for d in deadlines.open_deadlines(date(2026, 5, 4)) if d.case.id == case.id]
    assert ("Grievance Step 1 (facility): decision", deadlines.OVERDUE) in [(d.rule.name, d.status) for d in overdue]
    notifications.deadline_notices(date(2026, 5, 4))
    messages = [
        n.message for n in db.session.scalars(select(Notification).where(Notification.user_id == world.labor.id))
    ]
    assert (
        f"{case.number}: Grievance Step 1 (facility): decision ({case.subjects[0].employee.display_name}) was due "
        "2026-05-01 and is overdue."
    ) in messages


def test_an_award_reducing_a_dismissal_keeps_both_and_the_next_case_counts_the_suspension(world, frozen_clock):
    case = dismissed(world, frozen_clock)
    grievance = filed(world, case)
    labor_actor = world.actor(world.labor)
    for number in (1, 2, 3):
        grievances.record_step(
            case,
            grievance,
            grievances.StepInput(decision_on=date(2026, 3, 20 + number), decision="denied"),
            labor_actor,
            grievance.row_version,
        )
        if number < 3:
            grievances.appeal_grievance(case, grievance, date(2026, 3, 20 + number), labor_actor, grievance.row_version)
    grievances.demand_arbitration(
        case,
        grievance,
        grievances.ArbitrationInput(date(2026, 3, 26), "A. Arbiter", date(2026, 4, 10), date(2026, 4, 11)),
        labor_actor,
        grievance.row_version,
    )
    assert grievance.state == "arbitration"
    with pytest.raises(CaseworkError, match="cannot close while a grievance or arbitration is open"):
        casework.close_case(case, labor_actor, "Done.")
    exhibit = world.add_screenshot_after_decision(case)
    grievances.record_award(
        case,
        grievance,
        grievances.AwardInput(
            "modified",
            date(2026, 4, 25),
            "No just cause for dismissal; a 25-day suspension stands.",
            back_pay="12,345.67",
            exhibit_number=exhibit.number,
            step="suspension",
            suspension_days=25,
        ),
        labor_actor,
        grievance.row_version,
    )
    record = db.session.scalars(select(DisciplineRecord).where(DisciplineRecord.case_id == case.id)).one()
    assert (record.step.code, record.suspension_days) == ("dismissal", None)  # as imposed, kept
    assert (record.effective_step.code, record.effective_suspension_days) == ("suspension", 25)
    assert (record.modification_source, record.modified_on) == ("award", date(2026, 4, 25))
    arbitration = grievance.arbitration
    assert (arbitration.back_pay_cents, arbitration.award_exhibit) == (1_234_567, exhibit)
    assert not grievance.is_open and grievance.closed_on == date(2026, 4, 25)
    casework.close_case(case, labor_actor, "Award implemented.")
    assert case.state == "closed"
    later = world.sustained(employee=case.subjects[0].employee)
    [counted] = discipline.suggest_step(later.subjects[0]).counted
    assert (counted.step.code, counted.suspension_days) == ("suspension", 25)
    assert events("grievance.award_recorded")[0].detail["after"]["arbitration"]["award"] == "modified"


def test_an_award_is_checked_before_anything_is_saved(world, frozen_clock):
    case = dismissed(world, frozen_clock)
    grievance = filed(world, case)
    labor_actor = world.actor(world.labor)
    with pytest.raises(InvalidInput, match="demand for arbitration"):
        grievances.record_award(
            case, grievance, grievances.AwardInput("upheld", TODAY, "Upheld."), labor_actor, grievance.row_version
        )
    grievances.record_step(
        case,
        grievance,
        grievances.StepInput(decision_on=date(2026, 3, 20), decision="denied"),
        labor_actor,
        grievance.row_version,
    )
    with pytest.raises(InvalidInput) as too_early:
        grievances.demand_arbitration(
            case, grievance, grievances.ArbitrationInput(date(2026, 3, 25)), labor_actor, grievance.row_version
        )
    assert too_early.value.errors == {
        "demanded_on": "The grievance is at Step 1 (facility): appeal to the next step first."
    }
    assert grievances.back_pay_cents("$1,000.5") == 100_050
    for bad in ("ten dollars", "-5", "1.234", "NaN"):
        with pytest.raises(ValueError):
            grievances.back_pay_cents(bad)


def test_a_last_chance_agreement_ends_the_grievance_with_its_terms_and_expiry(world, frozen_clock):
    case = dismissed(world, frozen_clock)
    grievance = filed(world, case)
    labor_actor = world.actor(world.labor)
    with pytest.raises(InvalidInput) as no_expiry:
        grievances.record_agreement(
            case,
            grievance,
            grievances.AgreementInput("last_chance", date(2026, 4, 1), "Reinstated on conditions."),
            labor_actor,
            grievance.row_version,
        )
    assert no_expiry.value.errors == {"expires_on": "A last-chance agreement needs the day its conditions expire."}
    agreement = grievances.record_agreement(
        case,
        grievance,
        grievances.AgreementInput(
            "last_chance",
            date(2026, 4, 1),
            "Reinstated; any further AD 2.26 violation within two years is dismissal.",
            expires_on=date(2028, 4, 1),
            step="suspension",
            suspension_days=30,
        ),
        labor_actor,
        grievance.row_version,
    )
    assert (agreement.kind, agreement.expires_on, grievance.state) == ("last_chance", date(2028, 4, 1), "settled")
    record = db.session.scalars(select(DisciplineRecord).where(DisciplineRecord.case_id == case.id)).one()
    assert (record.step.code, record.effective_step.code, record.modification_source) == (
        "dismissal",
        "suspension",
        "settlement",
    )
    casework.close_case(case, labor_actor, "Settled.")
    assert case.state == "closed"


def test_a_withdrawn_grievance_lets_the_case_close(world, frozen_clock):
    case = dismissed(world, frozen_clock)
    grievance = filed(world, case)
    labor_actor = world.actor(world.labor)
    with pytest.raises(CaseworkError) as refused:
        casework.check_close(case, labor_actor, "Done.")
    assert str(refused.value) == (
        f"The case cannot close while a grievance or arbitration is open ({case.subjects[0].employee.display_name}'s "
        "grievance). Record its decision, award, settlement or withdrawal first."
    )
    grievances.end_grievance(
        case,
        grievance,
        "withdrawn",
        date(2026, 4, 2),
        "Union letter of withdrawal.",
        labor_actor,
        grievance.row_version,
    )
    assert grievance.state == "withdrawn" and "Union letter of withdrawal." in grievance.notes
    casework.close_case(case, labor_actor, "Done.")
    assert case.state == "closed"


def test_the_unit_procedures_are_read_with_their_steps_and_source():
    rights = labor.rights_of("NP-4")
    assert rights is not None and rights.grievance is not None
    assert [s.name for s in rights.grievance.steps] == [
        "Step 1 (facility)",
        "Step 2 (agency)",
        "Step 3 (Office of Labor Relations)",
    ]
    assert rights.grievance.arbitration_within_days == 30
    outside = labor.rights_of("")
    assert outside is not None and outside.grievance is None


def test_the_packet_shows_the_grievance_the_award_and_the_penalty_as_imposed_and_as_modified(world, frozen_clock):
    case = dismissed(world, frozen_clock)
    grievance = filed(world, case)
    labor_actor = world.actor(world.labor)
    grievances.record_step(
        case,
        grievance,
        grievances.StepInput(decision_on=date(2026, 3, 20), decision="modified", step="suspension", suspension_days=25),
        labor_actor,
        grievance.row_version,
    )
    config = current_app.config
    packet = packets.render_packet(
        case, packets.PacketOrder("full"), packets.PrintSettings(config["EVIDENCE_DIR"], "DOC-")
    )
    whole = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(packet.pdf)).pages)
    assert "Grievance Open; union number 26-114; filed 2026-03-09; represented by Sam Steward" in whole
    assert "Step 1 (facility) filed 2026-03-09; hearing not held; modified on 2026-03-20" in whole
    assert "Deadlines: department setting (not yet confirmed by anyone)" in whole
    record = db.session.scalars(select(DisciplineRecord).where(DisciplineRecord.case_id == case.id)).one()
    assert (record.step.code, record.effective_step.code, record.modification_source) == (
        "dismissal",
        "suspension",
        "grievance",
    )


def test_the_dashboard_counts_open_grievances_arbitrations_and_last_chance_agreements(world, frozen_clock):
    at_step = dismissed(world, frozen_clock)
    filed(world, at_step)
    frozen_clock.advance(days=-60)
    under_agreement = dismissed(world, frozen_clock)
    grievance = filed(world, under_agreement)
    grievances.record_agreement(
        under_agreement,
        grievance,
        grievances.AgreementInput("last_chance", date(2026, 4, 1), "Conditions.", expires_on=date(2027, 4, 1)),
        world.actor(world.labor),
        grievance.row_version,
    )
    board = {chart.key: chart for chart in dashboard.build(world.labor, TODAY).charts}
    assert [(f.label, f.count) for f in board["grievances"].figures] == [
        ("At a grievance step", 1),
        ("At arbitration", 0),
        ("Last-chance agreements", 1),
    ]
    for figure, expected in zip(board["grievances"].figures, ([at_step], [], [under_agreement]), strict=True):
        filters = casework.CaseFilters(grievance=figure.filters["grievance"])
        assert [c.number for c in casework.list_cases(world.labor, filters).cases] == [c.number for c in expected]


def test_a_granted_grievance_rescinds_the_discipline_and_a_stale_form_changes_nothing(world, frozen_clock):
    case = dismissed(world, frozen_clock)
    grievance = filed(world, case)
    labor_actor = world.actor(world.labor)
    seen = grievance.row_version
    grievances.record_step(
        case, grievance, grievances.StepInput(hearing_on=date(2026, 3, 17)), labor_actor, grievance.row_version
    )
    with pytest.raises(StaleEdit):
        grievances.record_step(
            case, grievance, grievances.StepInput(decision_on=date(2026, 3, 20), decision="granted"), labor_actor, seen
        )
    assert grievance.steps[0].decision is None
    grievances.record_step(
        case,
        grievance,
        grievances.StepInput(decision_on=date(2026, 3, 20), decision="granted", decision_text="No just cause."),
        labor_actor,
        grievance.row_version,
    )
    record = db.session.scalars(select(DisciplineRecord).where(DisciplineRecord.case_id == case.id)).one()
    assert (record.step.code, record.rescinded, record.modification_reason) == ("dismissal", True, "No just cause.")
    assert (grievance.state, grievance.closed_on) == ("resolved", date(2026, 3, 20))
    assert discipline.suggest_step(world.sustained(employee=case.subjects[0].employee).subjects[0]).counted == []


def test_a_grievance_kept_at_arbitration_before_tracking_gets_its_arbitration_and_award(world, frozen_clock):
    case = dismissed(world, frozen_clock)
    legacy = Grievance(
        subject=case.subjects[0], state="arbitration", notes="Union grievance 26-114.", before_tracking=True
    )
    db.session.add(legacy)
    db.session.commit()
    labor_actor = world.actor(world.labor)
    grievances.demand_arbitration(
        case, legacy, grievances.ArbitrationInput(date(2026, 3, 20), "A. Arbiter"), labor_actor, legacy.row_version
    )
    grievances.record_award(
        case,
        legacy,
        grievances.AwardInput("upheld", date(2026, 4, 20), "Just cause shown."),
        labor_actor,
        legacy.row_version,
    )
    record = db.session.scalars(select(DisciplineRecord).where(DisciplineRecord.case_id == case.id)).one()
    assert (legacy.state, legacy.arbitration.award, record.is_modified) == ("resolved", "upheld", False)

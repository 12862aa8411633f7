"""Labor relations on approved cases: the record of meeting, decision, notice, imposition and grievance; the
move to discipline; the discipline record later progressive discipline sees; the 14-day earliest effective
date for demotion and dismissal; dates that cannot be in the future; who may record. Today is 2026-03-02."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, CaseTransition, DisciplineRecord, LaborAction
from project.permissions import NotPermitted
from project.services import casework, discipline, labor
from project.services.errors import InvalidInput, StaleEdit

TODAY = date(2026, 3, 2)


def records_of(case) -> list[DisciplineRecord]:
    return list(db.session.scalars(select(DisciplineRecord).where(DisciplineRecord.case_id == case.id)))


def test_the_first_record_moves_the_case_to_discipline_and_writes_the_discipline_record(world, frozen_clock):
    case = world.approved_with_discipline()  # the suggested written reprimand (matrix, first offence)
    approval = casework.standing_approval(case)
    version = case.content_version
    action = world.labor_record(
        case,
        meeting_on=TODAY,
        decision_on=TODAY,
        notice_issued_on=TODAY,
        imposed_step="written_reprimand",
        effective_on=TODAY,
        employee_copy_on=TODAY,
    )
    assert case.state == "discipline"
    moved = db.session.scalars(
        select(CaseTransition).where(CaseTransition.case_id == case.id).order_by(CaseTransition.id.desc())
    ).first()
    assert (moved.action, moved.from_state, moved.to_state, moved.actor_id) == (
        "discipline_started",
        "approved",
        "discipline",
        world.labor.id,
    )
    [record] = records_of(case)
    assert (record.step.code, record.imposed_on, record.source, record.employee_id) == (
        "written_reprimand",
        TODAY,
        "case",
        case.subjects[0].employee_id,
    )
    assert (action.imposed_step.code, action.updated_by_id) == ("written_reprimand", world.labor.id)
    assert case.content_version == version and casework.standing_approval(case) is approval
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "labor.recorded")).one()
    assert event.detail["discipline_record"] == "written" and event.detail["after"]["effective_on"] == "2026-03-02"


def test_later_cases_see_the_imposed_discipline_but_the_case_itself_does_not(world, frozen_clock):
    case = world.approved_with_discipline(clause="5.a")  # first on-duty offence: oral reprimand suggested
    world.labor_record(case, notice_issued_on=TODAY, imposed_step="oral_reprimand", effective_on=TODAY)
    employee = case.subjects[0].employee
    frozen_clock.advance(days=5)  # the next post (three days before "now") comes after the reprimand
    again = world.sustained(clause="5.a", employee=employee)
    suggestion = discipline.suggest_step(again.subjects[0], TODAY)
    assert suggestion.step.code == "written_reprimand"
    assert [entry.description for entry in suggestion.counted] == [
        "Oral reprimand of 2026-03-02 active until 2027-03-02"
    ]
    assert "The most severe record counted is the oral reprimand of 2026-03-02, so next step: written reprimand." in (
        suggestion.lines
    )
    own = discipline.suggest_step(case.subjects[0], TODAY)
    assert own.step.code == "oral_reprimand" and own.prior == []


def test_a_second_save_updates_the_one_record_and_a_stale_save_is_refused(world, frozen_clock):
    case = world.approved_with_discipline(step="suspension", days=5)
    first = world.labor_record(
        case, notice_issued_on=TODAY, imposed_step="suspension", imposed_suspension_days=5, effective_on=TODAY
    )
    seen = first.row_version
    world.labor_record(
        case,
        seen,
        notice_issued_on=TODAY,
        imposed_step="suspension",
        imposed_suspension_days=3,
        effective_on=TODAY,
        meeting_place="Warden's office",
    )
    with pytest.raises(StaleEdit):
        world.labor_record(case, seen, meeting_place="Training room")
    with pytest.raises(StaleEdit):
        world.labor_record(case, None, meeting_place="Training room")
    [record] = records_of(case)
    assert (record.step.code, record.suspension_days) == ("suspension", 3)
    action = db.session.scalars(select(LaborAction)).one()
    assert action.meeting_place == "Warden's office"


def test_withdrawn_discipline_leaves_no_record(world, frozen_clock):
    case = world.approved_with_discipline()
    action = world.labor_record(case, notice_issued_on=TODAY, imposed_step="written_reprimand", effective_on=TODAY)
    world.labor_record(
        case,
        action.row_version,
        notice_issued_on=TODAY,
    )
    assert records_of(case) == []
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "labor.recorded").order_by(AuditEvent.id)
    ).all()
    assert [e.detail["discipline_record"] for e in events] == ["written", "removed"]


def test_a_dismissal_cannot_take_effect_within_14_days_of_the_notice(world, frozen_clock):
    case = world.approved_with_discipline(step="dismissal")
    with pytest.raises(InvalidInput) as early:
        world.labor_record(case, notice_issued_on=TODAY, imposed_step="dismissal", effective_on=date(2026, 3, 15))
    assert early.value.errors == {
        "effective_on": (
            "A dismissal takes effect no sooner than 14 days after the written notice of 2026-03-02: the earliest "
            "effective date is 2026-03-16."
        )
    }
    with pytest.raises(InvalidInput) as no_notice:  # no notice yet: it can be issued today at the earliest
        world.labor_record(case, imposed_step="dismissal", effective_on=date(2026, 3, 15))
    assert "the earliest effective date is 2026-03-16" in no_notice.value.errors["effective_on"]
    assert case.state == "approved" and db.session.scalars(select(LaborAction)).all() == []
    world.labor_record(case, notice_issued_on=TODAY, imposed_step="dismissal", effective_on=date(2026, 3, 16))
    assert [(r.step.code, r.imposed_on) for r in records_of(case)] == [("dismissal", date(2026, 3, 16))]


def test_past_events_cannot_be_in_the_future_but_meeting_and_effective_dates_can(world, frozen_clock):
    case = world.approved_with_discipline()
    with pytest.raises(InvalidInput) as refused:
        world.labor_record(
            case, decision_on=date(2026, 3, 3), notice_issued_on=date(2026, 3, 3), employee_copy_on=date(2026, 3, 3)
        )
    assert refused.value.errors == {
        "decision_on": "The date of the decision cannot be in the future (today is 2026-03-02).",
        "notice_issued_on": "The date of the written notice cannot be in the future (today is 2026-03-02).",
        "employee_copy_on": "The date the employee was given a copy cannot be in the future (today is 2026-03-02).",
    }
    with pytest.raises(InvalidInput) as out_of_order:
        world.labor_record(case, decision_on=TODAY, notice_issued_on=date(2026, 3, 1))
    assert out_of_order.value.errors == {
        "notice_issued_on": "The written notice (2026-03-01) cannot come before the decision to discipline "
        "(2026-03-02): due process runs approval, meeting, decision, notice, copy."
    }
    world.labor_record(
        case,
        meeting_on=date(2026, 3, 20),
        imposed_step="written_reprimand",
        effective_on=date(2026, 3, 20),
    )
    assert [r.imposed_on for r in records_of(case)] == [date(2026, 3, 20)]
    assert discipline.prior_active_discipline(case.subjects[0].employee, TODAY) == []


def test_steps_and_days_are_checked(world, frozen_clock):
    case = world.approved_with_discipline(step="suspension", days=5)
    with pytest.raises(InvalidInput) as refused:
        world.labor_record(case, imposed_step="suspension")
    assert refused.value.errors == {
        "imposed_suspension_days": "A suspension needs its number of days, from 1 to 60.",
    }
    with pytest.raises(InvalidInput) as effective_alone:
        world.labor_record(case, effective_on=TODAY)
    assert effective_alone.value.errors == {"effective_on": "An effective date needs the discipline imposed."}


def test_no_discipline_can_be_imposed_without_a_sustained_allegation(world, frozen_clock):
    case = world.approved(finding="not_sustained")
    with pytest.raises(InvalidInput) as refused:
        world.labor_record(case, imposed_step="oral_reprimand", effective_on=TODAY)
    assert "no discipline can be imposed" in refused.value.errors["imposed_step"]


def test_only_labor_relations_records_and_only_on_approved_or_discipline_cases(world, frozen_clock):
    case = world.approved_with_discipline()
    for user in (world.investigator, world.supervisor, world.admin):
        with pytest.raises(NotPermitted):
            world.labor_record(case, by=user, notice_issued_on=TODAY)
    in_review = world.proposed()
    casework.submit_for_review(in_review, world.actor(world.investigator))
    with pytest.raises(NotPermitted):
        world.labor_record(in_review, notice_issued_on=TODAY)
    assert db.session.scalars(select(LaborAction)).all() == [] and case.state == "approved"


def test_the_cap_warning_leaves_out_the_case_being_decided(world, frozen_clock):
    case = world.approved_with_discipline(step="suspension", days=30)
    world.labor_record(
        case, notice_issued_on=TODAY, imposed_step="suspension", imposed_suspension_days=30, effective_on=TODAY
    )
    employee = case.subjects[0].employee
    assert discipline.suspension_cap_warning(employee, 31, TODAY) is not None
    assert discipline.suspension_cap_warning(employee, 31, TODAY, exclude_case_id=case.id) is None
    assert labor.labor_action_of(case.subjects[0]).imposed_suspension_days == 30

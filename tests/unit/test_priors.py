"""Prior discipline weighed on the date of the conduct (issue 14): which records count and which are set aside
and why, offence classes from the matrix, look-backs by bargaining unit, rules about titles, records as
imposed and as modified, and the source of every setting. Today is 2026-03-02 (the ``frozen_clock``); the
factory's post was made 2026-02-27, so that is the conduct date unless a test says otherwise."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from project import clock
from project.commands import SEED_DIR
from project.extensions import db
from project.models import (
    AuditEvent,
    DisciplineMatrixEntry,
    DisciplineRecord,
    Employee,
    LookbackOverride,
    TitleRule,
)
from project.permissions import NotPermitted
from project.services import casework, catalogue, discipline, roster
from project.services.errors import InvalidInput
from project.transaction import committing

CONDUCT = date(2026, 2, 27)
HEADER = "employee_number,step,imposed_on,suspension_days,note,offence_class\n"
DEMO_SETTING = "department setting (Labor Relations, demo configuration to be confirmed, 2026-12-01)"


def history(*rows: str) -> discipline.PriorDisciplineImportResult:
    return discipline.import_prior_discipline(HEADER + "".join(row + "\n" for row in rows))


def employee(number: str, title: str = "Correction Officer", unit: str = "NP-4") -> Employee:
    roster.import_roster(
        "employee_number,last_name,first_name,title,facility,bargaining_unit,hire_date\n"
        f"{number},Person{number},Sam,{title},Cheshire CI,{unit},2010-01-04\n"
    )
    found = casework.find_employee(number)
    assert found is not None
    return found


def without_matrix_row(clause: str) -> None:
    """Take the clause's matrix row out, to see the ladder alone (the matrix is a department setting)."""
    with committing("the matrix"):
        db.session.execute(delete(DisciplineMatrixEntry).where(DisciplineMatrixEntry.clause_number == clause))


def record_of(employee_id: int, step: str) -> DisciplineRecord:
    return next(
        r
        for r in db.session.scalars(select(DisciplineRecord).where(DisciplineRecord.employee_id == employee_id))
        if r.step.code == step
    )


# 1. The conduct date --------------------------------------------------------------------------------


def test_the_conduct_date_is_the_earliest_post_else_first_seen_else_received(world, frozen_clock):
    case = world.sustained()
    assert discipline.conduct_date(case.subjects[0]) == casework.ConductDate(CONDUCT, "posted")
    actor = world.actor(world.investigator)
    data = casework.ComplaintInput(
        title="Seen, not dated",
        complaint_source="staff_report",
        received_at=clock.now() - timedelta(days=1),
        narrative="Reported.",
        reporter_name="R. Reporter",
        reporter_contact="555-0100",
    )
    seen = datetime(2026, 2, 20, 3, 0, tzinfo=UTC)  # 2026-02-19 in Connecticut
    first_seen = casework.log_complaint(
        data, [casework.PostInput(platform="facebook", first_seen_at=seen, text="seen")], actor
    )
    subject = world.with_subject(first_seen)
    assert discipline.conduct_date(subject) == casework.ConductDate(date(2026, 2, 19), "first_seen")
    undated = casework.log_complaint(data, [casework.PostInput(platform="facebook", text="undated")], actor)
    conduct = discipline.conduct_date(world.with_subject(undated))
    assert conduct == casework.ConductDate(date(2026, 3, 1), "received")
    assert "the date the department first knew of it" in conduct.description


def test_discipline_imposed_after_the_conduct_is_set_aside(world, frozen_clock):
    case = world.sustained(clause="5.a")
    subject = case.subjects[0]
    history(f"{subject.employee.employee_number},written_reprimand,2026-03-01,,")
    suggestion = discipline.suggest_step(subject, date(2026, 3, 2))
    assert suggestion.step.code == "oral_reprimand" and suggestion.counted == []
    [aside] = suggestion.set_aside
    assert aside.step.code == "written_reprimand" and "imposed after the conduct" in aside.reason
    assert (
        "Set aside: Written reprimand of 2026-03-01 active until 2028-03-01: imposed after the conduct "
        "(on or after the conduct date 2026-02-27)." in suggestion.lines
    )


def test_a_november_reprimand_does_not_escalate_a_july_post(world, frozen_clock):
    frozen_clock.current = datetime(2026, 7, 17, 14, 30, tzinfo=UTC)  # the post: 2026-07-14
    case = world.sustained(clause="5.a")
    subject = case.subjects[0]
    frozen_clock.current = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
    history(f"{subject.employee.employee_number},written_reprimand,2026-11-30,,")
    suggestion = discipline.suggest_step(subject, date(2026, 12, 1))
    assert suggestion.conduct == casework.ConductDate(date(2026, 7, 14), "posted")
    assert suggestion.step.code == "oral_reprimand"
    assert [entry.reason for entry in suggestion.set_aside] == [
        "imposed after the conduct (on or after the conduct date 2026-07-14)"
    ]


def test_the_look_back_is_measured_on_the_conduct_date_not_the_day_asked(world, frozen_clock):
    case = world.sustained(clause="5.a")
    subject = case.subjects[0]
    history(f"{subject.employee.employee_number},written_reprimand,2024-02-28,,")  # active until 2026-02-28
    later = discipline.suggest_step(subject, date(2026, 12, 1))
    assert [entry.step.code for entry in later.counted] == ["written_reprimand"]
    assert later.step.code == "suspension" and later.conduct.day == CONDUCT


# 2. Which priors escalate is data -----------------------------------------------------------------------


def test_lateness_reprimands_do_not_escalate_a_first_confidential_information_offence(world, frozen_clock):
    case = world.sustained(clause="5.b.i.1")
    subject = case.subjects[0]
    number = subject.employee.employee_number
    history(
        f"{number},oral_reprimand,2025-10-01,,late twice,lateness",
        f"{number},oral_reprimand,2025-12-01,,late again,lateness",
        f"{number},oral_reprimand,2025-12-15,,,",
    )
    suggestion = discipline.suggest_step(subject)
    assert suggestion.step.code == "written_reprimand"
    assert suggestion.counted == []
    reasons = [entry.reason for entry in suggestion.set_aside]
    assert reasons == [
        "offence class lateness is not related (confidential_information)",
        "offence class lateness is not related (confidential_information)",
        "its offence class is unknown, and only a related offence escalates",
    ]


def test_a_related_prior_escalates_and_an_any_row_counts_every_class(world, frozen_clock):
    case = world.sustained(clause="5.b.i.1")
    number = case.subjects[0].employee.employee_number
    history(f"{number},written_reprimand,2025-06-01,,,confidential_information")
    related = discipline.suggest_step(case.subjects[0])
    assert [e.offence_class for e in related.counted] == ["confidential_information"]
    assert related.step.code == "suspension"
    on_duty = world.sustained(clause="5.a")
    other = on_duty.subjects[0].employee.employee_number
    history(f"{other},oral_reprimand,2025-10-01,,,lateness")
    assert [e.offence_class for e in discipline.suggest_step(on_duty.subjects[0]).counted] == ["lateness"]


def test_offence_class_of_clauses_comes_from_the_matrix(world):
    assert discipline.offence_class_of(["5.b.i.3"]) == "confidential_information"
    assert discipline.offence_class_of(["5.a.iii"]) == "on_duty_use"
    assert discipline.offence_class_of(["5.c"]) == "insignia"
    assert discipline.offence_class_of(["1.a"]) == "threats"
    assert discipline.offence_class_of(["4.a"]) is None


def test_the_import_stores_the_offence_class_and_refuses_a_malformed_one(world, frozen_clock):
    case = world.sustained()
    number = case.subjects[0].employee.employee_number
    history(f"{number},oral_reprimand,2025-10-01,,,lateness")
    assert record_of(case.subjects[0].employee_id, "oral_reprimand").offence_class == "lateness"
    with pytest.raises(roster.RosterImportError) as refused:
        history(f"{number},written_reprimand,2025-11-01,,,Late Again!")
    assert "offence_class" in str(refused.value.errors[0].message)


# 3. The explanation, line by line ---------------------------------------------------------------------------


def test_the_suggestion_explains_itself_line_by_line(world, frozen_clock):
    case = world.sustained(clause="5.b.i.1")
    subject = case.subjects[0]
    number = subject.employee.employee_number
    history(
        f"{number},written_reprimand,2025-06-01,,,confidential_information",
        f"{number},oral_reprimand,2025-10-01,,,lateness",
    )
    suggestion = discipline.suggest_step(subject)
    assert suggestion.lines == [
        "Conduct date: 2026-02-27, the date of the earliest reported post.",
        "Ladder: Progressive discipline ladder (department configuration for applying AD 2.6), in force on the "
        f"conduct date ({DEMO_SETTING}).",
        f"The matrix row for section 5.b.i.1 ({DEMO_SETTING}) escalates only on prior discipline of a related "
        "offence class: confidential_information.",
        f"Counted: Written reprimand of 2025-06-01 active until 2027-06-01 (look-back 24 months, {DEMO_SETTING}).",
        "Set aside: Oral reprimand of 2025-10-01 active until 2026-10-01: offence class lateness is not related "
        "(confidential_information).",
        "The most severe record counted is the written reprimand of 2025-06-01, so next step: suspension.",
        f"Matrix row for AD 2.26 section 5.b.i.1, second offence ({DEMO_SETTING}): suspension to dismissal, "
        "and the suggestion is within that range.",
        "Suggested: suspension.",
    ]
    assert suggestion.reason == "\n".join(suggestion.lines)
    proposal = discipline.propose_discipline(
        case, subject, discipline.ProposalInput("suspension", 5, ""), world.actor(world.investigator), None
    )
    assert proposal.suggestion_reason.splitlines() == suggestion.lines


# 4. As imposed and as modified ----------------------------------------------------------------------------


def test_an_award_that_rescinds_and_a_settlement_that_reduces_change_what_counts(world, frozen_clock):
    case = world.sustained(clause="5.a")
    subject = case.subjects[0]
    number = subject.employee.employee_number
    history(f"{number},suspension,2025-04-01,10,", f"{number},oral_reprimand,2025-05-01,,")
    suspension = record_of(subject.employee_id, "suspension")
    oral = record_of(subject.employee_id, "oral_reprimand")
    labor = world.actor(world.labor)
    assert discipline.suspension_days_imposed(subject.employee, 2025) == 10
    with pytest.raises(NotPermitted):
        discipline.modify_discipline_record(
            oral,
            discipline.RecordModificationInput("award", date(2026, 1, 5), "Award.", rescinded=True),
            world.actor(world.supervisor),
        )
    with pytest.raises(InvalidInput) as no_reason:
        discipline.modify_discipline_record(
            oral, discipline.RecordModificationInput("award", date(2026, 1, 5), "  ", rescinded=True), labor
        )
    assert set(no_reason.value.errors) == {"reason"} and not oral.is_modified
    discipline.modify_discipline_record(
        oral, discipline.RecordModificationInput("award", date(2026, 1, 5), "Arbitrator: no just cause.", True), labor
    )
    discipline.modify_discipline_record(
        suspension,
        discipline.RecordModificationInput(
            "settlement", date(2025, 9, 1), "Reduced by agreement.", step="written_reprimand"
        ),
        labor,
    )
    assert (suspension.step.code, suspension.suspension_days) == ("suspension", 10)  # as imposed, kept
    assert suspension.effective_step.code == "written_reprimand" and suspension.modified_by_id == world.labor.id
    assert discipline.suspension_days_imposed(subject.employee, 2025) == 0  # the cap counts it as modified
    suggestion = discipline.suggest_step(subject)
    [counted] = suggestion.counted
    assert counted.step.code == "written_reprimand"
    assert counted.description == (
        "Suspension (10 days) of 2025-04-01, as imposed; modified by settlement of 2025-09-01 to written reprimand "
        "active until 2027-04-01"
    )
    [rescinded] = suggestion.set_aside
    assert rescinded.reason == "rescinded by award of 2026-01-05"
    assert suggestion.step.code == "suspension"  # second on-duty offence, after a written reprimand
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "discipline.record_modified").order_by(AuditEvent.id)
    ).all()
    assert [e.detail["after"]["rescinded"] for e in events] == [True, False]
    assert events[1].detail["before"]["step"] == "suspension"


# 5-7. Sources, look-backs by bargaining unit, rules about titles ----------------------------------------


def test_every_setting_is_loaded_with_its_source_and_loading_twice_changes_nothing(world):
    ladder = catalogue.current_ladder(date(2026, 1, 1))
    assert ladder.suspension_cap_authority == "C.G.S. 5-240(a)"
    assert ladder.source_label == DEMO_SETTING
    assert {step.source_label for step in ladder.steps} == {DEMO_SETTING}
    rows = db.session.scalars(select(DisciplineMatrixEntry)).all()
    assert {row.source_label for row in rows} == {DEMO_SETTING}
    by_clause = {row.clause_number: (row.offence_class, row.escalates_on) for row in rows}
    assert by_clause["5.b.i.4"] == ("confidential_information", "related")
    assert by_clause["1.a"] == ("threats", "any")
    [override] = db.session.scalars(select(LookbackOverride)).all()
    assert (override.step_code, override.bargaining_unit, override.months) == ("written_reprimand", "none", 12)
    assert override.source_label == "C.G.S. 5-240(a)"
    [rule] = db.session.scalars(select(TitleRule)).all()
    assert (rule.title, rule.step_code, rule.source_label) == ("Correction Officer", "demotion", DEMO_SETTING)
    assert not catalogue.load_catalogue(SEED_DIR).changed


def test_a_written_reprimand_lapses_after_twelve_months_outside_any_bargaining_unit(world, frozen_clock):
    outside = employee("X00001", unit="")
    inside = employee("X00002", unit="NP-4")
    history("X00001,written_reprimand,2025-01-15,,", "X00002,written_reprimand,2025-01-15,,")
    lapsed = discipline.suggest_step(world.sustained(clause="5.a", employee=outside).subjects[0])
    [aside] = lapsed.set_aside
    assert aside.active_until == date(2026, 1, 15)
    assert aside.reason == (
        "lapsed on 2026-01-15, before the conduct date (look-back 12 months for employees outside any "
        "bargaining unit, C.G.S. 5-240(a))"
    )
    active = discipline.suggest_step(world.sustained(clause="5.a", employee=inside).subjects[0])
    [counted] = active.counted
    assert counted.active_until == date(2027, 1, 15) and counted.lookback.source_label == DEMO_SETTING


def test_no_demotion_is_suggested_for_the_lowest_title_in_its_series(world, frozen_clock):
    officer = employee("X00003", title="Correction Officer")
    lieutenant = employee("X00004", title="Lieutenant")
    demotion = discipline.step_by_code(catalogue.current_ladder(CONDUCT), "demotion")
    assert discipline.step_refusal(demotion, officer) == (
        f"Demotion is not allowed for a Correction Officer: the lowest title in its series ({DEMO_SETTING})"
    )
    assert discipline.step_refusal(demotion, lieutenant) is None
    history("X00003,suspension,2025-11-10,5,", "X00004,suspension,2025-11-10,5,")
    without_matrix_row("5.b.i.8")
    officer_case = world.sustained(clause="5.b.i.8", employee=officer)
    suggestion = discipline.suggest_step(officer_case.subjects[0])
    assert suggestion.step.code == "suspension"
    assert suggestion.lines[-2] == (
        f"Demotion is not allowed for a Correction Officer: the lowest title in its series ({DEMO_SETTING}), "
        "so the suggestion is the next lower allowed step: suspension."
    )
    assert discipline.suggest_step(world.sustained(clause="5.b.i.8", employee=lieutenant).subjects[0]).step.code == (
        "demotion"
    )


# Pages and the packet -------------------------------------------------------------------------------------


def test_the_discipline_page_shows_counted_and_set_aside_with_sources(world, client, sign_in, frozen_clock):
    case = world.sustained(clause="5.b.i.1")
    subject = case.subjects[0]
    number = subject.employee.employee_number
    history(f"{number},oral_reprimand,2025-10-01,,,lateness", f"{number},written_reprimand,2026-03-01,,,")
    sign_in(client, world.investigator.email)
    page = client.get(f"/cases/{case.number}/subjects/{subject.id}/discipline").get_data(as_text=True)
    assert "Conduct date: 2026-02-27, the date of the earliest reported post" in page
    assert "offence class lateness is not related (confidential_information)" in page
    assert "imposed after the conduct" in page
    assert DEMO_SETTING in page
    assert "AD 2.6 discipline for" not in page
    reference = client.get("/catalogue/discipline").get_data(as_text=True)
    assert "C.G.S. 5-240(a)" in reference and DEMO_SETTING in reference
    assert "outside any bargaining unit" in reference and "the lowest title in its series" in reference

"""Progressive discipline (the department's settings for applying AD 2.6) through the services: prior
discipline weighed on the conduct date, the suggested step and its lines, the discipline matrix, departures,
proposals without a sustained allegation, the 60-day cap, and the import of discipline from before the system.
Today is 2026-03-02 (the ``frozen_clock``)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete

from project.extensions import db
from project.models import DisciplineMatrixEntry
from project.services import casework, discipline
from project.services.errors import InvalidInput
from project.transaction import committing
from tests.factories import element_answers, screen_speech

TODAY = date(2026, 3, 2)
CONDUCT = date(2026, 2, 27)  # the factory's post was made three days before today
HEADER = "employee_number,step,imposed_on,suspension_days,note,offence_class\n"
LADDER = "Progressive discipline ladder (department configuration for applying AD 2.6)"
DEMO_SETTING = "department setting (Labor Relations, demo configuration to be confirmed, 2026-12-01)"


def history(*rows: str) -> discipline.PriorDisciplineImportResult:
    return discipline.import_prior_discipline(HEADER + "".join(row + "\n" for row in rows))


def subject_of(case):
    return case.subjects[0]


def without_matrix_row(clause: str) -> None:
    """Take the clause's matrix row out, to see the ladder alone (the matrix is a department setting)."""
    with committing("the matrix"):
        db.session.execute(delete(DisciplineMatrixEntry).where(DisciplineMatrixEntry.clause_number == clause))


def test_no_history_suggests_the_lowest_disciplinary_step(world, frozen_clock):
    without_matrix_row("5.b.i.4")
    case = world.sustained(clause="5.b.i.4")
    suggestion = discipline.suggest_step(subject_of(case), TODAY)
    assert suggestion.step.code == "oral_reprimand"
    assert suggestion.lines == [
        f"Conduct date: {CONDUCT}, the date of the earliest reported post.",
        f"Ladder: {LADDER}, in force on the conduct date ({DEMO_SETTING}).",
        "No discipline on file.",
        "No prior discipline counted, so first step: oral reprimand.",
        "No matrix row for the sustained clauses, so the ladder's next step stands.",
        "Suggested: oral reprimand.",
    ]
    assert (suggestion.prior, suggestion.matrix_used) == ([], False)


def test_an_active_written_reprimand_leads_to_suspension_and_says_why(world, frozen_clock):
    without_matrix_row("5.b.i.4")
    case = world.sustained(clause="5.b.i.4")
    employee = subject_of(case).employee
    history(f"{employee.employee_number},written_reprimand,2026-02-20,,Facebook post 2026")
    suggestion = discipline.suggest_step(subject_of(case), TODAY)
    assert suggestion.step.code == "suspension"
    assert suggestion.lines[2:4] == [
        f"Counted: Written reprimand of 2026-02-20 active until 2028-02-20 (look-back 24 months, {DEMO_SETTING}).",
        "The most severe record counted is the written reprimand of 2026-02-20, so next step: suspension.",
    ]
    [prior] = suggestion.prior
    assert (prior.step.code, prior.active_until, prior.source) == ("written_reprimand", date(2028, 2, 20), "import")


def test_a_reprimand_counts_through_its_active_until_date_and_not_after(world, frozen_clock):
    without_matrix_row("5.b.i.4")
    case = world.sustained(clause="5.b.i.4")
    employee = subject_of(case).employee
    history(f"{employee.employee_number},written_reprimand,2024-02-26,,")
    assert [p.step.code for p in discipline.prior_active_discipline(employee, date(2026, 2, 26))] == [
        "written_reprimand"
    ]
    assert discipline.prior_active_discipline(employee, CONDUCT) == []
    suggestion = discipline.suggest_step(subject_of(case), TODAY)
    assert suggestion.step.code == "oral_reprimand"
    assert suggestion.lines[2:4] == [
        "Set aside: Written reprimand of 2024-02-26 active until 2026-02-26: lapsed on 2026-02-26, before the "
        f"conduct date (look-back 24 months, {DEMO_SETTING}).",
        "No prior discipline counted, so first step: oral reprimand.",
    ]


def test_imported_history_the_most_severe_active_step_decides(world, frozen_clock):
    without_matrix_row("5.b.i.4")
    case = world.sustained(clause="5.b.i.4")
    number = subject_of(case).employee.employee_number
    history(
        f"{number},oral_reprimand,2025-09-01,,",
        f"{number},suspension,2025-11-10,5,",
        f"{number},counseling,2026-01-05,,counseling never counts",
    )
    suggestion = discipline.suggest_step(subject_of(case), TODAY)
    # the next step would be demotion, which no Correction Officer (the lowest title in its series) is given
    assert suggestion.step.code == "suspension"
    assert suggestion.lines[2:] == [
        f"Counted: Oral reprimand of 2025-09-01 active until 2026-09-01 (look-back 12 months, {DEMO_SETTING}).",
        f"Counted: Suspension (5 days) of 2025-11-10 active until 2028-11-10 (look-back 36 months, {DEMO_SETTING}).",
        "Set aside: Counseling of 2026-01-05: counseling is not discipline.",
        "The most severe record counted is the suspension of 2025-11-10, so next step: demotion.",
        "No matrix row for the sustained clauses, so the ladder's next step stands.",
        f"Demotion is not allowed for a Correction Officer: the lowest title in its series ({DEMO_SETTING}), so "
        "the suggestion is the next lower allowed step: suspension.",
        "Suggested: suspension.",
    ]


def test_a_dismissal_on_record_never_lapses(world, frozen_clock):
    without_matrix_row("5.b.i.4")
    case = world.sustained(clause="5.b.i.4")
    history(f"{subject_of(case).employee.employee_number},dismissal,2015-01-05,,reinstated by award 2016")
    suggestion = discipline.suggest_step(subject_of(case), TODAY)
    assert suggestion.step.code == "dismissal"
    assert suggestion.lines[2:4] == [
        f"Counted: Dismissal of 2015-01-05 which does not lapse (no look-back: it does not lapse ({DEMO_SETTING})).",
        "The most severe record counted is the dismissal of 2015-01-05, already the top of the ladder, so next "
        "step: dismissal.",
    ]


def test_the_matrix_raises_a_first_offence_of_security_information(world, frozen_clock):
    case = world.sustained(clause="5.b.i.2")
    suggestion = discipline.suggest_step(subject_of(case), TODAY)
    assert suggestion.step.code == "written_reprimand" and suggestion.matrix_used
    assert suggestion.lines[-3:] == [
        "No prior discipline counted, so first step: oral reprimand.",
        f"Matrix row for AD 2.26 section 5.b.i.2, first offence ({DEMO_SETTING}): written reprimand to dismissal, "
        "so the suggestion is raised to written reprimand.",
        "Suggested: written reprimand.",
    ]


def test_the_matrix_lowers_a_second_on_duty_offence_and_keeps_a_suggestion_in_range(world, frozen_clock):
    case = world.sustained(clause="5.a")
    number = subject_of(case).employee.employee_number
    history(f"{number},suspension,2025-06-01,3,")
    lowered = discipline.suggest_step(subject_of(case), TODAY)
    assert lowered.step.code == "suspension"
    assert lowered.lines[-2] == (
        f"Matrix row for AD 2.26 section 5.a, second offence ({DEMO_SETTING}): written reprimand to suspension, so "
        "the suggestion is lowered to suspension."
    )
    first = world.sustained(clause="5.a")
    within = discipline.suggest_step(subject_of(first), TODAY)
    assert within.step.code == "oral_reprimand" and within.matrix_used
    assert within.lines[-2].endswith("oral reprimand to written reprimand, and the suggestion is within that range.")


def test_the_most_severe_range_among_the_sustained_clauses_is_used(world, frozen_clock):
    case = world.sustained(clause="5.a")
    subject = subject_of(case)
    cited = next(c for c in casework.citable_clauses() if c.number == "5.b.i.1")
    actor = world.actor(world.investigator)
    allegation = casework.frame_allegation(case, subject, casework.AllegationInput(f"clause:{cited.id}", "", []), actor)
    screen_speech(case, allegation, world.actor(world.investigator))
    casework.record_finding(
        case,
        allegation,
        casework.FindingInput("sustained", "Map of the perimeter.", [], element_answers(allegation, "sustained")),
        actor,
        allegation.row_version,
    )
    suggestion = discipline.suggest_step(subject, TODAY)
    assert suggestion.step.code == "written_reprimand"
    assert "section 5.b.i.1, first offence" in suggestion.reason
    assert "written reprimand to dismissal, so the suggestion is raised" in suggestion.reason


def test_no_sustained_allegation_means_no_discipline(world, frozen_clock):
    case = world.ready_for_review(finding="not_sustained")
    subject = subject_of(case)
    suggestion = discipline.suggest_step(subject, TODAY)
    assert suggestion.step is None
    assert suggestion.lines == [
        f"Conduct date: {CONDUCT}, the date of the earliest reported post.",
        f"No allegation against {subject.employee.display_name} is sustained, so no discipline.",
    ]
    actor = world.actor(world.investigator)
    with pytest.raises(InvalidInput) as refused:
        discipline.propose_discipline(
            case, subject, discipline.ProposalInput("oral_reprimand", None, "Because."), actor, None
        )
    assert set(refused.value.errors) == {"step"}
    assert "no discipline can be proposed" in refused.value.errors["step"]
    proposal = discipline.propose_discipline(
        case, subject, discipline.ProposalInput("counseling", None, ""), actor, None
    )
    assert (proposal.proposed_step.code, proposal.suggested_step, proposal.departure_justification) == (
        "counseling",
        None,
        "",
    )


def test_the_60_day_cap_counts_suspensions_in_one_calendar_year_only(world, frozen_clock):
    employee = world.employees.make(last_name="Capped")
    n = employee.employee_number
    history(
        f"{n},suspension,2025-12-20,30,",
        f"{n},suspension,2026-01-10,30,",
        f"{n},suspension,2026-02-15,20,",
        f"{n},written_reprimand,2026-02-20,,",
    )
    assert discipline.suspension_days_imposed(employee, 2026) == 50
    assert discipline.suspension_cap_warning(employee, 10, date(2026, 6, 1)) is None
    assert discipline.suspension_cap_warning(employee, 11, date(2026, 6, 1)) == (
        "Capped, Pat already has 50 days of suspension imposed in 2026; 11 more would make 61, over the 60-day "
        "cap on unpaid suspensions in a calendar year (C.G.S. 5-240(a))."
    )
    assert discipline.suspension_cap_warning(employee, 30, date(2025, 12, 31)) is None
    assert discipline.suspension_cap_warning(employee, 31, date(2025, 12, 31)) is not None
    assert discipline.suspension_cap_warning(employee, 60, date(2027, 1, 4)) is None


# Prior discipline import -----------------------------------------------------------------------------


# The matrix seed -------------------------------------------------------------------------------------

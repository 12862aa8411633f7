"""Progressive discipline (the department's settings for applying AD 2.6) through the services: prior
discipline weighed on the conduct date, the suggested step and its lines, the discipline matrix, departures,
proposals without a sustained allegation, the 60-day cap, and the import of discipline from before the system.
Today is 2026-03-02 (the ``frozen_clock``)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from project.cli import SEED_DIR
from project.extensions import db
from project.models import AuditEvent, DisciplineMatrixEntry, DisciplineProposal, DisciplineRecord
from project.permissions import NotPermitted
from project.services import casework, catalogue, discipline
from project.services.errors import InvalidInput, StaleEdit
from project.services.roster import RosterImportError
from project.transaction import committing
from tests.factories import element_answers

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


def test_a_departure_from_the_suggestion_needs_a_written_justification(world, frozen_clock):
    case = world.sustained(clause="5.b.i.2")
    subject = subject_of(case)
    actor = world.actor(world.investigator)
    version_before = case.content_version
    with pytest.raises(InvalidInput) as refused:
        discipline.propose_discipline(case, subject, discipline.ProposalInput("dismissal", None, "   "), actor, None)
    assert refused.value.errors == {
        "justification": "The suggested step is written reprimand; proposing dismissal "
        "instead needs a written justification."
    }
    assert casework.proposal_of(subject) is None and case.content_version == version_before
    proposal = discipline.propose_discipline(
        case,
        subject,
        discipline.ProposalInput("dismissal", None, "Published the count procedure: a security breach."),
        actor,
        None,
    )
    assert proposal.suggested_step.code == "written_reprimand" and proposal.proposed_step.code == "dismissal"
    assert proposal.departure_justification == "Published the count procedure: a security breach."
    assert (
        proposal.suggestion_reason.splitlines()[0]
        == f"Conduct date: {CONDUCT}, the date of the earliest reported post."
    )
    assert case.content_version == version_before + 1
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "discipline.proposed")).one()
    assert event.detail["after"]["step"] == "dismissal" and event.case_id == case.id


def test_the_suggested_step_needs_no_justification_and_a_suspension_needs_days(world, frozen_clock):
    case = world.sustained(clause="5.b.i.4")
    subject = subject_of(case)
    actor = world.actor(world.investigator)
    history(f"{subject.employee.employee_number},written_reprimand,2026-01-10,,,confidential_information")
    with pytest.raises(InvalidInput) as no_days:
        discipline.propose_discipline(case, subject, discipline.ProposalInput("suspension", None, ""), actor, None)
    assert no_days.value.errors == {"suspension_days": "A suspension needs its number of days, from 1 to 60."}
    with pytest.raises(InvalidInput) as too_many:
        discipline.propose_discipline(case, subject, discipline.ProposalInput("suspension", 61, ""), actor, None)
    assert set(too_many.value.errors) == {"suspension_days"}
    with pytest.raises(InvalidInput) as days_on_reprimand:
        discipline.propose_discipline(
            case, subject, discipline.ProposalInput("written_reprimand", 3, "Lower."), actor, None
        )
    assert set(days_on_reprimand.value.errors) == {"suspension_days"}
    proposal = discipline.propose_discipline(case, subject, discipline.ProposalInput("suspension", 5, ""), actor, None)
    assert (proposal.proposed_step.code, proposal.suspension_days, proposal.departure_justification) == (
        "suspension",
        5,
        "",
    )


def test_one_proposal_per_subject_and_a_stale_save_is_refused(world, frozen_clock):
    case = world.proposed()  # the suggested written reprimand
    subject = subject_of(case)
    actor = world.actor(world.investigator)
    proposal = casework.proposal_of(subject)
    assert proposal is not None and proposal.proposed_step.code == "written_reprimand"
    seen = proposal.row_version
    discipline.propose_discipline(
        case, subject, discipline.ProposalInput("suspension", 3, "Second post the same week."), actor, seen
    )
    with pytest.raises(StaleEdit):
        discipline.propose_discipline(
            case, subject, discipline.ProposalInput("oral_reprimand", None, "Lower."), actor, seen
        )
    with pytest.raises(StaleEdit):
        discipline.propose_discipline(
            case, subject, discipline.ProposalInput("oral_reprimand", None, "Lower."), actor, None
        )
    db.session.refresh(proposal)
    assert (proposal.proposed_step.code, proposal.suspension_days) == ("suspension", 3)


def test_only_whoever_may_edit_the_case_proposes(world, frozen_clock):
    case = world.sustained()
    with pytest.raises(NotPermitted):
        discipline.propose_discipline(
            case,
            subject_of(case),
            discipline.ProposalInput("written_reprimand", None, ""),
            world.actor(world.labor),
            None,
        )
    with pytest.raises(NotPermitted):
        discipline.propose_discipline(
            case,
            subject_of(case),
            discipline.ProposalInput("written_reprimand", None, ""),
            world.actor(world.investigator2),
            None,
        )
    assert casework.proposal_of(subject_of(case)) is None


def test_a_supervisor_modifies_at_review_with_a_reason_then_approves(world, frozen_clock):
    case = world.proposed()
    casework.submit_for_review(case, world.actor(world.investigator))
    subject = subject_of(case)
    with pytest.raises(NotPermitted):
        discipline.modify_proposal_at_review(
            case,
            subject,
            discipline.ProposalInput("oral_reprimand", None, "Too harsh."),
            world.actor(world.investigator),
        )
    with pytest.raises(InvalidInput) as no_reason:
        discipline.modify_proposal_at_review(
            case, subject, discipline.ProposalInput("oral_reprimand", None, " "), world.actor(world.supervisor)
        )
    assert no_reason.value.errors == {"justification": "The reason for the modification is required."}
    modification = discipline.modify_proposal_at_review(
        case,
        subject,
        discipline.ProposalInput("oral_reprimand", None, "First post, removed within the hour."),
        world.actor(world.supervisor),
    )
    # issue 14: the modification is its own record; the investigator's proposal is left as made
    assert modification.step.code == "oral_reprimand" and modification.modified_by_id == world.supervisor.id
    assert modification.reason == "First post, removed within the hour."
    proposal = casework.proposal_of(subject)
    assert proposal.proposed_step.code != "oral_reprimand" and proposal.proposed_by_id == world.investigator.id
    review = casework.approve_outcome(
        case, world.actor(world.supervisor), "Lowered to an oral reprimand.", modified=True
    )
    assert review.decision == "approved_with_modification"
    assert casework.standing_approval(case) is review


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
        "Capped, Pat already has 50 day(s) of suspension imposed in 2026; 11 more would make 61, over the 60-day "
        "cap on unpaid suspensions in a calendar year (C.G.S. 5-240(a))."
    )
    assert discipline.suspension_cap_warning(employee, 30, date(2025, 12, 31)) is None
    assert discipline.suspension_cap_warning(employee, 31, date(2025, 12, 31)) is not None
    assert discipline.suspension_cap_warning(employee, 60, date(2027, 1, 4)) is None


# Prior discipline import -----------------------------------------------------------------------------


def test_import_is_all_or_nothing_and_names_every_bad_row(world, frozen_clock):
    employee = world.employees.make()
    n = employee.employee_number
    text = HEADER + (
        f"{n},written_reprimand,2025-04-01,,ok\n"
        "X99999,oral_reprimand,2025-01-01,,\n"
        f"{n},reprimand,2025-01-01,,\n"
        f"{n},suspension,2025-05-01,,\n"
        f"{n},oral_reprimand,01/05/2025,,\n"
        f"{n},oral_reprimand,2026-04-01,,\n"
        f"{n},written_reprimand,2025-06-01,3,\n"
        f"{n},written_reprimand,2025-04-01,,again\n"
    )
    with pytest.raises(RosterImportError) as refused:
        discipline.import_prior_discipline(text)
    assert [str(e) for e in refused.value.errors] == [
        "line 3: employee number X99999 is not on the roster",
        "line 4: step 'reprimand' is not one of counseling, oral_reprimand, written_reprimand, suspension, "
        "demotion, dismissal",
        "line 5: a suspension needs suspension_days, a whole number from 1 to 60",
        "line 6: imposed_on '01/05/2025' is not a date in the form YYYY-MM-DD",
        "line 7: imposed_on 2026-04-01 is in the future",
        "line 8: suspension_days is given, but only a suspension takes days, not a written reprimand",
        "line 9: the same record is already on line 2",
    ]
    assert db.session.scalars(select(DisciplineRecord)).all() == []


def test_reimporting_the_same_file_changes_nothing(world, frozen_clock):
    n = world.employees.make().employee_number
    rows = (f"{n},written_reprimand,2025-04-01,,Instagram", f"{n},suspension,2025-10-01,5,")
    assert history(*rows) == discipline.PriorDisciplineImportResult(created=2, updated=0, unchanged=0)
    assert history(*rows) == discipline.PriorDisciplineImportResult(created=0, updated=0, unchanged=2)
    changed = history(rows[0], f"{n},suspension,2025-10-01,6,")
    assert changed == discipline.PriorDisciplineImportResult(created=0, updated=1, unchanged=1)
    records = db.session.scalars(select(DisciplineRecord).order_by(DisciplineRecord.imposed_on)).all()
    assert [(r.step.code, r.suspension_days, r.source, r.case_id) for r in records] == [
        ("written_reprimand", None, "import", None),
        ("suspension", 6, "import", None),
    ]
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "discipline.history_imported")).all()
    assert len(events) == 2


def test_the_cli_imports_prior_discipline_and_reports_bad_rows(world, runner, tmp_path: Path, frozen_clock):
    n = world.employees.make().employee_number
    good = tmp_path / "history.csv"
    good.write_text(HEADER + f"{n},oral_reprimand,2025-08-01,,\n", encoding="utf-8")
    result = runner.invoke(args=["roster", "import-discipline", str(good)])
    assert result.exit_code == 0, result.output
    assert "Prior discipline: 1 added, 0 updated, 0 unchanged." in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"{n},oral_reprimand,2025-08-02,,\n{n},firing,2025-08-01,,\n", encoding="utf-8")
    refused = runner.invoke(args=["roster", "import-discipline", str(bad)])
    assert refused.exit_code != 0
    assert "bad.csv: line 3: step 'firing' is not one of" in refused.output
    assert "nothing imported: 1 bad row(s)" in refused.output
    assert len(db.session.scalars(select(DisciplineRecord)).all()) == 1


# The matrix seed -------------------------------------------------------------------------------------


def test_the_matrix_is_loaded_from_seed_data(seeded_catalogue):
    entries = {
        (e.clause_number, e.offence): (e.min_step.code, e.max_step.code)
        for e in db.session.scalars(select(DisciplineMatrixEntry))
    }
    assert entries[("5.b.i.2", 1)] == ("written_reprimand", "dismissal")
    assert entries[("5.a", 1)] == ("oral_reprimand", "written_reprimand")
    assert entries[("5.c", 1)] == ("oral_reprimand", "suspension")
    assert not catalogue.load_catalogue(SEED_DIR).changed


def test_a_matrix_naming_an_unknown_step_loads_nothing(empty_catalogue, tmp_path: Path):
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    path = seed / "discipline_matrix.toml"
    path.write_text(path.read_text().replace('second = ["suspension", "dismissal"]', 'second = ["suspend", "x"]', 1))
    with pytest.raises(catalogue.SeedDataError, match="clause 5.b.i.1, second offence: unknown step 'suspend'"):
        catalogue.load_catalogue(seed)
    assert db.session.scalars(select(DisciplineMatrixEntry)).all() == []


def test_a_withdrawn_proposal_leaves_the_subject_without_one(world, frozen_clock):
    case = world.proposed()
    subject = subject_of(case)
    proposal = casework.proposal_of(subject)
    with pytest.raises(NotPermitted):
        discipline.withdraw_proposal(case, subject, world.actor(world.investigator2), proposal.row_version)
    discipline.withdraw_proposal(case, subject, world.actor(world.investigator), proposal.row_version)
    assert casework.proposal_of(subject) is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "discipline.withdrawn")).one()
    assert event.detail["before"]["step"] == "written_reprimand"


def test_a_second_proposal_row_for_a_subject_made_at_the_same_moment_is_refused(world, frozen_clock):
    case = world.proposed()
    subject = subject_of(case)
    first = casework.proposal_of(subject)
    with pytest.raises(StaleEdit), committing("this discipline proposal", duplicate_is_conflict=True):
        db.session.add(
            DisciplineProposal(
                subject_id=subject.id,
                proposed_step_id=first.proposed_step_id,
                proposed_by_id=world.investigator.id,
                proposed_at=first.proposed_at,
            )
        )
        db.session.flush()
    assert db.session.scalars(select(DisciplineProposal)).all() == [first]

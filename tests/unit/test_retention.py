"""Retention, expungement and legal hold (issue 18, item 5): rules as data with their sources, a review that
lists what is due, a run that seals it unless a legal hold keeps it, expunged discipline that stops counting,
the sealed history opened only by an administrator with a reason, and an audit chain that verifies after a
run. Today is 2026-03-02 (the ``frozen_clock``) unless a test moves it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, DisciplineRecord
from project.permissions import NotPermitted
from project.services import casework, dashboard, discipline, labor, records, roster
from project.services.audit import verify_chain
from project.services.catalogue import SeedDataError
from project.services.errors import InvalidInput

TODAY = date(2026, 3, 2)
HEADER = "employee_number,step,imposed_on,suspension_days,note,offence_class\n"


def outside_unit_employee(number: str = "900100"):
    roster.import_roster(
        "employee_number,last_name,first_name,title,facility,bargaining_unit,hire_date\n"
        f"{number},Nounit,Alex,Secretary 1,Central Office,,2010-01-04\n"
    )
    return casework.find_employee(number)


def imported_reprimand(number: str, imposed_on: str) -> DisciplineRecord:
    discipline.import_prior_discipline(HEADER + f"{number},written_reprimand,{imposed_on},,Imported.,\n")
    return db.session.scalars(
        select(DisciplineRecord).where(DisciplineRecord.imposed_on == date.fromisoformat(imposed_on))
    ).one()


def reprimanded_case(world):
    """A case whose NP-4 subject received a written reprimand effective today (2026-03-02)."""
    case = world.approved_with_discipline("written_reprimand")
    world.labor_record(case, notice_issued_on=TODAY, imposed_step="written_reprimand", effective_on=TODAY)
    record = db.session.scalars(select(DisciplineRecord).where(DisciplineRecord.case_id == case.id)).one()
    return case, record


def actions(name: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == name).order_by(AuditEvent.id)))


def test_the_rules_are_data_each_with_its_source():
    rules = {rule.code: rule for rule in records.retention_rules()}
    statute = rules["reprimand_outside_unit"]
    assert (statute.outcome, statute.bargaining_unit, statute.months, statute.action) == (
        "written_reprimand",
        "none",
        12,
        "seal",
    )
    assert statute.source_label == "C.G.S. 5-240(a)"
    contract = rules["reprimand_np4"]
    assert contract.source == "contract" and contract.months == 24
    assert contract.source_label.startswith("contract period not yet cited: department setting (Labor Relations")


def test_a_malformed_rule_file_names_the_rule(tmp_path):
    path = tmp_path / "retention.toml"
    path.write_text(
        '[[rules]]\ncode = "x"\nrecord_type = "discipline_record"\noutcome = "written_reprimand"\n'
        'bargaining_unit = "none"\nmonths = 12\naction = "seal"\nsource = "statute"\n'
    )
    with pytest.raises(SeedDataError, match="rule x: a statute rule cites its authority"):
        records.load_rules(path)
    path.write_text(path.read_text().replace('action = "seal"', 'action = "shred"'))
    with pytest.raises(SeedDataError, match="action must be one of seal, purge"):
        records.load_rules(path)


def test_a_reprimand_outside_any_unit_is_due_after_12_months_and_sealed_stops_counting(world, frozen_clock):
    employee = outside_unit_employee()
    old = imported_reprimand("900100", "2025-02-01")  # due 2026-02-01 (C.G.S. 5-240(a))
    recent = imported_reprimand("900100", "2025-06-01")  # due 2026-06-01: not yet
    conduct = date(2026, 1, 10)  # inside the old record's look-back: it counts until it is expunged
    assert [w.record_id for w in discipline.prior_active_discipline(employee, conduct)] == [old.id, recent.id]

    [item] = records.review_retention(TODAY)
    assert (item.record.id, item.due_on, item.held, item.rule.source_label) == (
        old.id,
        date(2026, 2, 1),
        False,
        "C.G.S. 5-240(a)",
    )
    assert old.expunged_on is None, "a review changes nothing"
    [reviewed] = actions("retention.reviewed")
    assert reviewed.detail["due"] == [old.id] and reviewed.detail["held"] == []

    run = records.apply_retention(TODAY)
    assert [i.record.id for i in run.sealed] == [old.id] and run.held == []
    assert (old.expunged_on, old.expunged_rule, recent.expunged_on) == (TODAY, "reprimand_outside_unit", None)
    weighed = discipline.prior_active_discipline(employee, conduct)
    assert [w.record_id for w in weighed] == [recent.id], "the expunged record neither counts nor is named"
    [sealed] = actions("retention.sealed")
    assert sealed.object_id == str(old.id) and sealed.detail["source"] == "C.G.S. 5-240(a)"
    assert records.apply_retention(TODAY).sealed == [], "a second run finds nothing more"


def test_a_legal_hold_keeps_a_due_record_until_it_is_lifted_and_the_chain_verifies(world, frozen_clock):
    held_case, held = reprimanded_case(world)
    free_case, free = reprimanded_case(world)
    records.place_hold(held_case, "Pending litigation: Doe v. DOC.", world.actor(world.supervisor))
    frozen_clock.current = datetime(2028, 3, 3, 15, 0, tzinfo=UTC)  # NP-4: due after 24 months (2028-03-02)

    run = records.apply_retention(date(2028, 3, 3))
    assert [i.record.id for i in run.sealed] == [free.id]
    assert [(i.record.id, i.hold.reason if i.hold else "") for i in run.held] == [
        (held.id, "Pending litigation: Doe v. DOC.")
    ]
    assert held.expunged_on is None and free.expunged_on == date(2028, 3, 3)
    [kept] = actions("retention.kept_on_hold")
    assert kept.case_id == held_case.id
    [applied] = actions("retention.applied")
    assert (applied.detail["sealed"], applied.detail["held"]) == ([free.id], [held.id])
    report = verify_chain()
    assert report.intact, report.problems

    records.lift_hold(held_case, "Litigation settled.", world.actor(world.admin))
    assert [i.record.id for i in records.apply_retention(date(2028, 3, 3)).sealed] == [held.id]
    assert [e.detail["reason"] for e in actions("legal_hold.lifted")] == ["Litigation settled."]
    assert verify_chain().intact
    assert free_case.id != held_case.id


def test_a_hold_needs_a_supervisor_or_admin_and_a_reason(world, frozen_clock):
    case, _record = reprimanded_case(world)
    with pytest.raises(NotPermitted):
        records.place_hold(case, "Because.", world.actor(world.labor))
    with pytest.raises(InvalidInput, match="Give the reason"):
        records.place_hold(case, "  ", world.actor(world.supervisor))
    records.place_hold(case, "Litigation.", world.actor(world.admin))
    with pytest.raises(InvalidInput, match="already on legal hold"):
        records.place_hold(case, "Again.", world.actor(world.supervisor))
    with pytest.raises(InvalidInput, match="Give the reason"):
        records.lift_hold(case, "", world.actor(world.supervisor))
    [placed] = actions("legal_hold.placed")
    assert (placed.actor_id, placed.case_id, placed.detail["reason"]) == (world.admin.id, case.id, "Litigation.")


def test_only_an_admin_with_a_reason_opens_the_sealed_history_and_each_opening_is_audited(world, frozen_clock):
    outside_unit_employee()
    old = imported_reprimand("900100", "2025-02-01")
    records.apply_retention(TODAY)
    with pytest.raises(NotPermitted):
        records.open_sealed_history("900100", "Court order 2026-77.", world.actor(world.supervisor))
    with pytest.raises(InvalidInput, match="State why"):
        records.open_sealed_history("900100", "", world.actor(world.admin))
    with pytest.raises(InvalidInput, match="No employee 000000"):
        records.open_sealed_history("000000", "Court order 2026-77.", world.actor(world.admin))
    assert actions("retention.sealed_history_opened") == []
    employee, found = records.open_sealed_history("900100", "Court order 2026-77.", world.actor(world.admin))
    assert employee.employee_number == "900100" and [r.id for r in found] == [old.id]
    [opened] = actions("retention.sealed_history_opened")
    assert (opened.actor_id, opened.detail["reason"], opened.detail["records"]) == (
        world.admin.id,
        "Court order 2026-77.",
        [old.id],
    )


def test_a_retention_run_on_a_seeded_instance_seals_what_is_due_keeps_what_is_held_and_verifies(
    runner, world, frozen_clock
):
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    held_case, held = reprimanded_case(world)
    _free_case, free = reprimanded_case(world)
    records.place_hold(held_case, "Open records request under appeal.", world.actor(world.supervisor))
    frozen_clock.current = datetime(2030, 6, 1, 15, 0, tzinfo=UTC)

    review = runner.invoke(args=["retention", "review"])
    assert review.exit_code == 0, review.output
    assert "kept: legal hold" in review.output and f"case {held_case.id}" in review.output
    applied = runner.invoke(args=["retention", "apply"])
    assert applied.exit_code == 0, applied.output
    assert "kept 1 on legal hold" in applied.output
    assert free.expunged_on == date(2030, 6, 1) and held.expunged_on is None
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "Audit trail intact" in verified.output


def test_a_fault_committing_a_run_seals_nothing_and_a_retry_seals_all(world, frozen_clock, monkeypatch):
    outside_unit_employee()
    first = imported_reprimand("900100", "2025-01-05")
    second = imported_reprimand("900100", "2025-02-01")

    def fail(*_args, **_kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("project.services.audit.chain.row_hash", fail)
    with pytest.raises(RuntimeError, match="the disk is full"):
        records.apply_retention(TODAY)
    monkeypatch.undo()
    stored = db.session.execute(select(DisciplineRecord.id, DisciplineRecord.expunged_on)).all()
    assert sorted(stored) == [(first.id, None), (second.id, None)]
    assert actions("retention.sealed") == [] and actions("retention.applied") == []
    assert [i.record.id for i in records.apply_retention(TODAY).sealed] == [first.id, second.id]
    assert verify_chain().intact


def test_what_was_imposed_on_an_expunged_record_can_no_longer_be_changed_through_the_labor_record(world, frozen_clock):
    case, record = reprimanded_case(world)
    action = labor.labor_action_of(case.subjects[0])
    frozen_clock.current = datetime(2028, 3, 3, 15, 0, tzinfo=UTC)
    records.apply_retention(date(2028, 3, 3))
    with pytest.raises(InvalidInput, match="expunged on 2028-03-03 under the retention rule reprimand_np4"):
        world.labor_record(case, action.row_version, notice_issued_on=TODAY)  # withdrawn: the record would go
    db.session.refresh(record)
    assert (record.step.code, record.expunged_on) == ("written_reprimand", date(2028, 3, 3))
    kept = world.labor_record(
        case,
        action.row_version,
        notice_issued_on=TODAY,
        imposed_step="written_reprimand",
        effective_on=TODAY,
        employee_response="Denied it at the meeting.",
    )
    assert kept.employee_response == "Denied it at the meeting." and record.expunged_on == date(2028, 3, 3)


def test_a_reprimand_of_29_february_is_due_on_the_last_day_of_february_a_year_later(world, frozen_clock):
    outside_unit_employee()
    leap = imported_reprimand("900100", "2024-02-29")
    assert records.due_items(date(2025, 2, 27)) == []
    [item] = records.due_items(date(2025, 2, 28))
    assert (item.record.id, item.due_on) == (leap.id, date(2025, 2, 28))


def test_the_dashboards_retention_figure_counts_only_records_the_viewer_may_see(world, frozen_clock):
    """A supervisor who is the subject of a case sees nothing of it (segregation of duties): not even a count
    of its record due to be sealed. Labor relations counts it; an investigator gets no retention figure."""
    case, record = reprimanded_case(world)
    frozen_clock.current = datetime(2028, 3, 3, 15, 0, tzinfo=UTC)  # NP-4: due after 24 months (2028-03-02)
    employee_number = case.subjects[0].employee.employee_number
    subject = world.users.make("supervisor", email="subject.sup@example.test", employee_number=employee_number)
    today = date(2028, 3, 3)
    assert dashboard.build(world.labor, today).retention.due == 1
    assert dashboard.build(world.supervisor, today).retention.due == 1
    assert dashboard.build(subject, today).retention.due == 0
    assert dashboard.build(world.investigator, today).retention is None
    assert record.expunged_on is None

"""Roster import: all rows or none, every bad row reported with its line, re-import updates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, Employee
from project.services import roster

HEADER = "employee_number,last_name,first_name,title,facility,unit,bargaining_unit,hire_date,status\n"
GOOD = HEADER + (
    "200001,Nguyen,Linh,Correction Officer,Cheshire CI,Unit A,NP-4,2015-02-01,active\n"
    "200002,Okafor,Chidi,Lieutenant,York CI,,NP-8,2010-09-15,\n"
)


def employees() -> dict[str, Employee]:
    return {e.employee_number: e for e in db.session.scalars(select(Employee))}


def test_import_creates_employees(app):
    result = roster.import_roster(GOOD)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    okafor = employees()["200002"]
    assert (okafor.last_name, okafor.title, okafor.unit, okafor.status) == ("Okafor", "Lieutenant", None, "active")
    assert okafor.hire_date == date(2010, 9, 15)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "roster.imported")).one()
    assert event.detail["created"] == ["200001", "200002"]


def test_reimport_updates_by_employee_number_and_reports_unchanged(app):
    roster.import_roster(GOOD)
    changed = GOOD.replace("Lieutenant,York CI", "Captain,York CI")
    result = roster.import_roster(changed)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert employees()["200002"].title == "Captain"
    assert len(employees()) == 2


def test_a_file_with_bad_rows_imports_nothing_and_names_every_bad_row(app):
    bad = HEADER + (
        "200001,Nguyen,Linh,Correction Officer,Cheshire CI,,,2015-02-01,active\n"
        ",Missing,Number,Officer,York CI,,,,\n"
        "200003,Smith,Jo,Officer,York CI,,,31/12/2019,active\n"
        "200004,Diaz,Rosa,Officer,York CI,,,,retired\n"
        "200001,Nguyen,Linh,Officer,York CI,,,,\n"
    )
    with pytest.raises(roster.RosterImportError) as refused:
        roster.import_roster(bad)
    messages = [str(error) for error in refused.value.errors]
    assert messages == [
        "line 3: employee_number is empty",
        "line 4: hire date '31/12/2019' is not a date in the form YYYY-MM-DD",
        "line 5: status 'retired' is not one of active, leave, suspended, separated",
        "line 6: employee number 200001 is already on line 2",
    ]
    assert employees() == {}


def test_missing_columns_and_empty_files_are_refused(app):
    with pytest.raises(roster.RosterImportError, match="missing column"):
        roster.import_roster("employee_number,last_name\n1,Smith\n")
    with pytest.raises(roster.RosterImportError, match="no employees"):
        roster.import_roster(HEADER)


def test_future_hire_date_and_extra_fields_are_refused(app, frozen_clock):
    bad = HEADER + "200009,Lee,Kim,Officer,York CI,,,2027-01-01,active,surplus\n"
    with pytest.raises(roster.RosterImportError) as refused:
        roster.import_roster(bad)
    assert [str(e) for e in refused.value.errors] == [
        "line 2: more fields than the header has columns",
        "line 2: hire date 2027-01-01 is in the future",
    ]

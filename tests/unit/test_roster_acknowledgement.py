"""The roster's AD 2.26 acknowledgement date (issue 17, item 6): an optional column that fills "notice of the
rule" at just cause; a file without it still imports and leaves the dates already recorded alone."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import Employee
from project.services import roster

OLD_HEADER = "employee_number,last_name,first_name,title,facility,hire_date\n"
NEW_HEADER = "employee_number,last_name,first_name,title,facility,hire_date,ad_2_26_acknowledged_on\n"


def _acknowledged() -> dict[str, date | None]:
    return {e.employee_number: e.ad_2_26_acknowledged_on for e in db.session.scalars(select(Employee))}


def test_the_acknowledgement_date_imports_and_an_empty_one_is_none(app):
    roster.import_roster(
        NEW_HEADER + "300001,Nguyen,Linh,CO,Cheshire CI,2015-02-01,2019-01-07\n300002,Okafor,Chidi,Lt,York CI,,\n"
    )
    assert _acknowledged() == {"300001": date(2019, 1, 7), "300002": None}


def test_an_old_file_without_the_column_imports_and_keeps_the_recorded_dates(app):
    roster.import_roster(NEW_HEADER + "300001,Nguyen,Linh,CO,Cheshire CI,2015-02-01,2019-01-07\n")
    result = roster.import_roster(OLD_HEADER + "300001,Nguyen,Linh,Captain,Cheshire CI,2015-02-01\n")
    assert (result.created, result.updated) == (0, 1)
    db.session.expire_all()
    assert _acknowledged() == {"300001": date(2019, 1, 7)}
    assert db.session.scalars(select(Employee)).one().title == "Captain"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("07/01/2019", "line 2: AD 2.26 acknowledgement date '07/01/2019' is not a date in the form YYYY-MM-DD"),
        ("2099-01-01", "line 2: AD 2.26 acknowledgement date 2099-01-01 is in the future"),
        ("2014-01-01", "line 2: AD 2.26 acknowledgement date 2014-01-01 is before the hire date 2015-02-01"),
    ],
)
def test_a_bad_acknowledgement_date_refuses_the_whole_file(app, value, message):
    text = NEW_HEADER + f"300001,Nguyen,Linh,CO,Cheshire CI,2015-02-01,{value}\n300002,Okafor,Chidi,Lt,York CI,,\n"
    with pytest.raises(roster.RosterImportError) as refused:
        roster.import_roster(text)
    assert message in [str(error) for error in refused.value.errors]
    assert _acknowledged() == {}

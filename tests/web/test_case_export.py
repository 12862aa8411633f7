"""The filtered case list as CSV: the same cases as the list, every page, safe to open in a spreadsheet,
and recorded in the audit trail."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent
from tests.factories import PASSWORD


def rows_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_export_holds_every_page_of_the_filtered_list(client, world, monkeypatch, sign_in):
    monkeypatch.setattr("project.services.casework.reading.case_list.PAGE_SIZE", 2)
    made = [world.in_review() for _ in range(3)] + [world.intake()]
    sign_in(client, world.supervisor.email, PASSWORD)
    rows = rows_of(client.get("/cases/export.csv?state=in_review&mine=0"))
    assert sorted(row["Case"] for row in rows) == sorted(case.number for case in made[:3])
    assert {row["State"] for row in rows} == {"In review"}
    assert rows[0]["AD 2.26 clauses"] == "5.b.i.2" and rows[0]["Findings"] == "Not Sustained"
    assert any(key.startswith("Received (America/New_York)") for key in rows[0])
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "cases.exported")).one()
    assert event.actor_id == world.supervisor.id and event.detail["cases"] == 3
    assert event.detail["filters"]["state"] == "in_review"


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(client, world, sign_in):
    world.intake(title='=HYPERLINK("http://evil.example","click")')
    sign_in(client, world.supervisor.email, PASSWORD)
    rows = rows_of(client.get("/cases/export.csv?mine=0"))
    assert rows[0]["Title"] == '\'=HYPERLINK("http://evil.example","click")'


def test_an_investigator_exports_only_the_cases_they_may_see(client, world, sign_in):
    theirs = world.open()
    world.in_review()  # assigned to world.investigator, not investigator2
    sign_in(client, world.investigator2.email, PASSWORD)
    rows = rows_of(client.get("/cases/export.csv?mine=0"))
    assert theirs.number not in {row["Case"] for row in rows} and rows == []


def test_roles_without_the_case_list_cannot_export(client, world, sign_in):
    world.intake()
    sign_in(client, world.admin.email, PASSWORD)
    assert client.get("/cases/export.csv").status_code == 403
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "cases.exported")).first() is None

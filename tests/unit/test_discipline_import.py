"""Prior discipline imported from a CSV file (all or nothing, idempotent, from the CLI) and the matrix
loaded from seed_data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from project.commands import SEED_DIR
from project.extensions import db
from project.models import AuditEvent, DisciplineMatrixEntry, DisciplineRecord
from project.services import catalogue, discipline
from project.services.roster import RosterImportError
from tests.unit.test_discipline import (
    HEADER,
    history,
)


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
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "discipline.history_imported").order_by(AuditEvent.id)
    ).all()
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

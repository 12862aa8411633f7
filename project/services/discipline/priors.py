"""Importing discipline from before the system (CSV), so progressive discipline sees the history.

Columns: ``employee_number,step,imposed_on,suspension_days,note,offence_class`` (the last three may be left
out). ``offence_class`` names the kind of offence, as the discipline matrix's classes do (e.g.
``confidential_information``, or ``lateness`` for conduct outside AD 2.26); left empty, the class is unknown,
and a matrix row that escalates only on related offences sets the record aside. A file with any bad row
imports nothing and every bad row is reported with its line number. Re-importing the same file changes
nothing: a row is the same record when employee, step and date match an imported record (the database's
unique key cannot see that, because imported records have no case and NULLs never collide).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import DisciplineLadder, DisciplineRecord, DisciplineStep, Employee, User
from project.services import audit
from project.services.roster import RosterImportError, RowError, read_csv_rows
from project.transaction import committing

REQUIRED_COLUMNS = ("employee_number", "step", "imposed_on")
OPTIONAL_COLUMNS = ("suspension_days", "note", "offence_class")
MAX_NOTE = 2_000
OFFENCE_CLASS = re.compile(r"[a-z0-9_]{1,64}")


@dataclass(frozen=True)
class PriorDisciplineImportResult:
    created: int
    updated: int
    unchanged: int


def _ladders() -> list[DisciplineLadder]:
    return list(db.session.scalars(select(DisciplineLadder).order_by(DisciplineLadder.effective_date)))


def _step_for(ladders: list[DisciplineLadder], code: str, on: date) -> DisciplineStep | None:
    """The step of that code on the ladder in force on the day (the first ladder for earlier history)."""
    in_force = [ladder for ladder in ladders if ladder.effective_date <= on] or ladders[:1]
    return next((step for step in in_force[-1].steps if step.code == code), None) if in_force else None


def parse_prior_discipline(text: str) -> list[dict[str, Any]]:
    """Read and check every row; raise with all the errors, or return the rows ready to store."""
    numbered = read_csv_rows(text, REQUIRED_COLUMNS)
    ladders = _ladders()
    if not ladders:
        raise RosterImportError([RowError(1, "no discipline ladder is loaded: run `flask seed` first")])
    numbers = [(raw.get("employee_number") or "").strip() for _, raw in numbered]
    employees = {
        e.employee_number: e for e in db.session.scalars(select(Employee).where(Employee.employee_number.in_(numbers)))
    }
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    first_line: dict[tuple[str, str, date], int] = {}
    today = clock.local_today()
    for line, raw in numbered:
        values, problems = _check_row(raw, ladders, employees, today)
        key = (values["employee_number"], values["step_code"], values["imposed_on"])
        if not problems and key in first_line:
            problems.append(f"the same record is already on line {first_line[key]}")
        elif not problems:
            first_line[key] = line
        errors.extend(RowError(line, problem) for problem in problems)
        rows.append(values)
    if errors:
        raise RosterImportError(errors)
    if not rows:
        raise RosterImportError([RowError(2, "the file has no discipline records")])
    return rows


def _check_row(
    raw: dict[str | None, Any], ladders: list[DisciplineLadder], employees: dict[str, Employee], today: date
) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    if raw.get(None):
        problems.append("more fields than the header has columns")
    text = {key: (raw.get(key) or "").strip() for key in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    for key in REQUIRED_COLUMNS:
        if not text[key]:
            problems.append(f"{key} is empty")
    employee = employees.get(text["employee_number"])
    if text["employee_number"] and employee is None:
        problems.append(f"employee number {text['employee_number']} is not on the roster")
    imposed_on = _parse_date(text["imposed_on"], today, problems)
    step = _step_for(ladders, text["step"], imposed_on or today) if text["step"] else None
    if text["step"] and step is None:
        codes = ", ".join(s.code for s in ladders[-1].steps)
        problems.append(f"step {text['step']!r} is not one of {codes}")
    days = _parse_days(text["suspension_days"], step, problems)
    if text["offence_class"] and not OFFENCE_CLASS.fullmatch(text["offence_class"]):
        problems.append(
            f"offence_class {text['offence_class']!r} is not a class name: lower-case letters, digits and _, "
            "e.g. confidential_information"
        )
    if len(text["note"]) > MAX_NOTE:
        problems.append(f"note is longer than {MAX_NOTE} characters")
    values = {
        "employee_number": text["employee_number"],
        "employee": employee,
        "step_code": text["step"],
        "step": step,
        "imposed_on": imposed_on,
        "suspension_days": days,
        "note": text["note"],
        "offence_class": text["offence_class"] or None,
    }
    return values, problems


def _parse_date(text: str, today: date, problems: list[str]) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        problems.append(f"imposed_on {text!r} is not a date in the form YYYY-MM-DD")
        return None
    if day > today:
        problems.append(f"imposed_on {text} is in the future")
    return day


def _parse_days(text: str, step: DisciplineStep | None, problems: list[str]) -> int | None:
    if step is None:
        return None
    if not step.takes_days:
        if text:
            problems.append(f"suspension_days is given, but only a suspension takes days, not a {step.name.lower()}")
        return None
    cap = step.ladder.suspension_cap_days
    if not text.isdigit() or not 1 <= int(text) <= cap:
        problems.append(f"a suspension needs suspension_days, a whole number from 1 to {cap}")
        return None
    return int(text)


def import_prior_discipline(
    text: str, *, actor: User | None = None, source: str = "upload"
) -> PriorDisciplineImportResult:
    """Add imported discipline records; a row matching an imported record (employee, step, date) updates its
    days and note. A file with any bad row changes nothing."""
    rows = parse_prior_discipline(text)
    imported = {
        (record.employee_id, record.step_id, record.imposed_on): record
        for record in db.session.scalars(
            select(DisciplineRecord).where(
                DisciplineRecord.employee_id.in_({row["employee"].id for row in rows}),
                DisciplineRecord.case_id.is_(None),
            )
        )
    }
    created, updated, unchanged = [], [], 0
    with committing("the discipline history"):
        for row in rows:
            employee: Employee = row["employee"]
            step: DisciplineStep = row["step"]
            existing = imported.get((employee.id, step.id, row["imposed_on"]))
            label = f"{employee.employee_number} {step.code} {row['imposed_on'].isoformat()}"
            if existing is None:
                db.session.add(
                    DisciplineRecord(
                        employee_id=employee.id,
                        step_id=step.id,
                        imposed_on=row["imposed_on"],
                        suspension_days=row["suspension_days"],
                        case_id=None,
                        source="import",
                        note=row["note"],
                        offence_class=row["offence_class"],
                    )
                )
                created.append(label)
            elif (existing.suspension_days, existing.note, existing.offence_class) != (
                row["suspension_days"],
                row["note"],
                row["offence_class"],
            ):
                existing.suspension_days, existing.note = row["suspension_days"], row["note"]
                existing.offence_class = row["offence_class"]
                updated.append(label)
            else:
                unchanged += 1
        if created or updated:
            audit.record(
                "discipline.history_imported",
                actor=actor,
                object_type="discipline_records",
                detail={"source": source, "created": created, "updated": updated, "unchanged": unchanged},
            )
    return PriorDisciplineImportResult(created=len(created), updated=len(updated), unchanged=unchanged)

"""The employee roster: importing it from CSV, all rows or none; finding people in it by name, number or
facility as they are typed (the subject picker, the case list's employee filter)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from project import clock
from project.extensions import db
from project.models import Employee, EmployeeStatus, User
from project.services import audit
from project.transaction import committing

REQUIRED_COLUMNS = ("employee_number", "last_name", "first_name", "title", "facility")
OPTIONAL_COLUMNS = ("unit", "bargaining_unit", "hire_date", "status")
# when the employee acknowledged AD 2.26 (notice of the rule, for just cause); a file without the column
# leaves the dates already on the roster as they are
ACKNOWLEDGED = "ad_2_26_acknowledged_on"
EMPLOYEE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")
MAX_LENGTHS = {"last_name": 100, "first_name": 100, "title": 120, "facility": 120, "unit": 120, "bargaining_unit": 120}


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class RosterImportError(ValueError):
    """The file was refused as a whole; ``errors`` lists every bad row with its line number."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


@dataclass(frozen=True)
class RosterImportResult:
    created: int
    updated: int
    unchanged: int


def read_csv_rows(text: str, required: tuple[str, ...]) -> list[tuple[int, dict[str | None, Any]]]:
    """The rows of an uploaded CSV with the line each starts on (a quoted field may span lines); refuses a
    file without the required columns. Shared by every all-or-nothing CSV import."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        raise RosterImportError(
            [RowError(1, f"missing {'column' if len(missing) == 1 else 'columns'}: {', '.join(missing)}")]
        )
    reader.fieldnames = header
    numbered: list[tuple[int, dict[str | None, Any]]] = []
    line = reader.line_num + 1
    for raw in reader:
        numbered.append((line, raw))
        line = reader.line_num + 1
    return numbered


def parse_roster(text: str) -> list[dict[str, Any]]:
    """Read and check every row; raise with all the errors, or return the rows ready to store."""
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    for line, raw in read_csv_rows(text, REQUIRED_COLUMNS):
        values, problems = _check_row(raw)
        number = values.get("employee_number")
        if number and number in first_line:
            problems.append(f"employee number {number} is already on line {first_line[number]}")
        elif number:
            first_line[number] = line
        errors.extend(RowError(line, problem) for problem in problems)
        rows.append(values)
    if errors:
        raise RosterImportError(errors)
    if not rows:
        raise RosterImportError([RowError(2, "the file has no employees")])
    return rows


def _check_row(raw: dict[str | None, Any]) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    if raw.get(None):
        problems.append("more fields than the header has columns")
    values = {key: (raw.get(key) or "").strip() for key in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    for key in REQUIRED_COLUMNS:
        if not values[key]:
            problems.append(f"{key} is empty")
    if values["employee_number"] and not EMPLOYEE_NUMBER.match(values["employee_number"]):
        problems.append(f"employee number {values['employee_number']!r} is not 1-20 letters, digits or dashes")
    for key, limit in MAX_LENGTHS.items():
        if len(values[key]) > limit:
            problems.append(f"{key} is longer than {limit} characters")
    hired = values["hire_date"] = _parse_date(values["hire_date"], "hire date", problems)
    if ACKNOWLEDGED in raw:  # only when the file has the column
        values[ACKNOWLEDGED] = _acknowledged(raw, hired, problems)
    status = values["status"].lower() or EmployeeStatus.ACTIVE.value
    if status not in {s.value for s in EmployeeStatus}:
        problems.append(f"status {values['status']!r} is not one of {', '.join(s.value for s in EmployeeStatus)}")
    values["status"] = status
    for key in ("unit", "bargaining_unit"):
        values[key] = values[key] or None
    return values, problems


def _acknowledged(raw: dict[str | None, Any], hired: date | None, problems: list[str]) -> date | None:
    """The date the employee acknowledged AD 2.26 (notice of the rule): not in the future, not before hiring."""
    acknowledged = _parse_date((raw.get(ACKNOWLEDGED) or "").strip(), "AD 2.26 acknowledgement date", problems)
    if acknowledged and hired and acknowledged < hired:
        problems.append(f"AD 2.26 acknowledgement date {acknowledged} is before the hire date {hired}")
    return acknowledged


def _parse_date(text: str, name: str, problems: list[str]) -> date | None:
    if not text:
        return None
    try:
        on = date.fromisoformat(text)
    except ValueError:
        problems.append(f"{name} {text!r} is not a date in the form YYYY-MM-DD")
        return None
    if on > clock.now().date():
        problems.append(f"{name} {text} is in the future")
    return on


def import_roster(text: str, *, actor: User | None = None, source: str = "upload") -> RosterImportResult:
    """Create or update employees by employee number. A file with any bad row changes nothing."""
    rows = parse_roster(text)
    existing = {
        e.employee_number: e
        for e in db.session.scalars(
            select(Employee).where(Employee.employee_number.in_([row["employee_number"] for row in rows]))
        )
    }
    created, updated, unchanged = [], [], 0
    with committing("the roster"):
        for row in rows:
            employee = existing.get(row["employee_number"])
            if employee is None:
                db.session.add(Employee(**row))
                created.append(row["employee_number"])
            elif any(getattr(employee, key) != value for key, value in row.items()):
                for key, value in row.items():
                    setattr(employee, key, value)
                updated.append(row["employee_number"])
            else:
                unchanged += 1
        if created or updated:
            audit.record(
                "roster.imported",
                actor=actor,
                object_type="roster",
                detail={"source": source, "created": created, "updated": updated, "unchanged": unchanged},
            )
    return RosterImportResult(created=len(created), updated=len(updated), unchanged=unchanged)


def list_employees() -> list[Employee]:
    return list(db.session.scalars(select(Employee).order_by(Employee.last_name, Employee.first_name)))


PICKER_LIMIT = 20  # matches the picker shows; more means "type more of the name"
MAX_QUERY_WORDS = 5
WORD_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class RosterMatches:
    employees: list[Employee] = field(default_factory=list)
    more: bool = False  # more employees match than were returned


def _words(query: str) -> list[str]:
    return [word[:40] for word in WORD_SEPARATORS.split(query.strip().lower()) if word][:MAX_QUERY_WORDS]


def _escaped(word: str) -> str:
    """``word`` for a LIKE pattern: the wildcards a person typed are plain characters."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _starts_a_word(column: InstrumentedAttribute[str], word: str, anywhere: bool = True) -> ColumnElement[bool]:
    """The column begins with ``word`` (or, ``anywhere``, has a word after a space or a hyphen that does), in
    any case."""
    patterns = (f"{word}%", f"% {word}%", f"%-{word}%") if anywhere else (f"{word}%",)
    return or_(*(func.lower(column).like(pattern, escape="\\") for pattern in patterns))


def employee_condition(query: str) -> ColumnElement[bool]:
    """Employees whose number, names or facility start with each typed word (every word must match one of
    them): "kow", "Kowalski, Terrence", "1004", "Osborn kow". Nothing typed matches nobody."""
    words = [_escaped(word) for word in _words(query)]
    if not words:
        return false()
    return and_(
        *(
            or_(
                _starts_a_word(Employee.employee_number, word, anywhere=False),
                _starts_a_word(Employee.last_name, word),
                _starts_a_word(Employee.first_name, word),
                _starts_a_word(Employee.facility, word),
            )
            for word in words
        )
    )


def employee_filter(query: str) -> ColumnElement[bool]:
    """An employee number exactly, when one has it (the dashboard's links name one), else ``employee_condition``."""
    if find_employee(query) is not None:
        return Employee.employee_number == query.strip()
    return employee_condition(query)


def find_employees(query: str, limit: int = PICKER_LIMIT) -> RosterMatches:
    """At most ``limit`` employees matching what was typed (``employee_condition``): an exact employee number
    first, then by name."""
    condition = employee_condition(query)
    exact = case((Employee.employee_number == query.strip(), 0), else_=1)
    found = list(
        db.session.scalars(
            select(Employee)
            .where(condition)
            .order_by(exact, Employee.last_name, Employee.first_name, Employee.employee_number)
            .limit(limit + 1)
        )
    )
    return RosterMatches(found[:limit], more=len(found) > limit)


def find_employee(employee_number: str) -> Employee | None:
    return db.session.scalars(select(Employee).where(Employee.employee_number == employee_number.strip())).first()

"""The appeal or grievance rights of each bargaining unit, read from ``seed_data/bargaining_units.toml``:
what a notice of discipline tells the employee about further review (RCSA 5-240-8a(a)). An employee whose
unit is empty is told of the appeal to the Employees' Review Board (C.G.S. 5-202); a
unit that is not on file stops the notice, so no union member is told they have no union.

Each entry carries its source like every other rule (``project.models.policy.sources``): the unit texts are a
department setting until Labor Relations confirms them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from project.models.policy.sources import source_label
from project.services.catalogue import SeedDataError

UNITS_FILE = Path(__file__).resolve().parents[3] / "seed_data" / "bargaining_units.toml"


@dataclass(frozen=True)
class GrievanceStepRule:
    """One step of a unit's grievance procedure and its deadlines, in calendar days: filing (step 1: from the
    written notice; a later step: the appeal, from the decision before), the hearing (from the filing) and
    the decision (from the hearing)."""

    number: int
    name: str
    file_within_days: int
    hearing_within_days: int
    decision_within_days: int


@dataclass(frozen=True)
class GrievanceProcedure:
    """A unit's grievance steps, the demand for arbitration (from the last step's decision), how many days
    before a deadline it counts as due soon, and the source of all of them."""

    steps: tuple[GrievanceStepRule, ...]
    arbitration_within_days: int
    warn_days: int
    authority: str
    set_by: str
    set_on: date | None

    @property
    def source_label(self) -> str:
        return source_label(self.authority, self.set_by, self.set_on)


@dataclass(frozen=True)
class UnitRights:
    """One unit's appeal rights and right to representation, as the notice states them, with their source."""

    names: tuple[str, ...]
    appeal_rights: str
    representation: str
    authority: str
    set_by: str
    set_on: date | None
    grievance: GrievanceProcedure | None = None

    @property
    def source_label(self) -> str:
        return source_label(self.authority, self.set_by, self.set_on)


def _day(path: Path, value: object) -> date | None:
    text = str(value or "").strip()
    try:
        return date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise SeedDataError(f"{path}: set_on {text!r} is not a date") from exc


def _days(path: Path, data: dict[str, object], key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SeedDataError(f"{path}: {key} must be a whole number of days, at least 1 (found {value!r})")
    return value


def _procedure(path: Path, data: object) -> GrievanceProcedure | None:
    if not isinstance(data, dict):
        return None
    raw_steps = data.get("steps") or []
    if not isinstance(raw_steps, list) or not raw_steps:
        raise SeedDataError(f"{path}: a grievance procedure has no steps")
    steps = []
    for number, step in enumerate(raw_steps, start=1):
        name = str(step.get("name", "")).strip() if isinstance(step, dict) else ""
        if not name:
            raise SeedDataError(f"{path}: grievance step {number} has no name")
        steps.append(
            GrievanceStepRule(
                number,
                name,
                *(
                    _days(path, step, key)
                    for key in ("file_within_days", "hearing_within_days", "decision_within_days")
                ),
            )
        )
    return GrievanceProcedure(
        tuple(steps),
        _days(path, data, "arbitration_within_days"),
        _days(path, data, "warn_days"),
        str(data.get("authority", "")).strip(),
        str(data.get("set_by", "")).strip(),
        _day(path, data.get("set_on")),
    )


def _entry(path: Path, data: dict[str, object], names: tuple[str, ...]) -> UnitRights:
    texts = {key: str(data.get(key, "")).strip() for key in ("appeal_rights", "representation")}
    missing = [key for key, text in texts.items() if not text]
    if missing:
        raise SeedDataError(f"{path}: {', '.join(missing)} missing for {names or 'outside_unit'}")
    return UnitRights(
        names,
        texts["appeal_rights"],
        texts["representation"],
        str(data.get("authority", "")).strip(),
        str(data.get("set_by", "")).strip(),
        _day(path, data.get("set_on")),
        _procedure(path, data.get("grievance")),
    )


def load_units(path: Path = UNITS_FILE) -> tuple[UnitRights, list[UnitRights]]:
    """The rights outside any unit, and each unit's; ``SeedDataError`` names what is wrong with the file."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SeedDataError(f"{path}: {exc}") from exc
    outside = _entry(path, data.get("outside_unit", {}), ())
    units = []
    for unit in data.get("units", []):
        names = tuple(str(n).strip() for n in unit.get("names", []) if str(n).strip())
        if not names:
            raise SeedDataError(f"{path}: a unit has no names")
        units.append(_entry(path, unit, names))
    return outside, units


@cache
def _units() -> tuple[UnitRights, list[UnitRights]]:
    return load_units()


def rights_of(bargaining_unit: str | None) -> UnitRights | None:
    """The rights the notice states for an employee of this unit (the roster's text): the Employees' Review
    Board when the employee has no unit, None when the unit is not on file (the notice is then refused
    rather than tell a union member they have no union)."""
    outside, units = _units()
    wanted = " ".join((bargaining_unit or "").split()).casefold()
    if not wanted:
        return outside
    for unit in units:
        if wanted in {" ".join(name.split()).casefold() for name in unit.names}:
            return unit
    return None

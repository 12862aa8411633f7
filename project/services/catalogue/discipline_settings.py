"""Loading the department's discipline settings: the ladder and its look-backs (discipline.toml), the
overrides of a look-back by bargaining unit, the rules about titles, and the discipline matrix
(discipline_matrix.toml). Every entry is stored with its source (``Sourced``): an ``authority`` citation,
or ``set_by`` and ``set_on`` (an entry may leave them out to take the file's own, under ``[matrix]``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from project.extensions import db
from project.models import (
    Clause,
    Directive,
    DirectiveVersion,
    DisciplineLadder,
    DisciplineMatrixEntry,
    DisciplineStep,
    LookbackOverride,
    TitleRule,
)
from project.services.catalogue.seed_files import LoadReport, SeedDataError, upsert

MATRIX_OFFENCES = {"first": 1, "second": 2, "third": 3}
ESCALATES_ON = ("any", "related")


def source_of(entry: dict[str, Any], default: dict[str, Any] | None = None) -> dict[str, Any]:
    """The three ``Sourced`` columns of a seed entry, falling back to ``default`` (the file's own)."""
    default = default or {}
    set_on = entry.get("set_on", default.get("set_on"))
    if set_on is not None and not isinstance(set_on, date):
        raise SeedDataError(f"set_on {set_on!r} is not a date (write it as 2026-12-01, without quotes)")
    return {
        "authority": entry.get("authority", default.get("authority", "")),
        "set_by": entry.get("set_by", default.get("set_by", "")),
        "set_on": set_on,
    }


def load_ladder(data: dict[str, Any], report: LoadReport) -> None:
    head = data["ladder"]
    ladder = upsert(
        DisciplineLadder,
        {"effective_date": head["effective_date"]},
        {
            "directive_number": head["directive_number"],
            "name": head["name"],
            "suspension_cap_days": head["suspension_cap_days"],
            "suspension_cap_authority": head.get("suspension_cap_authority", ""),
        }
        | source_of(head),
        report,
    )
    for rank, step in enumerate(data["steps"]):
        upsert(
            DisciplineStep,
            {"ladder_id": ladder.id, "code": step["code"]},
            {
                "name": step["name"],
                "rank": rank,
                "is_discipline": step["is_discipline"],
                "takes_days": step.get("takes_days", False),
                "active_months": step.get("active_months"),
                "description": step.get("description", ""),
            }
            | source_of(step),
            report,
        )
    codes = {step["code"] for step in data["steps"]}
    for entry in data.get("lookbacks", []):
        _known_step(codes, entry["step"], "lookbacks")
        unit = str(entry["bargaining_unit"]).strip()
        if not unit or int(entry["months"]) <= 0:
            raise SeedDataError(f"discipline.toml lookbacks: {entry['step']} needs a bargaining_unit and months > 0")
        upsert(
            LookbackOverride,
            {"ladder_id": ladder.id, "step_code": entry["step"], "bargaining_unit": unit},
            {"months": int(entry["months"])} | source_of(entry),
            report,
        )
    for entry in data.get("title_rules", []):
        _known_step(codes, entry["step"], "title_rules")
        for title in entry["titles"]:
            upsert(
                TitleRule,
                {"ladder_id": ladder.id, "rule": entry["rule"], "title": title},
                {"step_code": entry["step"], "reason": entry.get("reason", "")} | source_of(entry),
                report,
            )


def _known_step(codes: set[str], code: str, table: str) -> None:
    if code not in codes:
        raise SeedDataError(f"discipline.toml {table}: unknown step {code!r}")


def load_matrix(data: dict[str, Any], report: LoadReport) -> None:
    """The discipline matrix: for each AD 2.26 clause and offence, the range of steps usually imposed."""
    head = data["matrix"]
    effective = head["ladder_effective_date"]
    ladder = db.session.scalars(select(DisciplineLadder).where(DisciplineLadder.effective_date == effective)).first()
    if ladder is None:
        raise SeedDataError(f"discipline_matrix.toml: no discipline ladder is effective from {effective}")
    steps = {step.code: step for step in ladder.steps}
    known_clauses = set(
        db.session.scalars(
            select(Clause.number).join(DirectiveVersion).join(Directive).where(Directive.number == "2.26")
        )
    )
    for entry in data["clauses"]:
        number = entry["clause"]
        if number not in known_clauses:
            raise SeedDataError(f"discipline_matrix.toml: AD 2.26 has no clause {number}")
        escalates_on = entry.get("escalates_on", "any")
        if escalates_on not in ESCALATES_ON:
            raise SeedDataError(f"discipline_matrix.toml: clause {number}: escalates_on is 'any' or 'related'")
        if escalates_on == "related" and not entry.get("offence_class"):
            raise SeedDataError(
                f"discipline_matrix.toml: clause {number} escalates on related offences: give its offence_class"
            )
        for key, offence in MATRIX_OFFENCES.items():
            if key not in entry:
                continue
            pair = entry[key]
            if not isinstance(pair, list) or len(pair) != 2:
                raise SeedDataError(
                    f"discipline_matrix.toml: clause {number}, {key} offence: give [lowest step, highest step]"
                )
            low, high = (_matrix_step(steps, number, key, code) for code in pair)
            if low.rank > high.rank:
                raise SeedDataError(
                    f"discipline_matrix.toml: clause {number}, {key} offence: {low.code} is "
                    f"more severe than {high.code}"
                )
            upsert(
                DisciplineMatrixEntry,
                {"ladder_id": ladder.id, "clause_number": number, "offence": offence},
                {
                    "min_step_id": low.id,
                    "max_step_id": high.id,
                    "offence_class": entry.get("offence_class", ""),
                    "escalates_on": escalates_on,
                }
                | source_of(entry, head),
                report,
            )


def _matrix_step(steps: dict[str, DisciplineStep], number: str, key: str, code: str) -> DisciplineStep:
    if code not in steps:
        raise SeedDataError(f"discipline_matrix.toml: clause {number}, {key} offence: unknown step {code!r}")
    return steps[code]

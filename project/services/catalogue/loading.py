"""The policy catalogue: loading it from ``seed_data/`` (idempotently) and reading it back.

Files:
  directives/*.toml   either ``[[directives]]`` (number, title) or one ``[directive]`` with a dated
                      ``[version]`` and its ``[[clauses]]``
  discipline.toml     the department's ladder, look-backs and title rules (``discipline_settings``)
  findings.toml       finding categories
  deadlines.toml      deadline rules, each with its source
  holidays.toml       the Connecticut legal holidays business days skip (C.G.S. 1-4)
  discipline_matrix.toml  (optional) the usual range of steps per AD 2.26 clause and offence
  letters/*.toml      the default wording of the letters, inserted only while a kind has none
                      (``letter_wording``)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import (
    Allegation,
    Clause,
    DeadlineRule,
    Directive,
    DirectiveReference,
    DirectiveVersion,
    DisciplineLadder,
    FindingCategory,
)
from project.services.catalogue.charging import charging_values, load_elements
from project.services.catalogue.discipline_settings import load_ladder, load_matrix
from project.services.catalogue.holidays import load_holidays, source_fields
from project.services.catalogue.letter_wording import load_letter_templates
from project.services.catalogue.seed_files import LoadReport, SeedDataError, read_toml, upsert
from project.transaction import committing


def load_catalogue(seed_dir: Path) -> LoadReport:
    """Load every catalogue file; commit once at the end, or nothing when a file is malformed."""
    report = LoadReport()
    try:
        with committing("the catalogue"):
            directive_files = [read_toml(path) for path in sorted((seed_dir / "directives").glob("*.toml"))]
            for data in directive_files:
                for entry in data.get("directives", []):
                    upsert(Directive, {"number": entry["number"]}, {"title": entry["title"]}, report)
            for data in directive_files:
                if "directive" in data:
                    _load_versioned_directive(data, report)
            load_ladder(read_toml(seed_dir / "discipline.toml"), report)
            _load_findings(read_toml(seed_dir / "findings.toml"), report)
            _load_deadlines(read_toml(seed_dir / "deadlines.toml"), report)
            if (seed_dir / "holidays.toml").exists():
                load_holidays(read_toml(seed_dir / "holidays.toml"), report)
            if (seed_dir / "discipline_matrix.toml").exists():
                load_matrix(read_toml(seed_dir / "discipline_matrix.toml"), report)
            load_letter_templates(seed_dir, report)
    except KeyError as exc:
        raise SeedDataError(f"seed data is missing the field {exc}") from exc
    return report


def _load_versioned_directive(data: dict[str, Any], report: LoadReport) -> None:
    head = data["directive"]
    directive = upsert(Directive, {"number": head["number"]}, {"title": head["title"]}, report)
    version = upsert(
        DirectiveVersion,
        {"directive_id": directive.id, "effective_date": data["version"]["effective_date"]},
        {"source": data["version"].get("source", "")},
        report,
    )
    seen: set[str] = set()
    for entry in data["clauses"]:
        number = entry["number"]
        parent = number.rpartition(".")[0]
        if number in seen:
            raise SeedDataError(f"AD {directive.number}: clause {number} is listed twice")
        if parent and parent not in seen:
            raise SeedDataError(f"AD {directive.number}: clause {number} comes before its parent {parent}")
        seen.add(number)
    existing = {c.number: c for c in db.session.scalars(select(Clause).where(Clause.version_id == version.id))}
    cited_by_cases = _cited_clause_ids(version)
    target = {entry["number"]: position for position, entry in enumerate(data["clauses"], start=1)}
    if any(target.get(number) != clause.position for number, clause in existing.items()):
        for clause in existing.values():  # out of the way first, so re-ordered positions never collide
            clause.position = -clause.position
        db.session.flush()
    for position, entry in enumerate(data["clauses"], start=1):
        number, text = entry["number"], entry.get("text", "")
        old = existing.get(number)
        changed = old is not None and (old.text != text or old.heading != entry.get("heading", ""))
        if changed and old is not None and old.id in cited_by_cases:
            raise SeedDataError(
                f"AD {directive.number} {number} (effective {version.effective_date}) is cited by cases: its text "
                "cannot change. Load the revision as a new version with its own effective_date."
            )
        row = upsert(
            Clause,
            {"version_id": version.id, "number": number},
            {"heading": entry.get("heading", ""), "text": text, "position": position}
            | charging_values(directive.number, entry),
            report,
        )
        load_elements(directive.number, row, entry.get("elements", []), report)
    for number in data["version"].get("references", []):
        referenced = db.session.scalars(select(Directive).where(Directive.number == number)).one_or_none()
        if referenced is None:
            raise SeedDataError(f"AD {directive.number} cites AD {number}, which no seed file defines")
        upsert(DirectiveReference, {"version_id": version.id, "directive_id": referenced.id}, {}, report)


def _cited_clause_ids(version: DirectiveVersion) -> set[int]:
    return set(
        db.session.scalars(
            select(Allegation.clause_id)
            .join(Clause, Clause.id == Allegation.clause_id)
            .where(Clause.version_id == version.id)
        )
    )


def _load_findings(data: dict[str, Any], report: LoadReport) -> None:
    for position, entry in enumerate(data["findings"], start=1):
        upsert(
            FindingCategory,
            {"code": entry["code"]},
            {
                "name": entry["name"],
                "description": entry.get("description", ""),
                "supports_discipline": entry["supports_discipline"],
                "position": position,
            },
            report,
        )


def _load_deadlines(data: dict[str, Any], report: LoadReport) -> None:
    for entry in data["deadlines"]:
        upsert(
            DeadlineRule,
            {"code": entry["code"]},
            {key: entry[key] for key in ("name", "trigger", "days", "day_count", "kind")}
            | {
                "description": entry.get("description", ""),
                "applies_to_steps": entry.get("applies_to_steps", []),
                "met_by": entry.get("met_by", ""),
                "warn_days": entry.get("warn_days", 7),
            }
            | source_fields(entry, f"deadlines.toml: {entry['code']}"),
            report,
        )


# Reading the catalogue back -------------------------------------------------------------------------


def directives() -> list[Directive]:
    """Every directive, in the natural order of its number (AD 1.5 before AD 1.10)."""
    return sorted(db.session.scalars(select(Directive)), key=lambda directive: directive.sort_key)


def directive_by_number(number: str) -> Directive | None:
    return db.session.scalars(select(Directive).where(Directive.number == number)).one_or_none()


def displayed_version(directive: Directive, chosen: str) -> DirectiveVersion | None:
    """The version a reader asked for (``YYYY-MM-DD``: the one in force that day), else the one in force today."""
    try:
        on = date.fromisoformat(chosen) if chosen else clock.local_today()
    except ValueError:
        return None
    return version_in_force(directive, on)


def version_in_force(directive: Directive, on: date) -> DirectiveVersion | None:
    """The version that governed conduct on a given day: the latest one effective on or before it."""
    return db.session.scalars(
        select(DirectiveVersion)
        .where(DirectiveVersion.directive_id == directive.id, DirectiveVersion.effective_date <= on)
        .order_by(DirectiveVersion.effective_date.desc())
        .limit(1)
    ).first()


def clause(version: DirectiveVersion, number: str) -> Clause | None:
    return db.session.scalars(
        select(Clause).where(Clause.version_id == version.id, Clause.number == number)
    ).one_or_none()


def current_ladder(on: date) -> DisciplineLadder | None:
    return db.session.scalars(
        select(DisciplineLadder)
        .where(DisciplineLadder.effective_date <= on)
        .order_by(DisciplineLadder.effective_date.desc())
        .limit(1)
    ).first()

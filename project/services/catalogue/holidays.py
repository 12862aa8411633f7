"""Loading the Connecticut legal holidays (seed_data/holidays.toml, C.G.S. 1-4) that business days skip."""

from __future__ import annotations

from datetime import date
from typing import Any

from project.models import Holiday
from project.services.catalogue.seed_files import LoadReport, SeedDataError, upsert
from project.services.deadlines import forget_holidays


def source_fields(entry: dict[str, Any], where: str) -> dict[str, Any]:
    """A rule's source from its seed entry: the citation, or who set the department setting (and when)."""
    authority, set_by = entry.get("authority", "").strip(), entry.get("set_by", "").strip()
    if not authority and not set_by:
        raise SeedDataError(f"{where}: give its authority (a citation) or set_by (who made it a department setting)")
    return {"authority": authority, "set_by": set_by, "set_on": entry.get("set_on")}


def load_holidays(data: dict[str, Any], report: LoadReport) -> None:
    for entry in data["holidays"]:
        day = entry["day"]
        if not isinstance(day, date):
            raise SeedDataError(f"holidays.toml: {entry.get('name', '?')}: day must be a date (YYYY-MM-DD)")
        upsert(
            Holiday,
            {"day": day},
            {
                "name": entry["name"],
                "falls_on": entry.get("falls_on"),
                "proclaimed": entry.get("proclaimed", False),
                "note": entry.get("note", ""),
            }
            | source_fields(entry, f"holidays.toml: {entry['name']} {day}"),
            report,
        )
    forget_holidays()

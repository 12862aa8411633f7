"""The demo's discipline on file from before Casefile (``seed_data/demo/prior_discipline.toml``), imported through
the same CSV import labor relations uses, with dates counted back from the day of seeding."""

from __future__ import annotations

import csv
import io
import tomllib
from datetime import timedelta
from pathlib import Path

from project import clock
from project.services import discipline


def import_demo_priors(seed_dir: Path) -> int:
    """Import the demo's prior discipline; returns how many records were created (0 when there is no file)."""
    path = seed_dir / "demo" / "prior_discipline.toml"
    if not path.exists():
        return 0
    with path.open("rb") as handle:
        records = tomllib.load(handle).get("records", [])
    if not records:
        return 0
    today = clock.local_today()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["employee_number", "step", "imposed_on", "suspension_days", "note", "offence_class"])
    for record in records:
        imposed_on = today - timedelta(days=record["days_ago"])
        writer.writerow(
            [
                record["employee"],
                record["step"],
                imposed_on.isoformat(),
                record.get("suspension_days", ""),
                record.get("note", ""),
                record.get("offence_class", ""),
            ]
        )
    return discipline.import_prior_discipline(text.getvalue(), source="demo seed").created

"""Demo data for a new installation: sign-ins for every role and a small roster. Never in production."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from project.demo.cases import seed_demo_cases
from project.services import accounts, roster


class DemoRefused(RuntimeError):
    """Demo data may not be loaded here."""


@dataclass
class DemoReport:
    users_created: list[str] = field(default_factory=list)
    accounts: list[tuple[str, str]] = field(default_factory=list)
    roster: roster.RosterImportResult | None = None
    cases_built: int = 0


@dataclass(frozen=True)
class EvidenceSettings:
    directory: str
    max_bytes: int
    max_pixels: int


def seed_demo(seed_dir: Path, *, password: str, app_env: str, evidence: EvidenceSettings) -> DemoReport:
    """Create the demo accounts that are missing, import the demo roster, and build the demo cases (in every
    state, with drawn screenshots) when there are no cases yet; running it again changes nothing."""
    if app_env == "production":
        raise DemoRefused("Demo data is never loaded when APP_ENV=production.")
    report = DemoReport()
    with (seed_dir / "demo" / "users.toml").open("rb") as handle:
        users = tomllib.load(handle)["users"]
    for entry in users:
        report.accounts.append((entry["email"], ", ".join(entry["roles"])))
        if accounts.find_user(entry["email"]) is None:
            accounts.create_user(entry["email"], entry["name"], entry["roles"], password)
            report.users_created.append(entry["email"])
    csv_text = (seed_dir / "demo" / "roster.csv").read_text(encoding="utf-8")
    report.roster = roster.import_roster(csv_text, source="demo seed")
    report.cases_built = seed_demo_cases(seed_dir, evidence.directory, evidence.max_bytes, evidence.max_pixels)
    return report

"""Retention rules, read from ``seed_data/retention.toml``: by record type and outcome (and bargaining unit),
the months after which a record is due and what is then done to it, each with its source (a statute, a
contract or a department setting), shown wherever the rule shows."""

from __future__ import annotations

import calendar
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from project.models.policy.sources import DEPARTMENT_SETTING, source_label
from project.services.catalogue import SeedDataError
from project.services.labor import rights_of

if TYPE_CHECKING:
    from project.models import LegalHold

RULES_FILE = Path(__file__).resolve().parents[3] / "seed_data" / "retention.toml"
RECORD_TYPES = ("discipline_record", "case_evidence")
ACTIONS = ("seal", "purge")
ACTION_OF = {"discipline_record": "seal", "case_evidence": "purge"}  # what may be done to each type of record
EVIDENCE_OUTCOMES = ("no_finding_sustained",)  # a closed case none of whose allegations was sustained
SOURCES = ("statute", "contract", "department")
OUTSIDE_ANY_UNIT = "none"


@dataclass(frozen=True)
class RetentionRule:
    code: str
    record_type: str
    outcome: str  # the step code, as the record now stands
    bargaining_unit: str  # "none": outside any unit
    months: int
    action: str
    source: str  # statute | contract | department
    authority: str
    set_by: str
    set_on: date | None
    description: str

    @property
    def source_label(self) -> str:
        """``C.G.S. 5-240(a)``, or a department setting with who set it, saying when a contract figure awaits its
        article."""
        label = source_label(self.authority, self.set_by, self.set_on)
        if self.source == "contract" and label.startswith(DEPARTMENT_SETTING):
            return f"contract period not yet cited: {label}"
        if self.source == "department" and label.startswith(DEPARTMENT_SETTING):
            return f"not yet cited: {label}"
        return label

    def due_on(self, start: date) -> date:
        """The day the rule's period ends: after the imposing of a discipline record, the closing of a case."""
        return months_after(start, self.months)

    def covers_unit(self, unit: str | None) -> bool:
        """Whether an employee of the roster's ``unit`` falls under the rule (any name of the same unit)."""
        text = " ".join((unit or "").split())
        if self.bargaining_unit.casefold() == OUTSIDE_ANY_UNIT:
            return not text
        if not text:
            return False
        if text.casefold() == self.bargaining_unit.casefold():
            return True
        mine, theirs = rights_of(self.bargaining_unit), rights_of(text)
        return mine is not None and mine == theirs


@dataclass(frozen=True, kw_only=True)
class DueUnderRule:
    """What a retention rule makes due on ``due_on``; ``hold`` is the legal hold that keeps it, if any."""

    rule: RetentionRule
    due_on: date
    hold: LegalHold | None

    @property
    def held(self) -> bool:
        return self.hold is not None

    def line_for(self, what: str, action: str) -> str:
        """The run's line: what is due, when, under which rule and its source, and what is done (or kept)."""
        done = "kept: legal hold" if self.hold else action
        return f"{what}: due {self.due_on.isoformat()} under {self.rule.code} ({self.rule.source_label}); {done}"


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when that month is shorter (as the look-backs count)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _rule(path: Path, data: dict[str, Any]) -> RetentionRule:
    code = str(data.get("code", "")).strip()
    where = f"{path}: rule {code or '(no code)'}"
    checks = {
        "record_type": RECORD_TYPES,
        "action": ACTIONS,
        "source": SOURCES,
    }
    for key, allowed in checks.items():
        if data.get(key) not in allowed:
            raise SeedDataError(f"{where}: {key} must be one of {', '.join(allowed)}")
    if data["action"] != ACTION_OF[data["record_type"]]:
        raise SeedDataError(f"{where}: a {data['record_type']} rule's action is {ACTION_OF[data['record_type']]}")
    if data["record_type"] == "case_evidence" and data.get("outcome") not in EVIDENCE_OUTCOMES:
        raise SeedDataError(f"{where}: a case_evidence rule's outcome is one of {', '.join(EVIDENCE_OUTCOMES)}")
    months = data.get("months")
    if not code or not isinstance(months, int) or months <= 0:
        raise SeedDataError(f"{where}: needs a code and months, a whole number above 0")
    authority = str(data.get("authority", "")).strip()
    if data["source"] == "statute" and not authority:
        raise SeedDataError(f"{where}: a statute rule cites its authority")
    set_on = data.get("set_on")
    if set_on is not None and not isinstance(set_on, date):
        raise SeedDataError(f"{where}: set_on must be a date")
    return RetentionRule(
        code=code,
        record_type=data["record_type"],
        outcome=str(data.get("outcome", "")).strip(),
        bargaining_unit=str(data.get("bargaining_unit", "")).strip() or OUTSIDE_ANY_UNIT,
        months=months,
        action=data["action"],
        source=data["source"],
        authority=authority,
        set_by=str(data.get("set_by", "")).strip(),
        set_on=set_on,
        description=str(data.get("description", "")).strip(),
    )


def load_rules(path: Path = RULES_FILE) -> list[RetentionRule]:
    """Every rule of the file; ``SeedDataError`` names the file and the rule that is wrong."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SeedDataError(f"{path}: {exc}") from exc
    rules = [_rule(path, entry) for entry in data.get("rules", [])]
    codes = [rule.code for rule in rules]
    if len(codes) != len(set(codes)):
        raise SeedDataError(f"{path}: two rules share a code")
    return rules


@cache
def retention_rules() -> tuple[RetentionRule, ...]:
    return tuple(load_rules())

"""The grievance filing window (issue 18): after the written notice, each subject of a bargaining unit with a
grievance procedure may file at the first step within the days the unit's procedure gives (from the notice).
A case in discipline may close while a window is open, but the close page says so before the person confirms,
and the close's audit event keeps the open windows (``grievance_filing_open``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from project import clock
from project.models import Case
from project.services import casework
from project.services.audit import Actor
from project.services.grievances.checks import grievance_of
from project.services.labor import labor_action_of, rights_of


@dataclass(frozen=True)
class FilingWindow:
    """One subject's open window to file a grievance: from the notice to ``until``, both days included."""

    employee_number: str
    name: str
    notice_on: date
    until: date
    step: str
    source: str

    @property
    def sentence(self) -> str:
        return f"The grievance filing window for {self.name} is open until {self.until.isoformat()}"

    @property
    def explained(self) -> str:
        days = (self.until - self.notice_on).days
        return (
            f"{self.sentence} ({self.step}: {days} days from the written notice of {self.notice_on.isoformat()}; "
            f"{self.source})."
        )

    def as_detail(self) -> dict[str, Any]:
        return {
            "subject": self.employee_number,
            "name": self.name,
            "notice_on": self.notice_on.isoformat(),
            "until": self.until.isoformat(),
            "step": self.step,
            "source": self.source,
        }


def filing_windows(case: Case, today: date) -> list[FilingWindow]:
    """The subjects who were given the written notice, filed no grievance, belong to a unit with a grievance
    procedure, and are still within its first step's filing days on ``today``."""
    found = []
    for subject in case.subjects:
        action = labor_action_of(subject)
        notice_on = action.notice_issued_on if action is not None else None
        if notice_on is None or grievance_of(subject) is not None:
            continue
        rights = rights_of(subject.employee.bargaining_unit or "")
        if rights is None or rights.grievance is None or not rights.grievance.steps:
            continue
        procedure = rights.grievance
        first = procedure.steps[0]
        until = notice_on + timedelta(days=first.file_within_days)
        if today <= until:
            employee = subject.employee
            found.append(
                FilingWindow(
                    employee.employee_number,
                    employee.display_name,
                    notice_on,
                    until,
                    first.name,
                    procedure.source_label,
                )
            )
    return found


def close_case(case: Case, actor: Actor, reason: str = "") -> None:
    """Close a case in discipline (``casework.close_case``), its audit event keeping any filing window still
    open on the day of the close."""
    windows = filing_windows(case, clock.local_today())
    noted = {"grievance_filing_open": [w.as_detail() for w in windows]} if windows else None
    casework.close_case(case, actor, reason, noted)

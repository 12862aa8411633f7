"""What labor relations enters for one subject's record: the use case's input, its fields named as the form's."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, time


@dataclass(frozen=True)
class LaborRecordInput:
    """What labor relations enters for one subject; the field names are the form's, so an ``InvalidInput``
    names the field to show each message beside. ``imposed_step`` is the code of a step of the discipline
    ladder, or empty.
    ``decided_by_id`` is the appointing authority who decided; ``personnel_office_notified_on`` the day the
    report went to the Commissioner of Administrative Services (RCSA 5-240-4a(d), 5-240-5a(e))."""

    meeting_on: date | None = None
    decision_on: date | None = None
    notice_issued_on: date | None = None
    imposed_step: str = ""
    imposed_suspension_days: int | None = None
    effective_on: date | None = None
    employee_copy_on: date | None = None
    meeting_time: time | None = None
    meeting_place: str = ""
    meeting_attendees: str = ""
    union_rep_name: str = ""
    union_rep_union: str = ""
    union_rep_waived: bool = False
    employee_response: str = ""
    documents_given: str = ""
    decided_by_id: int | None = None
    departure_reason: str = ""
    immediate_dismissal: bool = False
    immediate_dismissal_reason: str = ""
    personnel_office_notified_on: date | None = None

    def dates(self) -> dict[str, date | None]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name.endswith("_on")}

"""The dashboard's window figures, stored by the local day the cases were received (issue 19, item 2): for
each day, how many cases received that day allege each clause, have each finding at each facility, and name
each employee as a subject. A window of months is then a sum of these rows, not a read of every case received
in it and of each one's allegations and subjects. The rows are written by the commit that changes what they
count (``services.dashboard.received_days``), and all again when the department's time zone changes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from project.extensions import Model

NO_FACILITY = ""  # a finding's row for the cases with no facility recorded (a facility is never blank)


class ReceivedDayCount(Model):
    """``cases`` received on local ``day`` that are counted under (``kind``, ``item_id``, ``facility``): a clause
    alleged (the clause's id), a finding recorded (the finding's id, at the case's facility) or an employee named
    as a subject (the employee's id). A case counts once under each, however many allegations or subjects say
    so: the figures count cases, the unit the case list shows."""

    __tablename__ = "received_day_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # clause, finding or employee
    day: Mapped[date] = mapped_column(Date)
    item_id: Mapped[int]
    facility: Mapped[str] = mapped_column(String(120), default=NO_FACILITY)  # findings only
    cases: Mapped[int]

    __table_args__ = (
        UniqueConstraint("kind", "day", "item_id", "facility"),
        # a window's sum, read from this index alone
        Index("ix_received_day_counts_window", "kind", "day", "item_id", "facility", "cases"),
    )

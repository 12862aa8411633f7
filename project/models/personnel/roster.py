"""The employee roster: the people cases are about. Separate from user accounts on purpose."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from project import clock
from project.database import UTCDateTime
from project.extensions import Model


class EmployeeStatus(enum.StrEnum):
    ACTIVE = "active"
    LEAVE = "leave"
    SUSPENDED = "suspended"
    SEPARATED = "separated"


STATUS_VALUES = ", ".join(f"'{status.value}'" for status in EmployeeStatus)


class Employee(Model):
    __tablename__ = "employees"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_number: Mapped[str] = mapped_column(String(20), unique=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(120))
    facility: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str | None] = mapped_column(String(120))
    bargaining_unit: Mapped[str | None] = mapped_column(String(120))
    hire_date: Mapped[date | None] = mapped_column(Date)
    # when the employee acknowledged AD 2.26 (the roster import's optional column): notice of the rule
    ad_2_26_acknowledged_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=EmployeeStatus.ACTIVE.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now(), onupdate=lambda: clock.now())

    __table_args__ = (CheckConstraint(f"status IN ({STATUS_VALUES})", name="known_status"),)

    @property
    def display_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"

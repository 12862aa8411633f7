"""The people of a case besides its subjects: witnesses, the complainant, victims, inmates named or shown,
other employees and others named in the evidence, besides the reporter the case itself records. An employee is
linked from the roster by employee number; anyone else is kept with a name and contact. Their identity must not
go out: their identifiers are masked wherever a release copy or a page shown to someone who may not see the
reporter would show them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.database import UTCDateTime
from project.extensions import Model
from project.models.personnel.people import User
from project.models.personnel.roster import Employee


class ProtectedRole(enum.StrEnum):
    REPORTER = "reporter"  # more of the reporter's identifiers than the case's two fields hold
    WITNESS = "witness"
    COMPLAINANT = "complainant"
    VICTIM = "victim"
    INMATE = "inmate"
    EMPLOYEE = "employee"  # an employee other than the subject
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"employee": "Other employee (not a subject)", "inmate": "Inmate (named or shown)"}.get(
            self.value, self.value.capitalize()
        )


class ProtectedPerson(Model):
    """One protected person of a case, with who listed them and when; a removal is kept as who and when, so
    the list a release was masked against can be told afterwards."""

    __tablename__ = "protected_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    # an employee from the roster (by employee number); the name is then the roster's, kept as it was listed
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    inmate_number: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(500))
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    employee: Mapped[Employee | None] = relationship()
    added_by: Mapped[User] = relationship(foreign_keys=[added_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])

    __table_args__ = (
        CheckConstraint("role IN (" + ", ".join(f"'{r.value}'" for r in ProtectedRole) + ")", name="known_role"),
    )

    @property
    def role_label(self) -> str:
        return ProtectedRole(self.role).label

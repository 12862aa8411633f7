"""Where a rule of the discipline settings comes from: a statute or regulation, or the department.

Every ladder step, look-back, matrix row, deadline rule and holiday carries these three columns. ``authority``
is the citation ("C.G.S. 5-240(a)", "RCSA 5-240-8a(b)"); empty means the rule is a *department setting*,
and then ``set_by`` (who decided it: an office or a person) and ``set_on`` (when) say whose it is. Pages,
letters and packets show ``source_label`` wherever the rule shows, so nobody mistakes a setting for law.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

DEPARTMENT_SETTING = "department setting"


def source_label(authority: str | None, set_by: str | None, set_on: date | None) -> str:
    """``C.G.S. 5-240(a)``, or ``department setting (Labor Relations, 2026-11-30)``."""
    if authority and authority.strip():
        return authority.strip()
    who = ", ".join(part for part in ((set_by or "").strip(), set_on.isoformat() if set_on else "") if part)
    return f"{DEPARTMENT_SETTING} ({who})" if who else f"{DEPARTMENT_SETTING} (not yet confirmed by anyone)"


class Sourced:
    """Mixin for a model whose rows are rules: the citation, or who set the department setting and when."""

    @declared_attr
    def authority(cls) -> Mapped[str]:
        return mapped_column(String(200), default="", server_default="")

    @declared_attr
    def set_by(cls) -> Mapped[str]:
        return mapped_column(String(200), default="", server_default="")

    @declared_attr
    def set_on(cls) -> Mapped[date | None]:
        return mapped_column(Date)

    @property
    def is_department_setting(self) -> bool:
        return not (self.authority or "").strip()

    @property
    def source_label(self) -> str:
        return source_label(self.authority, self.set_by, self.set_on)

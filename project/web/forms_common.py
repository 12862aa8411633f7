"""Form pieces shared by the blueprints: local date-times, yes/no/unknown facts, row versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, HiddenField, SelectField

from project import clock

TRI_STATE = [("", "Unknown"), ("yes", "Yes"), ("no", "No")]


def tri_state(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def tri_state_value(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class LocalDateTimeField(DateTimeLocalField):
    """A date and time typed in the department's zone, handed to the services as an aware UTC datetime."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(*args, **kwargs)

    def as_utc(self) -> datetime | None:
        if self.data is None:
            return None
        return self.data.replace(tzinfo=clock.zone()).astimezone(clock.now().tzinfo)

    def set_from_utc(self, value: datetime | None) -> None:
        self.data = value.astimezone(clock.zone()).replace(tzinfo=None, second=0, microsecond=0) if value else None


def TriStateField(label: str, **kwargs: Any) -> SelectField:
    return SelectField(label, choices=TRI_STATE, default="", **kwargs)


class VersionField(HiddenField):
    """The row version the form was rendered from; the service refuses a save based on an older one."""

    def as_int(self) -> int | None:
        try:
            return int(self.data) if self.data not in (None, "") else None
        except (TypeError, ValueError):
            return None


def apply_errors(form: Any, errors: dict[str, str]) -> None:
    """Put a service's field errors next to the form's fields (or on the form when it has no such field)."""
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [message]
        else:
            form.form_errors.append(message)


def show_refusal(form: Any, error: Exception) -> None:
    """A service's refusal on the form: field errors by their fields, anything else above the form."""
    errors = getattr(error, "errors", None)
    if isinstance(errors, dict):
        apply_errors(form, errors)
    else:
        form.form_errors.append(str(error))


class Form(FlaskForm):
    """The base of every form here: its CSRF field renders without an id, so a page holding several forms
    (the case page's notes and subjects, a form per user) repeats no element id."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.meta.csrf:
            self[self.meta.csrf_field_name].render_kw = {"id": False}

"""Form pieces shared by the blueprints: local date-times, yes/no/unknown facts, row versions, form tokens,
and the cleaning every typed value goes through before it reaches a service or the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, HiddenField, SelectField, StringField
from wtforms.utils import unset_value

from project import clock
from project.services import submissions
from project.services.errors import CaseworkError
from project.web.bounds import MAX_ID

MIN_YEAR, MAX_YEAR = 1900, 2200  # dates typed or linked outside these are mistakes (and overflow date arithmetic)

TRI_STATE = [("", "Unknown"), ("yes", "Yes"), ("no", "No")]


def clean_text(value: str, limit: int) -> str:
    """A typed value as the services and the database may take it: no NUL or other control characters but
    line breaks and tabs (PostgreSQL refuses NUL in text), cut to ``limit`` characters."""
    return "".join(ch for ch in value[:limit] if ch >= " " or ch in "\n\r\t")


def clean_id(value: str | None) -> int | None:
    """A record id typed or linked: a positive number a column can hold, or None."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def coerce_id(value: Any) -> int:
    """A select's record id: a number a column can hold, else ValueError (the field's "not a valid choice")."""
    number = value if isinstance(value, int) else clean_id(str(value))
    if number is None or not 0 < number <= MAX_ID:
        raise ValueError("not a record id")
    return number


def clean_year(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) == 4 and MIN_YEAR <= int(value) <= MAX_YEAR else None


def _reading(moment: datetime) -> str:
    local = moment.astimezone(clock.zone())
    return f"{local:%H:%M} {local.tzname()} ({moment:%H:%M} UTC)"


def tri_state(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def tri_state_value(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class LocalDateTimeField(DateTimeLocalField):
    """A date and time typed in the department's zone, handed to the services as an aware UTC datetime.

    A wall time the local clocks skipped (spring forward) or showed twice (fall back) has two readings: it is
    refused with both shown (``readings``, offered as a choice under the field), and taken once the person
    has chosen one (the form value ``<name>-reading``: 0 for the first, 1 for the second)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(*args, **kwargs)
        self.readings: list[tuple[str, str]] = []
        self.chosen: datetime | None = None
        self.reading_choice = ""

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            self.reading_choice = str(formdata.get(f"{self.name}-reading", ""))[:1]

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        if self.data is None or validation_stopped:
            return
        if not MIN_YEAR <= self.data.year <= MAX_YEAR:
            self.errors.append(f"Give a year between {MIN_YEAR} and {MAX_YEAR}.")
            return
        moments = clock.readings(self.data)
        if len(moments) == 1:
            return
        if self.reading_choice in ("0", "1"):
            self.chosen = moments[int(self.reading_choice)]
            return
        self.readings = [(str(i), _reading(moment)) for i, moment in enumerate(moments)]
        shown = " or ".join(label for _, label in self.readings)
        when = f"{self.data:%Y-%m-%d %H:%M}"
        if clock.exists_locally(self.data):
            why = "happened twice that night (the clocks went back an hour)"
        else:
            why = "never showed on a clock here (the clocks went forward an hour)"
        self.errors.append(f"{when} {why}: it means {shown}. Choose which one you meant.")

    def as_utc(self) -> datetime | None:
        if self.data is None:
            return None
        if self.chosen is not None:
            return self.chosen
        return self.data.replace(tzinfo=clock.zone()).astimezone(clock.now().tzinfo)

    def set_from_utc(self, value: datetime | None) -> None:
        self.data = value.astimezone(clock.zone()).replace(tzinfo=None, second=0, microsecond=0) if value else None


def TriStateField(label: str, **kwargs: Any) -> SelectField:
    return SelectField(label, choices=TRI_STATE, default="", **kwargs)


class MissingVersion(CaseworkError):
    """An edit arrived without the version of the record it was made on, so it cannot be checked against a
    newer save: it is refused rather than applied over whatever is there now."""

    def __init__(self) -> None:
        super().__init__(
            "This form did not say which version of the record you edited, so it was not saved (it could "
            "overwrite a newer change). Reload the page and make your change again."
        )


class VersionField(HiddenField):
    """The row version the form was rendered from; the service refuses a save based on an older one."""

    def as_int(self) -> int | None:
        value = clean_text(self.data or "", 20)
        return int(value) if value.isdigit() and len(value) <= 18 else None

    def expected(self, editing: bool = True) -> int | None:
        """The version an edit of an existing record was made on, required (``MissingVersion`` if absent);
        when the form creates the record (``editing`` false) there is none to give."""
        version = self.as_int()
        if editing and version is None:
            raise MissingVersion()
        return version


class FormTokenField(HiddenField):
    """A token fresh for each rendering of a form that adds a record: the same submit, retried, lands once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", submissions.new_form_token)
        super().__init__(*args, **kwargs)

    def token(self) -> str | None:
        return submissions.clean_token(self.data)


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


def _without_controls(value: Any) -> Any:
    return clean_text(value, len(value)) if isinstance(value, str) else value


class Form(FlaskForm):
    """The base of every form here: its CSRF field renders without an id, so a page holding several forms
    (the case page's notes and subjects, a form per user) repeats no element id; and every text it receives
    loses NUL and other control characters (``clean_text``) before a validator, a service or the database
    sees it: the sign-in form, the notes and every filter alike."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            if issubclass(unbound_field.field_class, StringField):
                filters = (*unbound_field.kwargs.get("filters", ()), _without_controls)
                return unbound_field.bind(form=form, filters=filters, **options)
            return unbound_field.bind(form=form, **options)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.meta.csrf:
            self[self.meta.csrf_field_name].render_kw = {"id": False}

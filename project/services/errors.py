"""The ways a use case refuses, each with a message meant for the person who asked."""

from __future__ import annotations


class CaseworkError(ValueError):
    """A rule of the case work refused the change; ``str()`` is the message for the person."""


class InvalidInput(CaseworkError):
    """Input that breaks a rule, by field name, so a form can show each message next to its field."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()))


class StaleEdit(CaseworkError):
    """Someone else saved this record after the person opened it; nothing was overwritten."""

    def __init__(self, what: str = "this record") -> None:
        super().__init__(
            f"Someone else changed {what} after you opened it. Nothing was saved: reload the page to see "
            "their change, then make yours again."
        )


def check_version(current: int, expected: int | None, what: str) -> None:
    if expected is not None and current != expected:
        raise StaleEdit(what)

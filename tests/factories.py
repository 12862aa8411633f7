"""Builders for test records, going through the same services the app uses."""
from __future__ import annotations

from project.models import User
from project.services import accounts

PASSWORD = "correct horse battery"


class Users:
    """``users.make("supervisor")`` creates ``supervisor@example.test`` with that role."""

    def __init__(self) -> None:
        self.count = 0

    def make(self, *roles: str, email: str | None = None, name: str | None = None) -> User:
        self.count += 1
        roles = roles or ("investigator",)
        email = email or f"{roles[0]}{self.count}@example.test"
        return accounts.create_user(email, name or f"Test {roles[0]} {self.count}", roles, PASSWORD)

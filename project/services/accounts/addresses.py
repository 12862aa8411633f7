"""How an email address is compared: trimmed and lower-cased, everywhere."""

from __future__ import annotations


def normalize_email(email: str) -> str:
    return email.strip().lower()

"""Finding F18 of issue 15: guessable passwords (by zxcvbn's estimate, not only the breached list) and a
guessable production SECRET_KEY are refused."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from sqlalchemy import select

from project.config import ConfigurationError, build_config
from project.extensions import db
from project.models import User
from project.services import accounts
from project.services.accounts import PasswordRejected

PRODUCTION = {"APP_ENV": "production", "DATABASE_URL": "postgresql://db/casefile"}


@pytest.mark.parametrize("password", ["qwertyuiopasdf", "asdfghjkl;'zxcv", "zxcvbnm1234567", "PatDoePatDoe1"])
def test_f18_keyboard_walks_and_guessable_phrases_are_refused(app, password):
    with pytest.raises(PasswordRejected, match="too easy to guess"):
        accounts.create_user("pat.doe@example.test", "Pat Doe", ["investigator"], password)
    assert db.session.scalars(select(User)).all() == []


def test_f18_a_long_unusual_phrase_is_accepted(app):
    assert accounts.create_user("pat@example.test", "Pat", ["investigator"], "violet lantern orbit 1987")


@pytest.mark.parametrize(
    "key", ["a" * 36, "ab" * 20, "abcdefghijklmnopqrstuvwxyz0123456789", "changeme-changeme-changeme-changeme"]
)
def test_f18_production_refuses_a_guessable_secret_key(tmp_path: Path, key: str):
    with pytest.raises(ConfigurationError, match="SECRET_KEY is too easy to guess"):
        build_config(str(tmp_path), PRODUCTION | {"SECRET_KEY": key})


@pytest.mark.parametrize(
    "key",
    [secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)],
    ids=["hex", "urlsafe", "urlsafe-48"],
)
def test_f18_production_accepts_a_generated_secret_key(tmp_path: Path, key: str):
    assert build_config(str(tmp_path), PRODUCTION | {"SECRET_KEY": key})["SECRET_KEY"] == key

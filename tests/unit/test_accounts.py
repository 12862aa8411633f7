"""Accounts: creation rules, password hashing, roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, Role, User
from project.services import accounts
from project.services.accounts import PasswordRejected, verify_password


def test_create_user_hashes_with_argon2id_and_records_roles(app):
    """ASVS 2.4.1: passwords stored as argon2id hashes."""
    user = accounts.create_user(" Pat@Example.TEST ", "Pat Doe", ["supervisor", "labor_relations"], "a long passphrase")
    assert user.email == "pat@example.test"
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "a long passphrase")
    assert not verify_password(user.password_hash, "a long passphrasE")
    assert user.role_set == {Role.SUPERVISOR, Role.LABOR_RELATIONS}
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.detail["roles"]) == ("user.created", ["labor_relations", "supervisor"])


@pytest.mark.parametrize(
    "email,roles,password,message",
    [
        ("pat@example.test", ["investigator"], "elevenchars", "at least 12 characters"),
        ("not-an-email", ["investigator"], "a long passphrase", "is not an email address"),
        ("pat@example.test", ["sheriff"], "a long passphrase", "Unknown role 'sheriff'"),
        ("pat@example.test", [], "a long passphrase", "at least one role"),
    ],
)
def test_bad_accounts_are_refused_and_nothing_is_saved(app, email, roles, password, message):
    """ASVS 2.1.1: at least 12 characters."""
    with pytest.raises((accounts.AccountError, PasswordRejected), match=message):
        accounts.create_user(email, "Pat Doe", roles, password)
    assert db.session.scalars(select(User)).all() == []


def test_a_taken_email_is_refused_whatever_its_case(app):
    accounts.create_user("pat@example.test", "Pat", ["admin"], "a long passphrase")
    with pytest.raises(accounts.AccountError, match="already exists"):
        accounts.create_user("PAT@example.test", "Pat Two", ["admin"], "a long passphrase")


@pytest.mark.parametrize("password", ["qwerty123456", "1qaz2wsx3edc", "LeaveMeAlone", "aaaaaaaaaaaaaa"])
def test_common_or_trivial_passwords_are_refused(app, password):
    """ASVS 2.1.7: passwords found in a list of breached passwords are refused."""
    with pytest.raises(PasswordRejected, match="too common or too simple"):
        accounts.create_user("pat@example.test", "Pat", ["investigator"], password)
    assert db.session.scalars(select(User)).all() == []

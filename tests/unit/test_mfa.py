"""The TOTP rules themselves, called without a request (OWASP ASVS 4.0.3 2.8.1, 2.8.3, 2.6.2)."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import RecoveryCode
from project.services import accounts
from project.services.accounts import MfaPolicy

POLICY = MfaPolicy(required_roles=frozenset({"supervisor"}), secret_key="k" * 40)
CLIENT = accounts.Client(remote_addr="10.0.0.9")


@pytest.fixture()
def enrolled(users, frozen_clock):
    user = users.make("supervisor")
    secret = accounts.new_secret()
    codes = accounts.confirm_enrolment(user, secret, pyotp.TOTP(secret).at(frozen_clock()), POLICY)
    frozen_clock.advance(seconds=300)  # well past the step used at enrolment
    return user, secret, codes


def test_asvs_2_8_3_secrets_have_160_bits_and_differ_each_time():
    secrets = {accounts.new_secret() for _ in range(20)}
    assert len(secrets) == 20 and all(len(secret) == 32 for secret in secrets)  # 32 base32 characters


@pytest.mark.parametrize("offset,accepted", [(-60, False), (-30, True), (0, True), (30, True), (60, False)])
def test_asvs_2_8_1_a_code_lives_for_its_step_and_one_step_of_clock_drift_either_side(
    enrolled, frozen_clock, offset, accepted
):
    user, secret, _ = enrolled
    code = pyotp.TOTP(secret).at(frozen_clock().timestamp() + offset)
    if accepted:
        assert accounts.verify_sign_in(user, code, CLIENT, POLICY, accounts.SignInPolicy())
    else:
        with pytest.raises(accounts.SignInFailed):
            accounts.verify_sign_in(user, code, CLIENT, POLICY, accounts.SignInPolicy())


def test_an_older_code_is_refused_once_a_newer_one_was_used(enrolled, frozen_clock):
    user, secret, _ = enrolled
    totp = pyotp.TOTP(secret)
    assert accounts.verify_sign_in(user, totp.at(frozen_clock()), CLIENT, POLICY, accounts.SignInPolicy())
    with pytest.raises(accounts.SignInFailed):
        accounts.verify_sign_in(user, totp.at(frozen_clock().timestamp() - 30), CLIENT, POLICY, accounts.SignInPolicy())


def test_asvs_2_6_2_recovery_codes_are_stored_salted_and_hashed(enrolled):
    _, _, codes = enrolled
    rows = list(db.session.scalars(select(RecoveryCode)))
    assert len({row.salt for row in rows}) == len(rows) == 10
    assert all(
        len(row.code_hash) == 64 and code.replace("-", "") not in row.code_hash for row in rows for code in codes
    )
    assert all(len(code.replace("-", "")) == 15 for code in codes)  # 15 of 31 symbols: about 74 bits

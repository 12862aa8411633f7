"""Finding F1 of issue 15: one authenticator or recovery code opens at most one session, even when several
browsers past the password step post it at the same moment (threads, each on a connection of its own)."""

from __future__ import annotations

import threading

import pyotp
import pytest
from sqlalchemy import func, select

from project.extensions import db
from project.models import UserSession
from project.services import accounts
from tests.factories import PASSWORD

POLICY = accounts.MfaPolicy(required_roles=frozenset(), secret_key="testing-only-secret-key-not-for-use")
BROWSERS = 4


def _enrolled(users, clock) -> tuple[int, str, list[str]]:
    user = users.make("supervisor")
    secret = accounts.new_secret()
    codes = accounts.confirm_enrolment(user, secret, pyotp.TOTP(secret).at(clock()), POLICY)
    clock.advance(seconds=300)  # well past the step used at enrolment
    return user.id, user.email, secret, codes


def _post_at_once(app, email: str, code: str, sign_in, csrf_token_from) -> list[int]:
    """Four browsers pass the password step one after another, then post ``code`` together."""
    clients, tokens = [], []
    for _ in range(BROWSERS):
        client = app.test_client()
        assert sign_in(client, email, PASSWORD).headers["Location"] == "/auth/sign-in/code"
        tokens.append(csrf_token_from(client.get("/auth/sign-in/code").get_data(as_text=True)))
        clients.append(client)
    barrier = threading.Barrier(BROWSERS)
    statuses: list[int] = []

    def post(client, token: str) -> None:
        barrier.wait()
        statuses.append(client.post("/auth/sign-in/code", data={"code": code, "csrf_token": token}).status_code)

    threads = [threading.Thread(target=post, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _sessions(user_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(UserSession).where(UserSession.user_id == user_id))


@pytest.fixture()
def generous(app):
    """Lockout and rate limits out of the way: the test is about the code, not the guess budget."""
    app.config.update(SIGN_IN_MAX_FAILURES=50, SIGN_IN_RATE_PER_ACCOUNT=100, SIGN_IN_RATE_PER_ADDRESS=100)
    return app


@pytest.mark.commits  # threads, each on a connection of its own
def test_f1_one_app_code_posted_by_four_browsers_at_once_opens_one_session(
    generous, users, frozen_clock, sign_in, csrf_token_from
):
    user_id, email, secret, _ = _enrolled(users, frozen_clock)
    statuses = _post_at_once(generous, email, pyotp.TOTP(secret).at(frozen_clock()), sign_in, csrf_token_from)
    assert sorted(statuses) == [302] + [400] * (BROWSERS - 1)
    assert _sessions(user_id) == 1


@pytest.mark.commits  # threads, each on a connection of its own
def test_f1_one_recovery_code_posted_by_four_browsers_at_once_opens_one_session(
    generous, users, frozen_clock, sign_in, csrf_token_from
):
    user_id, email, _, codes = _enrolled(users, frozen_clock)
    statuses = _post_at_once(generous, email, codes[0], sign_in, csrf_token_from)
    assert sorted(statuses) == [302] + [400] * (BROWSERS - 1)
    assert _sessions(user_id) == 1

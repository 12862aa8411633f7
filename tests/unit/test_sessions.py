"""Signing in and out through the service, without a request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, UserSession
from project.services import accounts
from tests.factories import PASSWORD

POLICY = accounts.SignInPolicy()
CLIENT = accounts.Client(remote_addr="10.0.0.7", user_agent="pytest")


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_sign_in_opens_a_server_session_and_audits_it(users):
    """ASVS 3.2.2, 3.2.3, 7.1.3: a random token, only its hash stored; sign-in audited."""
    user = users.make("investigator")
    signed_in, token = accounts.sign_in(user.email.upper(), PASSWORD, CLIENT, POLICY)
    assert signed_in.id == user.id
    row = db.session.scalars(select(UserSession)).one()
    assert row.user_id == user.id and row.ended_at is None and row.remote_addr == "10.0.0.7"
    assert token not in row.token_hash, "the token itself must not be stored"
    assert accounts.resolve_session(token, str(user.id), POLICY).id == user.id
    assert audit_actions()[-1] == "auth.sign_in"


@pytest.mark.parametrize("email,password", [("nobody@example.test", PASSWORD), (None, "wrong password!!")])
def test_every_failure_gives_the_same_message(users, email, password):
    """ASVS 7.1.1: failures say nothing of the account."""
    user = users.make("investigator")
    with pytest.raises(accounts.SignInFailed) as failure:
        accounts.sign_in(email or user.email, password, CLIENT, POLICY)
    assert str(failure.value) == accounts.failure_message(POLICY)
    assert "After 5 failed attempts an account is locked for 10 minutes." in str(failure.value)
    assert audit_actions()[-1] == "auth.sign_in_failed"


def test_five_failures_lock_the_account_for_ten_minutes(users, frozen_clock):
    """ASVS 2.2.1: anti-automation by lockout."""
    user = users.make("investigator")
    for _ in range(5):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(user.email, "not the password", CLIENT, POLICY)
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(user.email, PASSWORD, CLIENT, POLICY)  # right password, still locked
    frozen_clock.advance(minutes=9, seconds=59)
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(user.email, PASSWORD, CLIENT, POLICY)
    frozen_clock.advance(seconds=2)
    signed_in, _ = accounts.sign_in(user.email, PASSWORD, CLIENT, POLICY)
    assert signed_in.id == user.id and signed_in.failed_sign_ins == 0


def test_four_failures_then_success_resets_the_count(users):
    """ASVS 2.2.1."""
    user = users.make("investigator")
    for _ in range(4):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(user.email, "not the password", CLIENT, POLICY)
    accounts.sign_in(user.email, PASSWORD, CLIENT, POLICY)
    for _ in range(4):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(user.email, "not the password", CLIENT, POLICY)
    assert accounts.sign_in(user.email, PASSWORD, CLIENT, POLICY)[0].locked_until is None


def test_session_expires_after_thirty_idle_minutes(users, frozen_clock):
    """ASVS 3.3.2: idle timeout."""
    user = users.make("supervisor")
    _, token = accounts.sign_in(user.email, PASSWORD, CLIENT, POLICY)
    frozen_clock.advance(minutes=29)
    assert accounts.resolve_session(token, str(user.id), POLICY) is not None  # use refreshes the clock
    frozen_clock.advance(minutes=29)
    assert accounts.resolve_session(token, str(user.id), POLICY) is not None
    frozen_clock.advance(minutes=30, seconds=1)
    assert accounts.resolve_session(token, str(user.id), POLICY) is None
    row = db.session.scalars(select(UserSession)).one()
    assert row.end_reason == "idle_timeout"
    frozen_clock.advance(seconds=1)
    assert accounts.resolve_session(token, str(user.id), POLICY) is None, "an ended session stays ended"


def test_sign_out_revokes_the_token(users):
    """ASVS 3.3.1: sign-out revokes the session."""
    user = users.make("investigator")
    _, token = accounts.sign_in(user.email, PASSWORD, CLIENT, POLICY)
    accounts.sign_out(token, user, CLIENT)
    assert accounts.resolve_session(token, str(user.id), POLICY) is None
    assert audit_actions()[-1] == "auth.sign_out"


def test_a_token_does_not_work_for_another_user(users):
    """ASVS 3.2.x: a session token binds to one account."""
    first, second = users.make("investigator"), users.make("admin")
    _, token = accounts.sign_in(first.email, PASSWORD, CLIENT, POLICY)
    assert accounts.resolve_session(token, str(second.id), POLICY) is None


def test_disabling_a_user_ends_their_sessions_and_refuses_sign_in(users):
    """ASVS 3.3.4."""
    user = users.make("labor_relations")
    _, token_a = accounts.sign_in(user.email, PASSWORD, CLIENT, POLICY)
    _, token_b = accounts.sign_in(user.email, PASSWORD, CLIENT, POLICY)
    accounts.disable_user(user.email)
    assert accounts.resolve_session(token_a, str(user.id), POLICY) is None
    assert accounts.resolve_session(token_b, str(user.id), POLICY) is None
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(user.email, PASSWORD, CLIENT, POLICY)
    ended = db.session.scalars(select(UserSession.end_reason)).all()
    assert ended == ["account_disabled", "account_disabled"]
    assert "user.disabled" in audit_actions()


@pytest.mark.commits  # threads, each on a connection of its own
def test_parallel_guesses_get_no_more_than_five_password_checks(app, users):
    """ASVS 2.2.1: anti-automation holds under concurrency, not only for guesses made one by one."""
    import threading

    user = users.make("investigator")
    email = user.email
    results: list[str] = []
    barrier = threading.Barrier(12)

    def guess(password: str) -> None:
        with app.app_context():
            barrier.wait()
            try:
                accounts.sign_in(email, password, CLIENT, POLICY)
                results.append("signed in")
            except accounts.SignInFailed:
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=guess, args=(f"wrong guess {n}",)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["refused"] * 12
    reasons = [
        e.detail["reason"]
        for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed"))
    ]
    assert reasons.count("wrong_password") + reasons.count("wrong_password_locked") <= 5
    assert reasons.count("locked") >= 7
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(email, PASSWORD, CLIENT, POLICY)


def test_f12_a_session_back_dated_by_three_days_is_refused_though_used_a_minute_ago(users, frozen_clock):
    """Issue 15, F12: sessions have an absolute lifetime (12 hours by default), however busy they are."""
    user = users.make("investigator")
    _, token = accounts.sign_in(user.email, PASSWORD, CLIENT, POLICY)
    row = db.session.scalars(select(UserSession)).one()
    row.created_at = frozen_clock() - timedelta(days=3)
    db.session.commit()
    assert accounts.resolve_session(token, str(user.id), POLICY) is None
    assert db.session.scalars(select(UserSession.end_reason)).one() == "absolute_lifetime"


def test_f12_a_busy_session_ends_twelve_hours_after_sign_in(users, frozen_clock):
    user = users.make("investigator")
    _, token = accounts.sign_in(user.email, PASSWORD, CLIENT, POLICY)
    assert POLICY.absolute_lifetime == timedelta(hours=12)
    for _ in range(24):  # used every 29 minutes, never idle: 11 hours 36 minutes
        frozen_clock.advance(minutes=29)
        assert accounts.resolve_session(token, str(user.id), POLICY) is not None
    frozen_clock.advance(minutes=29)  # 12 hours 5 minutes after sign-in
    assert accounts.resolve_session(token, str(user.id), POLICY) is None
    assert db.session.scalars(select(UserSession.end_reason)).one() == "absolute_lifetime"

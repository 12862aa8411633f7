"""Multi-factor sign-in through the pages (OWASP ASVS 4.0.3 V2.2, V2.6, V2.8).

The clock is frozen so the codes a test computes are the ones the server expects; it moves by whole
30-second steps when a test needs a fresh code.
"""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, RecoveryCode, User, UserSession
from tests.factories import PASSWORD

REQUIRED = frozenset({"admin", "supervisor", "labor_relations"})
KEY = re.compile(r'<code class="secret-key">([A-Z2-7 ]+)</code>')
RECOVERY = re.compile(r"<li><code>([a-z2-9-]{17})</code></li>")


@pytest.fixture()
def mfa_on(app):
    app.config["MFA_REQUIRED_ROLES"] = REQUIRED
    return app


def code_now(secret: str, clock) -> str:
    return pyotp.TOTP(secret).at(clock())


@pytest.fixture()
def post_code(post_form):
    """``post_code(client, path, code)``: the code typed into the form at ``path``."""
    return lambda client, path, code: post_form(client, path, {"code": code})


@pytest.fixture()
def enrol_at_sign_in(sign_in, post_code):
    def enrol_at_sign_in(client, user: User, clock) -> tuple[str, list[str]]:
        """Password, then the set-up page; return the secret the page shows and the recovery codes."""
        assert sign_in(client, user.email, PASSWORD).headers["Location"] == "/auth/mfa/set-up"
        page = client.get("/auth/mfa/set-up").get_data(as_text=True)
        secret = KEY.search(page).group(1).replace(" ", "")
        done = post_code(client, "/auth/mfa/set-up", code_now(secret, clock))
        assert done.status_code == 200
        return secret, RECOVERY.findall(done.get_data(as_text=True))

    return enrol_at_sign_in


def actions(user: User) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_id == str(user.id)).order_by(AuditEvent.id)
        )
    )


def open_sessions(user: User) -> int:
    return len(
        list(
            db.session.scalars(
                select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
            )
        )
    )


def test_asvs_2_2_3_a_supervisor_sets_up_an_app_before_any_session_opens(
    mfa_on, client, users, frozen_clock, sign_in, post_code
):
    supervisor = users.make("supervisor")
    assert sign_in(client, supervisor.email, PASSWORD).headers["Location"] == "/auth/mfa/set-up"
    assert client.get("/cases/").status_code == 302  # the password alone opens nothing...
    assert client.get("/auth/mfa/set-up").headers["Location"] == "/auth/sign-in"  # ...and leaving ends the step
    assert open_sessions(supervisor) == 0
    sign_in(client, supervisor.email, PASSWORD)
    page = client.get("/auth/mfa/set-up").get_data(as_text=True)
    assert "<svg" in page and "<path" in page  # the QR code is drawn by the app, inline
    secret = KEY.search(page).group(1).replace(" ", "")

    wrong = post_code(client, "/auth/mfa/set-up", "000000" if code_now(secret, frozen_clock) != "000000" else "111111")
    assert wrong.status_code == 400 and "not the one the app shows" in wrong.get_data(as_text=True)
    done = post_code(client, "/auth/mfa/set-up", code_now(secret, frozen_clock))
    codes = RECOVERY.findall(done.get_data(as_text=True))

    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/cases/").status_code == 200
    db.session.expire_all()
    stored = db.session.get(User, supervisor.id)
    assert stored.mfa_enabled_at is not None and secret not in (stored.mfa_secret or "")  # sealed, not plain
    hashes = [row.code_hash for row in db.session.scalars(select(RecoveryCode))]
    assert len(hashes) == 10 and not any(code.replace("-", "") in h for h in hashes for code in codes)
    assert actions(supervisor)[-2:] == ["mfa.enrolled", "auth.sign_in"]


def test_asvs_2_8_1_the_code_is_asked_at_every_sign_in_and_opens_the_session(
    mfa_on, app, users, frozen_clock, sign_in, post_code, enrol_at_sign_in
):
    supervisor = users.make("supervisor")
    secret, _ = enrol_at_sign_in(app.test_client(), supervisor, frozen_clock)
    frozen_clock.advance(seconds=30)
    client = app.test_client()
    assert sign_in(client, supervisor.email, PASSWORD).headers["Location"] == "/auth/sign-in/code"
    assert open_sessions(supervisor) == 1  # only the one opened at enrolment
    response = post_code(client, "/auth/sign-in/code", code_now(secret, frozen_clock))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/cases/").status_code == 200
    assert client.get("/auth/sign-in/code").headers["Location"] == "/"  # a stray link does not sign anyone out
    assert client.get("/cases/").status_code == 200


def test_asvs_2_8_4_2_8_5_a_code_works_once_and_a_replay_is_refused_and_logged(
    mfa_on, app, users, frozen_clock, sign_in, post_code, enrol_at_sign_in
):
    supervisor = users.make("supervisor")
    secret, _ = enrol_at_sign_in(app.test_client(), supervisor, frozen_clock)
    frozen_clock.advance(seconds=30)
    code = code_now(secret, frozen_clock)
    first = app.test_client()
    sign_in(first, supervisor.email, PASSWORD)
    assert post_code(first, "/auth/sign-in/code", code).status_code == 302

    second = app.test_client()  # someone who saw the code over the shoulder, within the same 30 seconds
    sign_in(second, supervisor.email, PASSWORD)
    replay = post_code(second, "/auth/sign-in/code", code)
    assert replay.status_code == 400 and "did not work" in replay.get_data(as_text=True)
    assert second.get("/cases/").status_code == 302
    assert "mfa.code_reused" in actions(supervisor)


def test_asvs_2_6_1_a_recovery_code_signs_in_once(
    mfa_on, app, users, frozen_clock, sign_in, post_code, enrol_at_sign_in
):
    supervisor = users.make("labor_relations")
    _, codes = enrol_at_sign_in(app.test_client(), supervisor, frozen_clock)
    client = app.test_client()
    sign_in(client, supervisor.email, PASSWORD)
    assert post_code(client, "/auth/sign-in/code", codes[3].upper()).status_code == 302  # case does not matter
    again = app.test_client()
    sign_in(again, supervisor.email, PASSWORD)
    assert post_code(again, "/auth/sign-in/code", codes[3]).status_code == 400
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mfa.recovery_code_used")).one()
    assert event.detail["codes_left"] == 9


def test_asvs_2_2_1_wrong_codes_lock_the_account_and_a_right_password_does_not_reset_the_count(
    mfa_on, app, users, frozen_clock, sign_in, post_code, enrol_at_sign_in
):
    supervisor = users.make("supervisor")
    secret, _ = enrol_at_sign_in(app.test_client(), supervisor, frozen_clock)
    frozen_clock.advance(seconds=30)
    wrong = "000000" if code_now(secret, frozen_clock) != "000000" else "111111"
    client = app.test_client()
    for wrong_codes in (2, 3):  # 2 wrong codes, a fresh password step, 3 more wrong codes: 5 in all
        sign_in(client, supervisor.email, PASSWORD)
        for _ in range(wrong_codes):
            assert post_code(client, "/auth/sign-in/code", wrong).status_code == 400
    assert sign_in(client, supervisor.email, PASSWORD).status_code == 200  # locked: the password is refused
    db.session.expire_all()
    assert db.session.get(User, supervisor.id).locked_until is not None
    assert open_sessions(supervisor) == 1  # only the one opened at enrolment


def test_the_code_step_expires(mfa_on, app, users, frozen_clock, sign_in, csrf_token_from, enrol_at_sign_in):
    supervisor = users.make("supervisor")
    secret, _ = enrol_at_sign_in(app.test_client(), supervisor, frozen_clock)
    client = app.test_client()
    sign_in(client, supervisor.email, PASSWORD)
    token = csrf_token_from(client.get("/auth/sign-in/code").get_data(as_text=True))
    frozen_clock.advance(seconds=app.config["MFA_PENDING_SECONDS"] + 30)
    response = client.post("/auth/sign-in/code", data={"code": code_now(secret, frozen_clock), "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/sign-in"
    assert open_sessions(supervisor) == 1  # only the one from enrolment


def test_an_investigator_may_opt_in_and_out(mfa_on, app, users, frozen_clock, sign_in, csrf_token_from, post_code):
    investigator = users.make("investigator")
    client = app.test_client()
    assert sign_in(client, investigator.email, PASSWORD).headers["Location"] == "/"  # not required
    page = client.get("/auth/mfa/set-up").get_data(as_text=True)
    secret = KEY.search(page).group(1).replace(" ", "")
    assert (
        len(
            RECOVERY.findall(
                post_code(client, "/auth/mfa/set-up", code_now(secret, frozen_clock)).get_data(as_text=True)
            )
        )
        == 10
    )

    later = app.test_client()
    assert sign_in(later, investigator.email, PASSWORD).headers["Location"] == "/auth/sign-in/code"
    token = csrf_token_from(client.get("/auth/mfa").get_data(as_text=True))
    refused = client.post("/auth/mfa/turn-off", data={"password": "not it at all", "csrf_token": token})
    assert refused.status_code == 400 and "password is not right" in refused.get_data(as_text=True)
    assert client.post("/auth/mfa/turn-off", data={"password": PASSWORD, "csrf_token": token}).status_code == 302
    assert sign_in(app.test_client(), investigator.email, PASSWORD).headers["Location"] == "/"
    assert "mfa.turn_off_refused" in actions(investigator) and "mfa.turned_off" in actions(investigator)


def test_a_required_role_cannot_turn_it_off(mfa_on, client, users, frozen_clock, csrf_token_from, enrol_at_sign_in):
    supervisor = users.make("supervisor")
    enrol_at_sign_in(client, supervisor, frozen_clock)
    token = csrf_token_from(client.get("/auth/mfa").get_data(as_text=True))
    response = client.post("/auth/mfa/turn-off", data={"password": PASSWORD, "csrf_token": token})
    assert response.status_code == 400 and "requires multi-factor" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, supervisor.id).has_mfa


def test_new_recovery_codes_replace_the_old_ones(
    mfa_on, app, users, frozen_clock, sign_in, csrf_token_from, post_code, enrol_at_sign_in
):
    supervisor = users.make("supervisor")
    client = app.test_client()
    secret, old = enrol_at_sign_in(client, supervisor, frozen_clock)
    frozen_clock.advance(seconds=30)
    page = client.get("/auth/mfa").get_data(as_text=True)
    made = client.post(
        "/auth/mfa/recovery-codes", data={"code": code_now(secret, frozen_clock), "csrf_token": csrf_token_from(page)}
    )
    new = RECOVERY.findall(made.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    other = app.test_client()
    sign_in(other, supervisor.email, PASSWORD)
    assert post_code(other, "/auth/sign-in/code", old[0]).status_code == 400
    assert post_code(other, "/auth/sign-in/code", new[0]).status_code == 302


def test_asvs_2_8_6_an_admin_resets_a_lost_app_and_the_sessions_end(
    mfa_on, app, users, frozen_clock, sign_in, csrf_token_from, enrol_at_sign_in
):
    supervisor = users.make("supervisor")
    supervisor_client = app.test_client()
    enrol_at_sign_in(supervisor_client, supervisor, frozen_clock)
    admin = users.make("admin")
    admin_client = app.test_client()
    enrol_at_sign_in(admin_client, admin, frozen_clock)

    page = admin_client.get("/admin/users").get_data(as_text=True)
    response = admin_client.post(f"/admin/users/{supervisor.id}/mfa-reset", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert supervisor_client.get("/cases/").status_code == 302  # signed out at once
    assert sign_in(app.test_client(), supervisor.email, PASSWORD).headers["Location"] == "/auth/mfa/set-up"
    own = admin_client.post(f"/admin/users/{admin.id}/mfa-reset", data={"csrf_token": csrf_token_from(page)})
    assert "another administrator" in admin_client.get(own.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).has_mfa


def test_a_changed_server_key_gives_a_message_not_a_crash(
    mfa_on, app, users, frozen_clock, sign_in, post_code, enrol_at_sign_in
):
    supervisor = users.make("supervisor")
    secret, codes = enrol_at_sign_in(app.test_client(), supervisor, frozen_clock)
    app.config["SECRET_KEY"] = "another-secret-key-of-at-least-32-characters"
    client = app.test_client()
    sign_in(client, supervisor.email, PASSWORD)
    response = post_code(client, "/auth/sign-in/code", code_now(secret, frozen_clock))
    assert response.status_code == 400 and "recovery code" in response.get_data(as_text=True)
    assert post_code(client, "/auth/sign-in/code", codes[0]).status_code == 302

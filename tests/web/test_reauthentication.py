"""Finding F5 of issue 15: once signed in, changing the password or the second factor still needs the current
factor, and wrong attempts count toward the same lockout as at sign-in, each one audited."""

from __future__ import annotations

import pyotp
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, User
from project.services.accounts import verify_password
from tests.factories import PASSWORD

NEW = "violet lantern orbit 1987"


def refusals(user: User, action: str) -> list[str]:
    rows = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == action, AuditEvent.object_id == str(user.id))
        .order_by(AuditEvent.id)  # in the order they happened: without it PostgreSQL may return any order
    )
    return [row.detail["reason"] for row in rows]


def test_f5_five_wrong_current_passwords_lock_the_change_and_each_is_audited(client, users, sign_in, csrf_token_from):
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    token = csrf_token_from(client.get("/auth/password").get_data(as_text=True))

    def change(current: str):
        data = {"csrf_token": token, "current_password": current, "new_password": NEW, "confirm": NEW}
        return client.post("/auth/password", data=data)

    for guess in range(5):
        assert change(f"wrong guess number {guess}").status_code == 400
    locked = change(PASSWORD)
    assert locked.status_code == 400 and "Too many wrong attempts" in locked.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert verify_password(stored.password_hash, PASSWORD) and not verify_password(stored.password_hash, NEW)
    assert stored.locked_until is not None
    assert refusals(user, "user.password_change_refused") == ["wrong"] * 4 + ["wrong_locked", "locked"]


def test_f5_a_right_password_clears_the_count(client, users, sign_in, csrf_token_from):
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    token = csrf_token_from(client.get("/auth/password").get_data(as_text=True))
    for guess in range(4):
        data = {"csrf_token": token, "current_password": f"wrong {guess}!", "new_password": NEW, "confirm": NEW}
        assert client.post("/auth/password", data=data).status_code == 400
    data = {"csrf_token": token, "current_password": PASSWORD, "new_password": NEW, "confirm": NEW}
    assert client.post("/auth/password", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).failed_sign_ins == 0


def _enrolled_and_signed_in(app, client, users, clock, sign_in, post_form, role="investigator"):
    app.config["MFA_REQUIRED_ROLES"] = frozenset({"supervisor"})
    user = users.make(role)
    sign_in(client, user.email, PASSWORD)
    page = client.get("/auth/mfa/set-up").get_data(as_text=True)
    secret = page.split('<code class="secret-key">')[1].split("<")[0].replace(" ", "")
    assert post_form(client, "/auth/mfa/set-up", {"code": pyotp.TOTP(secret).at(clock())}).status_code == 200
    clock.advance(seconds=60)
    return user, secret


def test_f5_wrong_app_codes_lock_new_recovery_codes_and_are_audited(
    app, client, users, frozen_clock, sign_in, post_form, csrf_token_from
):
    user, secret = _enrolled_and_signed_in(app, client, users, frozen_clock, sign_in, post_form)
    token = csrf_token_from(client.get("/auth/mfa").get_data(as_text=True))
    right = pyotp.TOTP(secret).at(frozen_clock())
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert client.post("/auth/mfa/recovery-codes", data={"code": wrong, "csrf_token": token}).status_code == 400
    locked = client.post("/auth/mfa/recovery-codes", data={"code": right, "csrf_token": token})
    assert locked.status_code == 400 and "Too many wrong attempts" in locked.get_data(as_text=True)
    assert refusals(user, "mfa.recovery_codes_refused") == ["wrong"] * 4 + ["wrong_locked", "locked"]


def test_f5_wrong_passwords_lock_turning_the_app_off(
    app, client, users, frozen_clock, sign_in, post_form, csrf_token_from
):
    user, _ = _enrolled_and_signed_in(app, client, users, frozen_clock, sign_in, post_form)
    token = csrf_token_from(client.get("/auth/mfa").get_data(as_text=True))
    for guess in range(5):
        data = {"password": f"wrong guess {guess}", "csrf_token": token}
        assert client.post("/auth/mfa/turn-off", data=data).status_code == 400
    locked = client.post("/auth/mfa/turn-off", data={"password": PASSWORD, "csrf_token": token})
    assert locked.status_code == 400 and "Too many wrong attempts" in locked.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).has_mfa
    assert refusals(user, "mfa.turn_off_refused") == ["wrong"] * 4 + ["wrong_locked", "locked"]

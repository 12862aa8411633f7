"""Finding F11 of issue 15: during enrolment the authenticator secret stays on the server; the session cookie
holds only a random handle to it, and the secret is gone from the server once enrolment ends."""

from __future__ import annotations

import json
import re

import pyotp
from sqlalchemy import func, select

from project.extensions import db
from project.models import PendingEnrolment
from tests.factories import PASSWORD

KEY = re.compile(r'<code class="secret-key">([A-Z2-7 ]+)</code>')


def _cookie_contents(app, client) -> str:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return json.dumps(app.session_interface.get_signing_serializer(app).loads(cookie.value))


def test_f11_the_cookie_never_holds_the_secret_being_set_up(app, client, users, frozen_clock, sign_in, post_form):
    app.config["MFA_REQUIRED_ROLES"] = frozenset({"supervisor"})
    supervisor = users.make("supervisor")
    assert sign_in(client, supervisor.email, PASSWORD).headers["Location"] == "/auth/mfa/set-up"
    page = client.get("/auth/mfa/set-up").get_data(as_text=True)
    secret = KEY.search(page).group(1).replace(" ", "")
    assert client.get("/auth/mfa/set-up").get_data(as_text=True).count(KEY.search(page).group(1)) == 1  # same one
    contents = _cookie_contents(app, client)
    assert secret not in contents and secret.lower() not in contents
    assert db.session.scalar(select(func.count()).select_from(PendingEnrolment)) == 1
    stored = db.session.scalars(select(PendingEnrolment.sealed_secret)).one()
    assert secret not in stored  # sealed at rest as well

    done = post_form(client, "/auth/mfa/set-up", {"code": pyotp.TOTP(secret).at(frozen_clock())})
    assert done.status_code == 200 and "recovery" in done.get_data(as_text=True).lower()
    assert secret not in _cookie_contents(app, client)
    assert db.session.scalar(select(func.count()).select_from(PendingEnrolment)) == 0


def test_f11_two_browsers_setting_up_one_account_get_different_secrets(app, users, sign_in):
    app.config["MFA_REQUIRED_ROLES"] = frozenset({"supervisor"})
    supervisor = users.make("supervisor")
    shown = []
    for client in (app.test_client(), app.test_client()):
        sign_in(client, supervisor.email, PASSWORD)
        shown.append(KEY.search(client.get("/auth/mfa/set-up").get_data(as_text=True)).group(1))
    assert shown[0] != shown[1]

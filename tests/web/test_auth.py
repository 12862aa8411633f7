"""Sign-in and sign-out through the browser-facing routes."""

from __future__ import annotations

import pytest

from project.services import accounts
from tests.factories import PASSWORD

DEMO_ACCOUNTS = [
    ("investigator@demo.test", "Investigator"),
    ("investigator2@demo.test", "Investigator"),
    ("supervisor@demo.test", "Supervisor"),
    ("labor@demo.test", "Labor relations"),
    ("admin@demo.test", "Admin"),
]


def test_each_demo_account_signs_in(app, runner, seeded_catalogue, sign_in):
    """Each sign-in ``make run`` prints works and lands on the home page under the right role (the demo is
    seeded once: seeding it takes seconds)."""
    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    for email, role_label in DEMO_ACCOUNTS:
        client = app.test_client()
        response = sign_in(client, email)
        assert response.status_code == 302 and response.headers["Location"] == "/", email
        home = client.get("/").get_data(as_text=True)
        assert f"<strong>{role_label}</strong>" in home, email


def test_pages_need_a_sign_in_and_come_back_after_it(client, users, sign_in):
    """ASVS 4.1.1, 4.1.3: every page is behind sign-in, enforced on the server."""
    user = users.make("investigator")
    response = client.get("/catalogue/2.26?version=2018-12-03")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/sign-in?next=/catalogue/2.26?version%3D2018-12-03"
    response = sign_in(client, user.email, PASSWORD, next_url="/catalogue/2.26?version=2018-12-03")
    assert response.headers["Location"] == "/catalogue/2.26?version=2018-12-03"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "evil"]
)
def test_next_only_redirects_within_this_site(client, users, target, sign_in):
    """ASVS 5.1.5: redirects go only to this site."""
    user = users.make("investigator")
    response = sign_in(client, user.email, PASSWORD, next_url=target)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_wrong_password_and_unknown_account_read_the_same(client, users, sign_in):
    """ASVS 2.2.1, 7.1.1: the refusal reveals neither the account nor the reason."""
    user = users.make("investigator")
    wrong = sign_in(client, user.email, "not the password").get_data(as_text=True)
    unknown = sign_in(client, "ghost@example.test", "not the password").get_data(as_text=True)
    message = accounts.failure_message(accounts.SignInPolicy())
    assert message in wrong and message in unknown
    assert client.get("/").status_code == 302


def test_sign_in_without_csrf_token_is_refused(client, users):
    """ASVS 4.2.2, 13.2.3: state-changing requests need a CSRF token."""
    user = users.make("investigator")
    response = client.post("/auth/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_sign_out_kills_a_copied_cookie(app, client, users, sign_in, csrf_token_from):
    """ASVS 3.3.1: sign-out invalidates the session on the server."""
    user = users.make("supervisor")
    sign_in(client, user.email, PASSWORD)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    home = client.get("/")
    assert home.status_code == 200
    token = csrf_token_from(home.get_data(as_text=True))
    assert client.post("/auth/sign-out", data={"csrf_token": token}).status_code == 302

    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    response = thief.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/sign-in")


def test_sign_out_needs_a_post_with_csrf(client, users, sign_in):
    """ASVS 4.2.2: sign-out is a POST with a CSRF token."""
    user = users.make("supervisor")
    sign_in(client, user.email, PASSWORD)
    assert client.get("/auth/sign-out").status_code == 405
    assert client.post("/auth/sign-out").status_code == 400
    assert client.get("/").status_code == 200


def test_idle_session_ends_and_says_so(client, users, frozen_clock, sign_in):
    """ASVS 3.3.2: an idle session times out."""
    user = users.make("labor_relations")
    sign_in(client, user.email, PASSWORD)
    frozen_clock.advance(minutes=31)
    response = client.get("/catalogue/")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your session has ended" in page


def test_session_cookie_is_httponly_and_samesite_lax(app, client, users, sign_in):
    """ASVS 3.4.2, 3.4.3: HttpOnly and SameSite cookies."""
    user = users.make("investigator")
    response = sign_in(client, user.email, PASSWORD)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("casefile_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_disabled_user_is_signed_out_at_once(runner, client, users, sign_in):
    """ASVS 3.3.1, 3.3.4: a disabled account loses its sessions at once."""
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    assert client.get("/").status_code == 200
    assert runner.invoke(args=["users", "disable", user.email]).exit_code == 0
    assert client.get("/").status_code == 302


def test_a_password_change_signs_out_the_other_sessions(app, client, users, sign_in, csrf_token_from):
    """ASVS 3.3.3: changing the password ends the account's other sessions; this one stays."""
    user = users.make("investigator")
    other = app.test_client()
    sign_in(other, user.email, PASSWORD)
    sign_in(client, user.email, PASSWORD)
    page = client.get("/auth/password").get_data(as_text=True)
    token = csrf_token_from(page)
    new = "a brand new passphrase"
    wrong = client.post(
        "/auth/password",
        data={"csrf_token": token, "current_password": "not it at all", "new_password": new, "confirm": new},
    )
    assert wrong.status_code == 400 and "current password is not right" in wrong.get_data(as_text=True)
    response = client.post(
        "/auth/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert sign_in(app.test_client(), user.email, "a brand new passphrase").status_code == 302


def test_admin_creates_a_user_and_disables_one_whose_sessions_end_at_once(app, client, users, sign_in, csrf_token_from):
    """ASVS 3.3.4, 4.1.3: only admins manage accounts; disabling ends sessions."""
    admin = users.make("admin")
    victim = users.make("investigator")
    victim_client = app.test_client()
    sign_in(victim_client, victim.email, PASSWORD)
    sign_in(client, admin.email, PASSWORD)
    page = client.get("/admin/users/new").get_data(as_text=True)
    token = csrf_token_from(page)
    bad = client.post(
        "/admin/users/new",
        data={
            "csrf_token": token,
            "email": "new@example.test",
            "name": "New",
            "roles": ["supervisor"],
            "password": "short",
        },
    )
    assert bad.status_code == 400 and "at least 12 characters" in bad.get_data(as_text=True)
    made = client.post(
        "/admin/users/new",
        data={
            "csrf_token": token,
            "email": "new@example.test",
            "name": "New",
            "roles": ["supervisor", "labor_relations"],
            "employee_number": "100231",
            "password": "a long new passphrase",
        },
    )
    assert made.status_code == 302
    from project.services import accounts

    created = accounts.find_user("new@example.test")
    assert created.employee_number == "100231" and {r.value for r in created.role_set} == {
        "supervisor",
        "labor_relations",
    }
    assert client.post(f"/admin/users/{victim.id}/disable", data={"csrf_token": token}).status_code == 302
    assert victim_client.get("/").status_code == 302
    assert client.post(f"/admin/users/{admin.id}/disable", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 200, "an admin cannot lock themselves out"

"""The layout, navigation by role, the catalogue page, error pages and static assets."""

from __future__ import annotations

import re

import pytest
from werkzeug.exceptions import InternalServerError

from tests.factories import PASSWORD


def test_catalogue_page_shows_clause_text(client, users, seeded_catalogue, sign_in):
    sign_in(client, users.make("investigator").email, PASSWORD)
    page = client.get("/catalogue/2.26").get_data(as_text=True)
    assert "Effective 12/03/2018" in page
    clause = page[page.index('id="clause-5.b.i.4"') :]
    clause = clause[: clause.index("</li>")]
    assert "Confidential information related to any employee." in clause
    assert 'href="/catalogue/2.17"' in page
    index = client.get("/catalogue/").get_data(as_text=True)
    assert "Workplace Violence Prevention Policy" in index


def test_catalogue_unknown_directive_or_version_is_404(client, users, seeded_catalogue, sign_in):
    sign_in(client, users.make("investigator").email, PASSWORD)
    assert client.get("/catalogue/9.99").status_code == 404
    assert client.get("/catalogue/2.26?version=2001-01-01").status_code == 404
    assert client.get("/catalogue/2.26?version=not-a-date").status_code == 404


@pytest.mark.parametrize(
    "role,visible,hidden",
    [
        ("investigator", ["Policy catalogue"], ["Users", "Roster"]),
        ("admin", ["Policy catalogue", "Users", "Roster"], []),
    ],
)
def test_navigation_follows_the_role(client, users, role, visible, hidden, sign_in):
    sign_in(client, users.make(role).email, PASSWORD)
    nav = client.get("/").get_data(as_text=True)
    nav = nav[nav.index('<nav aria-label="Main">') : nav.index("</nav>")]
    for label in visible:
        assert f">{label}</a>" in nav
    for label in hidden:
        assert f">{label}</a>" not in nav


@pytest.mark.parametrize("path", ["/admin/users", "/admin/roster"])
def test_admin_pages_are_refused_to_other_roles(client, users, path, sign_in):
    """ASVS 4.1.1, 4.3.1: administrative pages for admins only."""
    sign_in(client, users.make("supervisor", "investigator", "labor_relations").email, PASSWORD)
    response = client.get(path)
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)


def test_admin_sees_users_and_roster(client, users, runner, tmp_path, sign_in):
    admin = users.make("admin", name="Ada <b>Admin</b>")
    csv = tmp_path / "roster.csv"
    csv.write_text("employee_number,last_name,first_name,title,facility\n300001,O'Brien,Sean,Officer,York CI\n")
    assert runner.invoke(args=["roster", "import", str(csv)]).exit_code == 0
    sign_in(client, admin.email, PASSWORD)
    users_page = client.get("/admin/users").get_data(as_text=True)
    assert admin.email in users_page and "Ada &lt;b&gt;Admin&lt;/b&gt;" in users_page
    assert "O&#39;Brien, Sean" in client.get("/admin/roster").get_data(as_text=True)


def test_not_found_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "Not found" in response.get_data(as_text=True)


def test_too_large_request_gets_the_413_page(app, client):
    """ASVS 12.1.1: files over the size limit are refused."""
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/auth/sign-in", data={"email": "x" * 4096})
    assert response.status_code == 413 and "File too large" in response.get_data(as_text=True)


@pytest.mark.own_app  # adds a route
def test_an_unexpected_error_shows_no_stack_trace(app, client):
    """ASVS 7.4.1, 14.3.2: a generic error page, no stack trace or debug page."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals: password=hunter2")

    response = client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == InternalServerError.code
    assert "Something went wrong" in body
    assert "Traceback" not in body and "hunter2" not in body and "RuntimeError" not in body


def test_security_headers_on_every_page(client):
    """ASVS 14.4.3 (CSP), 14.4.4 (nosniff), 14.4.6 (Referrer-Policy), 14.4.7 (frame denial)."""
    response = client.get("/auth/sign-in")
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_assets_come_from_this_site_only(client):
    """ASVS 14.2.3: no assets from outside services."""
    page = client.get("/auth/sign-in").get_data(as_text=True)
    assert re.findall(r'(?:src|href)="(https?:)?//', page) == []
    css = client.get("/static/css/app.css")
    assert css.status_code == 200 and "--accent" in css.get_data(as_text=True)


def test_admin_imports_a_roster_file_and_sees_each_bad_row(client, users, sign_in, csrf_token_from):
    import io

    from project.services.casework import find_employee

    sign_in(client, users.make("admin").email, PASSWORD)
    token = csrf_token_from(client.get("/admin/roster").get_data(as_text=True))
    bad = (
        b"employee_number,last_name,first_name,title,facility,hire_date\n"
        b"500001,Good,Row,Officer,York CI,2011-01-01\n"
        b"500002,Bad,Date,Officer,York CI,01/02/2011\n"
    )
    response = client.post(
        "/admin/roster",
        data={"csrf_token": token, "file": (io.BytesIO(bad), "roster.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<td>3</td><td>hire date &#39;01/02/2011&#39; is not a date in the form YYYY-MM-DD</td>" in page
    assert find_employee("500001") is None
    good = bad.replace(b"01/02/2011", b"2011-02-01")
    response = client.post(
        "/admin/roster",
        data={"csrf_token": token, "file": (io.BytesIO(good), "roster.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert find_employee("500002").hire_date.isoformat() == "2011-02-01"


def test_roster_upload_that_is_not_text_is_refused(client, users, sign_in, csrf_token_from):
    import io

    sign_in(client, users.make("admin").email, PASSWORD)
    token = csrf_token_from(client.get("/admin/roster").get_data(as_text=True))
    upload = {"csrf_token": token, "file": (io.BytesIO(b"\xff\xfe\x00bin"), "x.csv")}
    response = client.post("/admin/roster", data=upload, content_type="multipart/form-data")
    assert response.status_code == 400 and "not UTF-8 text" in response.get_data(as_text=True)


def test_reference_page_shows_ladder_findings_and_deadlines(client, users, seeded_catalogue, sign_in):
    sign_in(client, users.make("labor_relations").email, PASSWORD)
    page = client.get("/catalogue/discipline").get_data(as_text=True)
    assert "capped at 60 calendar days in a calendar year" in page
    assert page.index("Oral reprimand") < page.index("Written reprimand") < page.index("Dismissal")
    assert "Policy Failure" in page and "within 7 calendar days of decision to discipline" in page


@pytest.mark.own_app  # adds a route
def test_the_error_page_survives_a_failed_database_transaction(app, client, users, sign_in):
    """ASVS 7.4.1."""
    from sqlalchemy import text

    from project.extensions import db

    app.config["PROPAGATE_EXCEPTIONS"] = False
    user = users.make("investigator")

    @app.get("/bad-sql")
    def bad_sql():
        db.session.execute(text("SELECT * FROM no_such_table"))

    sign_in(client, user.email, PASSWORD)
    response = client.get("/bad-sql")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert user.name in response.get_data(as_text=True), "the page still knows who is signed in"


@pytest.mark.commits  # an app of its own (production settings), on its own engine
def test_production_cookies_are_secure_and_hsts_is_sent(committed, tmp_path, csrf_token_from):
    """ASVS 3.4.1 (Secure cookies), 14.4.5 (HSTS), 14.3.2 (no debug in production)."""
    from project import create_app
    from project.extensions import db
    from project.services import accounts
    from tests.apps import app_environ

    env = app_environ(committed, tmp_path) | {
        "APP_ENV": "production",
        "SECRET_KEY": "Wq3-kZ8rT1vN0bYp6LmC4xHs9Dg2JfAe7Ui5Oy_Rn",
        "ALLOW_SQLITE_IN_PRODUCTION": "1",
    }
    app = create_app(env)
    with app.app_context():
        accounts.create_user("prod@example.test", "Prod User", ["investigator"], PASSWORD)
        client = app.test_client()
        client.environ_base["wsgi.url_scheme"] = "https"  # Secure cookies travel over HTTPS only

        token = csrf_token_from(client.get("/auth/sign-in").get_data(as_text=True))
        credentials = {"email": "prod@example.test", "password": PASSWORD, "csrf_token": token}
        refused = client.post("/auth/sign-in", data=credentials)
        assert refused.status_code == 400, "over HTTPS a form post must come with this site as its referrer"
        response = client.post("/auth/sign-in", data=credentials, headers={"Referer": "https://localhost/auth/sign-in"})
        assert response.status_code == 302
        cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("casefile_session="))
        assert "Secure" in cookie and "HttpOnly" in cookie
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        db.session.remove()
        db.engine.dispose()


def test_admin_imports_prior_discipline_all_or_nothing(client, users, seeded_catalogue, sign_in, csrf_token_from):
    import io

    from sqlalchemy import func, select

    from project.extensions import db
    from project.models import DisciplineRecord
    from project.services import roster

    roster.import_roster("employee_number,last_name,first_name,title,facility\n600001,Ng,Al,Officer,York CI\n")
    sign_in(client, users.make("admin").email, PASSWORD)
    token = csrf_token_from(client.get("/admin/roster").get_data(as_text=True))
    bad = (
        b"employee_number,step,imposed_on,suspension_days,note\n"
        b"600001,written_reprimand,2025-04-01,,\n"
        b"999999,oral_reprimand,2025-05-01,,\n"
    )
    response = client.post(
        "/admin/roster/discipline",
        content_type="multipart/form-data",
        data={"csrf_token": token, "file": (io.BytesIO(bad), "history.csv")},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "<td>3</td>" in page and "999999" in page
    assert db.session.scalar(select(func.count()).select_from(DisciplineRecord)) == 0
    good = bad.replace(b"999999", b"600001")
    response = client.post(
        "/admin/roster/discipline",
        content_type="multipart/form-data",
        data={"csrf_token": token, "file": (io.BytesIO(good), "history.csv")},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(DisciplineRecord)) == 2


@pytest.mark.own_app  # it adds a route
def test_a_refusal_from_a_service_is_the_403_page_with_its_reason(app, client, users, sign_in):
    """A service's ``NotPermitted`` (its rules stand behind every view's own check) renders the 403 page
    with the service's explanation, never a 500."""
    from project import permissions

    @app.get("/refused-by-a-service")
    def refused() -> str:
        permissions.require(False, "Only labor relations prints letters, on an approved case.")
        return "the view went on"

    sign_in(client, users.make("investigator").email, PASSWORD)
    response = client.get("/refused-by-a-service")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Only labor relations prints letters, on an approved case." in page and "the view went on" not in page

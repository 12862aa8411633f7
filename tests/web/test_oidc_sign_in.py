"""Signing in with OpenID Connect against a provider built from Authlib's server components
(tests/oidc_provider.py): the real redirect, code and token exchange over HTTP, and what Casefile makes of the
verified claims (issue 20, item 3)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, Role
from project.services import accounts
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, Provider

CLAIM_ROLES = {"casefile-investigators": ["investigator"], "casefile-labor": ["labor_relations"]}


@pytest.fixture()
def provider(app, oidc_provider: Provider) -> Provider:
    app.config.update(
        OIDC_ISSUER=oidc_provider.issuer,
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_CLAIM_ROLES=CLAIM_ROLES,
        OIDC_DISPLAY_NAME="the State Login",
    )
    oidc_provider.person = None
    return oidc_provider


def person(sub: str, *groups: str, email: str | None = None) -> dict[str, object]:
    return {
        "sub": sub,
        "email": email or f"{sub}@state.test",
        "email_verified": True,
        "name": "Olive Oidc",
        "groups": list(groups),
    }


def through_the_provider(client, next_url: str = ""):  # type: ignore[no-untyped-def]
    """Start at Casefile, let the provider answer over HTTP, and bring its answer back to Casefile."""
    start = client.get("/auth/oidc" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.get_data(as_text=True)
    answer = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == REDIRECT_URI
    return back.path + "?" + back.query


def last_event(action: str) -> AuditEvent:
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc())
    ).first()


def test_the_sign_in_page_offers_the_provider(client, provider):
    page = client.get("/auth/sign-in").get_data(as_text=True)
    assert 'href="/auth/oidc"' in page and "Sign in with the State Login" in page


def test_a_person_of_a_mapped_group_signs_in_and_gets_an_account(client, provider):
    provider.person = person("olive", "casefile-investigators", "casefile-labor", "all-staff")
    response = client.get(through_the_provider(client, "/catalogue"))
    assert response.status_code == 302 and response.headers["Location"] == "/catalogue"
    user = accounts.find_user("olive@state.test")
    assert user is not None and user.role_set == {Role.INVESTIGATOR, Role.LABOR_RELATIONS}
    assert user.external_identity is not None
    assert (user.external_identity.source, user.external_identity.external_id) == ("oidc", f"{provider.issuer} olive")
    assert last_event("user.created").detail["source"] == "oidc"
    assert client.get("/").status_code == 200


def test_the_next_sign_in_brings_the_roles_up_to_date(app, client, provider):
    provider.person = person("otto", "casefile-investigators")
    client.get(through_the_provider(client))
    provider.person = person("otto", "casefile-labor")  # the groups changed; a second browser signs in
    second = app.test_client()
    assert second.get(through_the_provider(second)).headers["Location"] == "/"
    user = accounts.find_user("otto@state.test")
    assert user is not None
    db.session.refresh(user)
    assert user.role_set == {Role.LABOR_RELATIONS}
    assert last_event("user.updated_from_directory").detail["changes"] == {"roles": ["investigator", "labor_relations"]}


def test_a_person_of_no_mapped_group_is_told_why_and_gets_no_account(client, provider):
    provider.person = person("nemo", "all-staff")
    response = client.get(through_the_provider(client))
    assert response.headers["Location"] == "/auth/sign-in"
    page = client.get("/auth/sign-in").get_data(as_text=True)
    assert "not in any group that gives access to Casefile" in page
    assert accounts.find_user("nemo@state.test") is None
    assert last_event("auth.sign_in_failed").detail["reason"] == "unmapped_groups"


def test_a_declined_sign_in_and_a_callback_from_another_browser_are_refused(app, client, provider):
    declined = client.get(through_the_provider(client))  # provider.person is None: the person said no
    assert declined.headers["Location"] == "/auth/sign-in"
    assert last_event("auth.sign_in_failed").detail["reason"] == "oidc_failed"
    provider.person = person("eve", "casefile-investigators")
    stolen = through_the_provider(client)
    other_browser = app.test_client()
    assert other_browser.get(stolen).headers["Location"] == "/auth/sign-in"  # its session holds no such state
    assert accounts.find_user("eve@state.test") is None
    assert other_browser.get("/").status_code == 302


def test_the_provider_s_second_factor_is_trusted_only_when_the_setting_says_so(app, client, provider):
    app.config["MFA_REQUIRED_ROLES"] = frozenset({"labor_relations"})
    provider.person = person("lou", "casefile-labor")
    assert client.get(through_the_provider(client)).headers["Location"] == "/auth/mfa/set-up"
    app.config["DIRECTORY_MFA"] = "provider"
    trusted = app.test_client()
    assert trusted.get(through_the_provider(trusted)).headers["Location"] == "/"
    assert last_event("auth.sign_in").detail == {"second_factor": "identity_provider"}


def test_an_unverified_email_is_not_used(client, provider):
    provider.person = person("uma", "casefile-investigators") | {"email_verified": False}
    assert client.get(through_the_provider(client)).headers["Location"] == "/auth/sign-in"
    assert "has not verified your email address" in client.get("/auth/sign-in").get_data(as_text=True)
    assert accounts.find_user("uma@state.test") is None

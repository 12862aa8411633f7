"""Signing in with a directory password, against a real slapd (tests/ldap_server.py): accounts made from the
directory with roles from its groups, refusals that say why, the local break-glass account, and the re-check
that ends a disabled directory account's sessions at its next request (issue 20, item 3)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, Role, UserSession
from project.services import accounts
from tests import ldap_server
from tests.factories import PASSWORD
from tests.ldap_server import Directory, group_dn, unique_uid
from tests.tls_files import make_authority

GROUP_ROLES = {
    group_dn("cf-investigators"): ["investigator"],
    group_dn("cf-supervisors"): ["supervisor"],
    group_dn("cf-admins"): ["admin"],
}


@pytest.fixture()
def directory(app, ldap_directory: Directory) -> Directory:
    """The app signs people in against the test session's slapd."""
    app.config.update(ldap_settings(ldap_directory.url))
    return ldap_directory


def ldap_settings(url: str) -> dict[str, object]:
    return {
        "LDAP_URL": url,
        "LDAP_USER_SEARCH_BASE": ldap_server.PEOPLE,
        "LDAP_SERVICE_BIND_DN": ldap_server.SERVICE_DN,
        "LDAP_SERVICE_PASSWORD": ldap_server.SERVICE_PASSWORD,
        "LDAP_GROUP_SEARCH_BASE": ldap_server.GROUPS,
        "LDAP_GROUP_ROLES": GROUP_ROLES,
        "LDAP_TIMEOUT_SECONDS": 2,
    }


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_a_directory_person_signs_in_and_gets_the_roles_of_their_groups(client, directory, sign_in):
    uid = unique_uid("ivy")
    directory.add_person(uid, "Ivy Directory", ("cf-investigators", "cf-supervisors", "everyone"))
    response = sign_in(client, f"{uid}@doc.test", ldap_server.PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    user = accounts.find_user(f"{uid}@doc.test")
    assert user is not None and user.name == "Ivy Directory"
    assert user.role_set == {Role.INVESTIGATOR, Role.SUPERVISOR}
    assert user.external_identity is not None
    assert (user.external_identity.source, user.external_identity.external_id) == ("ldap", ldap_server.person_dn(uid))
    assert events("user.created")[-1].detail["source"] == "ldap"
    assert client.get("/").status_code == 200


def test_the_sign_in_name_may_be_the_directory_uid(client, directory, sign_in):
    uid = unique_uid("una")
    directory.add_person(uid, "Una Uid", ("cf-investigators",))
    assert sign_in(client, uid, ldap_server.PASSWORD).headers["Location"] == "/"


def test_a_wrong_directory_password_reads_as_any_failed_sign_in_and_counts_toward_the_rate_limit(
    app, client, directory, sign_in
):
    uid = unique_uid("wes")
    directory.add_person(uid, "Wes Wrong", ("cf-investigators",))
    app.config["SIGN_IN_RATE_PER_ACCOUNT"] = 2
    page = sign_in(client, f"{uid}@doc.test", "not the password").get_data(as_text=True)
    assert accounts.failure_message(accounts.SignInPolicy()) in page
    assert events("auth.sign_in_failed")[-1].detail["reason"] == "directory_refused"
    assert accounts.find_user(f"{uid}@doc.test") is None
    sign_in(client, f"{uid}@doc.test", "not the password either")
    refused = sign_in(client, f"{uid}@doc.test", ldap_server.PASSWORD)
    assert refused.status_code == 429 and client.get("/").status_code == 302
    assert events("auth.sign_in_rate_limited")[-1].detail["email"] == f"{uid}@doc.test"


def test_a_person_in_no_mapped_group_is_refused_with_a_reason_and_no_account(client, directory, sign_in):
    uid = unique_uid("nog")
    directory.add_person(uid, "Noah Group", ("everyone",))
    page = sign_in(client, f"{uid}@doc.test", ldap_server.PASSWORD).get_data(as_text=True)
    assert "not in any group that gives access to Casefile" in page
    assert accounts.find_user(f"{uid}@doc.test") is None
    assert events("auth.sign_in_failed")[-1].detail == {
        "reason": "unmapped_groups",
        "external_id": ldap_server.person_dn(uid),
    }


def test_a_filter_character_in_the_sign_in_name_matches_nobody(client, directory, sign_in):
    directory.add_person(unique_uid("star"), "Star Filter", ("cf-investigators",))
    page = sign_in(client, "*", ldap_server.PASSWORD).get_data(as_text=True)
    assert accounts.failure_message(accounts.SignInPolicy()) in page
    assert client.get("/").status_code == 302


def test_the_directory_never_takes_over_a_local_account(client, users, directory, sign_in):
    local = users.make("admin", email="breakglass@doc.test")
    uid = unique_uid("bg")
    directory.add_person(uid, "Mallory Match", ("cf-admins",), mail="breakglass@doc.test")
    page = sign_in(client, "Breakglass@doc.test", ldap_server.PASSWORD).get_data(as_text=True)
    assert accounts.failure_message(accounts.SignInPolicy()) in page  # checked against the local password
    page = sign_in(client, uid, ldap_server.PASSWORD).get_data(as_text=True)
    assert "signs in another way" in page
    assert events("auth.sign_in_failed")[-1].detail == {"reason": "email_signs_in_another_way"}
    assert sign_in(client, local.email, PASSWORD).headers["Location"] == "/"
    assert local.identity_source == "local"


def test_a_local_admin_signs_in_while_the_directory_is_down(app, client, users, ldap_directory, sign_in):
    app.config.update(ldap_settings("ldap://127.0.0.1:9"))  # the discard port: nothing answers LDAP
    admin = users.make("admin")
    page = sign_in(client, "someone@doc.test", "any password").get_data(as_text=True)
    assert "The directory cannot be reached just now" in page
    assert events("auth.sign_in_failed")[-1].detail["reason"] == "directory_unavailable"
    assert sign_in(client, admin.email, PASSWORD).headers["Location"] == "/"


def test_disabling_the_account_in_the_directory_ends_its_sessions_at_the_next_request(
    app, client, directory, sign_in, frozen_clock
):
    uid = unique_uid("dan")
    directory.add_person(uid, "Dan Disabled", ("cf-investigators",))
    other_browser = app.test_client()
    assert sign_in(client, f"{uid}@doc.test", ldap_server.PASSWORD).headers["Location"] == "/"
    assert sign_in(other_browser, f"{uid}@doc.test", ldap_server.PASSWORD).headers["Location"] == "/"
    directory.disable(uid)
    frozen_clock.advance(seconds=30)
    assert client.get("/").status_code == 200  # checked 30 s ago: not asked again yet
    frozen_clock.advance(seconds=31)
    assert client.get("/").headers["Location"].startswith("/auth/sign-in")
    assert other_browser.get("/").headers["Location"].startswith("/auth/sign-in")
    user = accounts.find_user(f"{uid}@doc.test")
    assert user is not None
    reasons = db.session.scalars(select(UserSession.end_reason).where(UserSession.user_id == user.id)).all()
    assert reasons == ["directory_disabled", "directory_disabled"]
    assert events("user.directory_sessions_ended")[-1].detail == {"reason": "directory_disabled", "sessions_ended": 2}
    page = sign_in(client, f"{uid}@doc.test", ldap_server.PASSWORD).get_data(as_text=True)
    assert accounts.failure_message(accounts.SignInPolicy()) in page


def test_group_changes_reach_the_roles_and_leaving_every_group_ends_the_sessions(
    client, directory, sign_in, frozen_clock
):
    uid = unique_uid("gus")
    directory.add_person(uid, "Gus Groups", ("cf-investigators", "cf-supervisors"))
    sign_in(client, f"{uid}@doc.test", ldap_server.PASSWORD)
    directory.remove_from_group(uid, "cf-supervisors")
    frozen_clock.advance(seconds=61)
    assert client.get("/").status_code == 200
    user = accounts.find_user(f"{uid}@doc.test")
    assert user is not None
    db.session.refresh(user)
    assert user.role_set == {Role.INVESTIGATOR}
    assert events("user.updated_from_directory")[-1].detail["changes"] == {
        "roles": ["investigator, supervisor", "investigator"]
    }
    directory.remove_from_group(uid, "cf-investigators")
    frozen_clock.advance(seconds=61)
    assert client.get("/").status_code == 302
    assert events("user.directory_sessions_ended")[-1].detail["reason"] == "directory_unmapped"


def test_a_silent_directory_is_trusted_for_the_grace_period_only(app, client, directory, sign_in, frozen_clock):
    uid = unique_uid("sid")
    directory.add_person(uid, "Sid Silent", ("cf-investigators",))
    sign_in(client, f"{uid}@doc.test", ldap_server.PASSWORD)
    app.config["LDAP_URL"] = "ldap://127.0.0.1:9"
    frozen_clock.advance(seconds=240)
    assert client.get("/").status_code == 200
    frozen_clock.advance(seconds=61)
    assert client.get("/").status_code == 302
    assert events("user.directory_sessions_ended")[-1].detail["reason"] == "directory_unreachable"


def test_directory_accounts_take_casefile_s_second_factor_unless_the_provider_is_trusted(
    app, client, directory, sign_in
):
    app.config["MFA_REQUIRED_ROLES"] = frozenset({"supervisor"})
    uid = unique_uid("sue")
    directory.add_person(uid, "Sue Second", ("cf-supervisors",))
    assert sign_in(client, f"{uid}@doc.test", ldap_server.PASSWORD).headers["Location"] == "/auth/mfa/set-up"
    app.config["DIRECTORY_MFA"] = "provider"
    trusted = app.test_client()
    assert sign_in(trusted, f"{uid}@doc.test", ldap_server.PASSWORD).headers["Location"] == "/"
    assert events("auth.sign_in")[-1].detail == {"second_factor": "identity_provider"}


def test_a_bind_dn_template_signs_in_by_uid_and_escapes_what_is_typed(app, client, directory, sign_in):
    app.config.update(LDAP_BIND_DN_TEMPLATE=f"uid={{login}},{ldap_server.PEOPLE}", LDAP_USER_SEARCH_BASE=None)
    uid = unique_uid("tim")
    directory.add_person(uid, "Tim Template", ("cf-investigators",))
    page = sign_in(client, f"{uid},ou=people", ldap_server.PASSWORD).get_data(as_text=True)
    assert accounts.failure_message(accounts.SignInPolicy()) in page
    assert sign_in(client, uid, ldap_server.PASSWORD).headers["Location"] == "/"


def test_a_directory_account_changes_its_password_in_the_directory_only(client, directory, sign_in, post_form):
    uid = unique_uid("pat")
    directory.add_person(uid, "Pat Password", ("cf-investigators",))
    sign_in(client, uid, ldap_server.PASSWORD)
    data = {
        "current_password": ldap_server.PASSWORD,
        "new_password": "a new pass phrase 2",
        "confirm": "a new pass phrase 2",
    }
    page = post_form(client, "/auth/password", data).get_data(as_text=True)
    assert "Your password is kept by your organisation&#39;s directory" in page


def test_an_email_shared_by_two_entries_does_not_move_the_account_unless_the_old_entry_is_gone(app, directory, sign_in):
    first, second, moved = unique_uid("sam"), unique_uid("sham"), unique_uid("sam")
    directory.add_person(first, "Sam First", ("cf-investigators",), mail=f"{first}@doc.test")
    assert sign_in(app.test_client(), first, ldap_server.PASSWORD).headers["Location"] == "/"
    directory.add_person(second, "Sham Second", ("cf-admins",), mail=f"{first}@doc.test")
    page = sign_in(app.test_client(), second, ldap_server.PASSWORD).get_data(as_text=True)
    assert "belongs to another entry" in page
    user = accounts.find_user(f"{first}@doc.test")
    assert user is not None and user.role_set == {Role.INVESTIGATOR}
    directory.rename(first, moved, ("cf-investigators",))  # the first entry moves: its old DN is gone
    assert sign_in(app.test_client(), moved, ldap_server.PASSWORD).headers["Location"] == "/"
    db.session.refresh(user)
    assert user.external_identity is not None and user.external_identity.external_id == ldap_server.person_dn(moved)


def test_ldaps_signs_in_only_when_the_directory_s_certificate_is_trusted(app, client, directory, sign_in, tmp_path):
    uid = unique_uid("tls")
    directory.add_person(uid, "Tess Tls", ("cf-investigators",))
    other_ca, _, _ = make_authority(tmp_path, "another-ca")
    app.config.update(LDAP_URL=directory.ldaps_url, LDAP_CA_CERTS_FILE=str(other_ca))
    page = sign_in(client, uid, ldap_server.PASSWORD).get_data(as_text=True)
    assert "The directory cannot be reached just now" in page
    app.config["LDAP_CA_CERTS_FILE"] = directory.ca_file
    assert sign_in(client, uid, ldap_server.PASSWORD).headers["Location"] == "/"

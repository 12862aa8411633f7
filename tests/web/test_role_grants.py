"""Finding F8 of issue 15: an administrator cannot reach case content by granting case roles. No admin gives
themselves a case role; every grant is audited and listed for the other admins; the grantee must change the
password at first sign-in; and with ROLE_GRANTS_NEED_SECOND_ADMIN a grant waits for a second administrator."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, RoleGrant, User
from project.services import accounts
from tests.factories import PASSWORD

NEW = "violet lantern orbit 1987"
OWN = "tidal marmot quilt 4412"


def actions(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_f8_an_admin_cannot_give_themselves_a_case_role(users):
    admin = users.make("admin")
    with pytest.raises(accounts.AccountError, match="cannot give themselves"):
        accounts.grant_role(admin, "supervisor", actor=admin)
    assert [r.role for r in fresh(admin).roles] == ["admin"]
    assert actions("user.role_granted") == []


def test_f8_a_grant_is_audited_listed_for_other_admins_and_forces_a_new_password(
    app, client, users, sign_in, post_form
):
    admin, other_admin, investigator = users.make("admin"), users.make("admin"), users.make("investigator")
    accounts.grant_role(investigator, "supervisor", actor=admin)
    assert {r.role for r in fresh(investigator).roles} == {"investigator", "supervisor"}
    [event] = actions("user.role_granted")
    assert event.actor_id == admin.id and event.detail == {"role": "supervisor", "email": investigator.email}

    sign_in(client, other_admin.email, PASSWORD)
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "Role grants" in listing and f"Supervisor to {investigator.email} by {admin.email}" in listing

    grantee = app.test_client()
    sign_in(grantee, investigator.email, PASSWORD)
    assert grantee.get("/cases/").headers["Location"].startswith("/auth/password")
    changed = post_form(grantee, "/auth/password", {"current_password": PASSWORD, "new_password": NEW, "confirm": NEW})
    assert changed.status_code == 302
    assert grantee.get("/cases/").status_code == 200
    assert not fresh(investigator).password_change_required


def test_f8_an_account_an_admin_creates_must_change_its_password_first(app, client, users, sign_in, post_form):
    admin = users.make("admin")
    sign_in(client, admin.email, PASSWORD)
    created = post_form(
        client,
        "/admin/users/new",
        {"email": "new.sup@example.test", "name": "New Sup", "roles": ["supervisor"], "password": OWN},
    )
    assert created.status_code == 302
    newcomer = accounts.find_user("new.sup@example.test")
    assert newcomer.password_change_required
    assert [(g.role, g.granted_by_id) for g in db.session.scalars(select(RoleGrant))] == [("supervisor", admin.id)]
    other = app.test_client()
    sign_in(other, "new.sup@example.test", OWN)
    assert other.get("/").headers["Location"].startswith("/auth/password")


def test_f8_with_the_two_person_rule_a_grant_waits_for_a_second_admin(app, client, users, sign_in, csrf_token_from):
    app.config["ROLE_GRANTS_NEED_SECOND_ADMIN"] = True
    admin, second, investigator = users.make("admin"), users.make("admin"), users.make("investigator")
    sign_in(client, admin.email, PASSWORD)
    token = csrf_token_from(client.get("/admin/users").get_data(as_text=True))
    granted = client.post(f"/admin/users/{investigator.id}/roles", data={"role": "supervisor", "csrf_token": token})
    assert granted.status_code == 302
    assert {r.role for r in fresh(investigator).roles} == {"investigator"}  # not yet
    [grant] = db.session.scalars(select(RoleGrant))
    assert grant.approved_at is None and actions("user.role_grant_requested")

    own = client.post(f"/admin/grants/{grant.id}/approve", data={"csrf_token": token})
    assert own.status_code == 302
    assert {r.role for r in fresh(investigator).roles} == {"investigator"}  # the granter cannot approve it

    approver = app.test_client()
    sign_in(approver, second.email, PASSWORD)
    token = csrf_token_from(approver.get("/admin/users").get_data(as_text=True))
    assert approver.post(f"/admin/grants/{grant.id}/approve", data={"csrf_token": token}).status_code == 302
    assert {r.role for r in fresh(investigator).roles} == {"investigator", "supervisor"}
    [approval] = actions("user.role_grant_approved")
    assert approval.actor_id == second.id
    assert fresh(investigator).password_change_required

"""Signing in with a directory password, and re-checking a signed-in directory account.

Which password a sign-in name is checked against: a local account's email (a break-glass administrator) is
always checked here, against its own hash, directory or not; any other name goes to the directory when LDAP is
on. So the directory being down never locks out the local administrators.

The re-check (README "Directory sign-in"): each request of a signed-in directory account loads its session
(``project.web.accounts.login``); when the directory last vouched for the account more than
``DIRECTORY_RECHECK_SECONDS`` ago, the service account looks the entry up again. An entry that is gone, disabled
(it no longer matches ``LDAP_ACTIVE_FILTER``) or in no mapped group ends every session of the account, so its
next request, in any browser, finds no session. A directory that does not answer is trusted for
``DIRECTORY_UNREACHABLE_GRACE_SECONDS`` after its last answer, then the sessions end too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from types import ModuleType

from project import clock
from project.models import User
from project.services.accounts import Client, SignInFailed, SignInPolicy, check_password, find_user
from project.services.directory.ldap_settings import DirectoryUnavailable, LdapSettings
from project.services.directory.people import (
    Identity,
    admit,
    apply_identity,
    audit_refusal,
    end_directory_account,
    refuse,
    roles_for,
)
from project.transaction import committing

UNAVAILABLE = "The directory cannot be reached just now. Try again in a few minutes."


def sign_in_with_password(
    login: str, password: str, client: Client, policy: SignInPolicy, ldap: LdapSettings | None
) -> User:
    """The first factor for a local or a directory account: the account, or ``SignInFailed`` (a wrong name or
    password, the same message whatever the reason) or ``SignInRefused`` (a proven directory person Casefile
    refuses, with the reason); each refusal audited."""
    local = find_user(login)
    if ldap is None or (local is not None and local.identity_source == "local"):
        return check_password(login, password, client, policy)
    try:
        person = _ldap().bind_person(ldap, login.strip(), password)
    except DirectoryUnavailable as error:
        raise refuse(None, "directory_unavailable", client, UNAVAILABLE, error=str(error)[:200]) from None
    if person is None:
        audit_refusal(None, "directory_refused", client, login=login.strip()[:254])
        raise SignInFailed(policy)
    identity = Identity("ldap", person.dn, person.email, person.name, roles_for(ldap.group_roles, person.groups))
    user = admit(identity, client, entry_gone=lambda old_dn: _entry_gone(ldap, old_dn))
    _vouched(user)
    return user


def _entry_gone(ldap: LdapSettings, dn: str) -> bool:
    """True when the directory says no active entry has this DN; a directory that cannot say keeps it."""
    try:
        return _ldap().look_up(ldap, dn) is None
    except DirectoryUnavailable:
        return False


def _vouched(user: User) -> None:
    assert user.external_identity is not None
    with committing("this account"):
        user.external_identity.checked_at = clock.now()


@dataclass(frozen=True)
class Recheck:
    """How often a signed-in directory account is looked up again, and how long a silent directory is trusted."""

    every: timedelta
    grace: timedelta


def still_vouched_for(user: User, ldap: LdapSettings | None, recheck: Recheck) -> bool:
    """True when the account's session may go on; otherwise every session of the account has just been ended
    (audited). Accounts that are not the directory's are not this function's business: always True."""
    held = user.external_identity
    if held is None or held.source != "ldap":
        return True
    now = clock.now()
    last = held.checked_at
    if last is not None and now - last < recheck.every:
        return True
    if ldap is None:
        end_directory_account(user, "directory_off")
        return False
    try:
        person = _ldap().look_up(ldap, held.external_id)
    except DirectoryUnavailable:
        if last is not None and now - last < recheck.grace:
            return True
        end_directory_account(user, "directory_unreachable")
        return False
    roles = roles_for(ldap.group_roles, person.groups) if person else frozenset()
    if person is None or not roles:
        end_directory_account(user, "directory_disabled" if person is None else "directory_unmapped")
        return False
    with committing("this account"):
        apply_identity(user, Identity("ldap", person.dn, person.email, person.name, roles))
        held.checked_at = now
    return True


def _ldap() -> ModuleType:
    """The module that talks to the directory, imported when a directory is used (ldap3 costs 110 ms)."""
    from project.services.directory import ldap_directory

    return ldap_directory

"""Directory sign-in settings (issue 20, item 3; README "Directory sign-in"), read from the environment.

LDAP is on when ``LDAP_URL`` is set, OpenID Connect when ``OIDC_ISSUER`` is; each needs the settings named in
its check below or the app refuses to start. The group-to-role maps are data: JSON objects from a group's DN
(LDAP) or a claim's value (OIDC) to a list of Casefile roles, in the environment or in a file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class DirectoryConfigError(RuntimeError):
    """The directory settings cannot be used; the message says which and why."""


DEFAULTS: dict[str, Any] = {
    "LDAP_URL": None,  # ldap://dc.example.gov or ldaps://dc.example.gov:636
    "LDAP_START_TLS": False,
    "LDAP_CA_CERTS_FILE": None,  # the CA that signed the directory's certificate; None: the system's CAs
    # How a sign-in name becomes the entry to bind as: a DN template ("uid={login},ou=people,dc=example,dc=gov"),
    # or, without one, a search under LDAP_USER_SEARCH_BASE with LDAP_USER_FILTER by the service account.
    "LDAP_BIND_DN_TEMPLATE": None,
    "LDAP_USER_SEARCH_BASE": None,
    "LDAP_USER_FILTER": "(|(uid={login})(mail={login}))",  # Active Directory: (sAMAccountName={login})
    # Only active accounts match: OpenLDAP's ppolicy lock by default; Active Directory:
    # (!(userAccountControl:1.2.840.113556.1.4.803:=2))
    "LDAP_ACTIVE_FILTER": "(!(pwdAccountLockedTime=*))",
    "LDAP_SERVICE_BIND_DN": None,  # required: the re-check of signed-in people uses it
    "LDAP_SERVICE_PASSWORD": None,
    "LDAP_GROUP_SEARCH_BASE": None,
    "LDAP_GROUP_FILTER": "(member={dn})",  # Active Directory with nested groups: (member:1.2.840.113556.1.4.1941:={dn})
    "LDAP_GROUP_ROLES": {},
    "LDAP_MAIL_ATTRIBUTE": "mail",
    "LDAP_NAME_ATTRIBUTE": "cn",  # Active Directory: displayName
    "LDAP_TIMEOUT_SECONDS": 5,
    # A signed-in directory account is looked up again at most this often; a directory that does not answer is
    # trusted for this long after its last answer, then the account's sessions end.
    "DIRECTORY_RECHECK_SECONDS": 60,
    "DIRECTORY_UNREACHABLE_GRACE_SECONDS": 300,
    # "casefile": directory and OIDC accounts use Casefile's authenticator-app step as local ones do (the roles of
    # MFA_REQUIRED_ROLES must set one up); "provider": the identity provider's own sign-in is trusted as it is.
    "DIRECTORY_MFA": "casefile",
    "OIDC_ISSUER": None,  # https://login.microsoftonline.com/<tenant>/v2.0
    "OIDC_CLIENT_ID": None,
    "OIDC_CLIENT_SECRET": None,
    "OIDC_SCOPE": "openid email profile",
    "OIDC_ROLES_CLAIM": "groups",  # Entra ID: "groups" (object ids) or "roles" (app roles)
    "OIDC_CLAIM_ROLES": {},
    "OIDC_DISPLAY_NAME": "your organisation's account",
}
TEXT = (
    "LDAP_URL",
    "LDAP_CA_CERTS_FILE",
    "LDAP_BIND_DN_TEMPLATE",
    "LDAP_USER_SEARCH_BASE",
    "LDAP_USER_FILTER",
    "LDAP_ACTIVE_FILTER",
    "LDAP_SERVICE_BIND_DN",
    "LDAP_SERVICE_PASSWORD",
    "LDAP_GROUP_SEARCH_BASE",
    "LDAP_GROUP_FILTER",
    "LDAP_MAIL_ATTRIBUTE",
    "LDAP_NAME_ATTRIBUTE",
    "DIRECTORY_MFA",
    "OIDC_ISSUER",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_SCOPE",
    "OIDC_ROLES_CLAIM",
    "OIDC_DISPLAY_NAME",
)
NUMBERS = ("LDAP_TIMEOUT_SECONDS", "DIRECTORY_RECHECK_SECONDS", "DIRECTORY_UNREACHABLE_GRACE_SECONDS")
MAPS = ("LDAP_GROUP_ROLES", "OIDC_CLAIM_ROLES")


def directory_settings(env: dict[str, str], role_values: frozenset[str]) -> dict[str, Any]:
    """The directory settings: the defaults with the environment's values; checked."""
    settings = dict(DEFAULTS)
    settings.update({key: env[key] for key in TEXT if env.get(key, "").strip()})
    settings.update({key: int(env[key]) for key in NUMBERS if env.get(key, "").strip()})
    if env.get("LDAP_START_TLS", "").strip():
        settings["LDAP_START_TLS"] = env["LDAP_START_TLS"].strip() == "1"
    for key in MAPS:
        if env.get(key + "_FILE", "").strip():
            settings[key] = _role_map(key, Path(env[key + "_FILE"]).read_text(), role_values)
        elif env.get(key, "").strip():
            settings[key] = _role_map(key, env[key], role_values)
    check_directory_settings(settings)
    return settings


def _role_map(key: str, text: str, role_values: frozenset[str]) -> dict[str, list[str]]:
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as error:
        raise DirectoryConfigError(f"{key} is not JSON: {error}") from None
    if not isinstance(loaded, dict) or not all(isinstance(v, list) for v in loaded.values()):
        raise DirectoryConfigError(f'{key} must map each group to a list of roles: {{"cn=...": ["investigator"]}}')
    unknown = {role for roles in loaded.values() for role in roles} - role_values
    if unknown:
        raise DirectoryConfigError(f"{key} names unknown roles {sorted(unknown)}; roles are {sorted(role_values)}")
    return {str(group): [str(role) for role in roles] for group, roles in loaded.items()}


def check_directory_settings(settings: dict[str, Any]) -> None:
    """Refuse a configuration that could not sign anyone in, or could not re-check who is signed in."""
    if settings["DIRECTORY_MFA"] not in ("casefile", "provider"):
        raise DirectoryConfigError("DIRECTORY_MFA must be 'casefile' or 'provider'")
    if settings["LDAP_URL"]:
        needed = ["LDAP_SERVICE_BIND_DN", "LDAP_SERVICE_PASSWORD", "LDAP_GROUP_SEARCH_BASE", "LDAP_GROUP_ROLES"]
        if not settings["LDAP_BIND_DN_TEMPLATE"]:
            needed.append("LDAP_USER_SEARCH_BASE")
        missing = [key for key in needed if not settings[key]]
        if missing:
            raise DirectoryConfigError(f"LDAP_URL is set, so {', '.join(missing)} must be set too")
    if settings["OIDC_ISSUER"]:
        missing = [key for key in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_CLAIM_ROLES") if not settings[key]]
        if missing:
            raise DirectoryConfigError(f"OIDC_ISSUER is set, so {', '.join(missing)} must be set too")

"""The settings of directory sign-in and what the directory says of a person, without ldap3: importing ldap3
costs 110 ms, which every `flask` command and worker would pay at start-up with no directory configured
(``ldap_directory`` imports it, and is imported when a directory is used)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class DirectoryUnavailable(Exception):
    """The directory did not answer, or refused the service account: nobody can be checked just now."""


@dataclass(frozen=True)
class LdapSettings:
    url: str
    start_tls: bool
    bind_dn_template: str | None
    user_search_base: str | None
    user_filter: str
    active_filter: str
    service_dn: str
    service_password: str
    group_search_base: str
    group_filter: str
    group_roles: Mapping[str, tuple[str, ...]]  # group DN, lower case -> role values
    mail_attribute: str
    name_attribute: str
    timeout: int
    ca_certs_file: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LdapSettings | None:
        """The settings of the app's configuration, or None when LDAP sign-in is off."""
        if not config.get("LDAP_URL"):
            return None
        return cls(
            url=config["LDAP_URL"],
            start_tls=bool(config["LDAP_START_TLS"]),
            bind_dn_template=config["LDAP_BIND_DN_TEMPLATE"],
            user_search_base=config["LDAP_USER_SEARCH_BASE"],
            user_filter=config["LDAP_USER_FILTER"],
            active_filter=config["LDAP_ACTIVE_FILTER"] or "",
            service_dn=config["LDAP_SERVICE_BIND_DN"],
            service_password=config["LDAP_SERVICE_PASSWORD"],
            group_search_base=config["LDAP_GROUP_SEARCH_BASE"],
            group_filter=config["LDAP_GROUP_FILTER"],
            group_roles={dn.lower(): tuple(roles) for dn, roles in config["LDAP_GROUP_ROLES"].items()},
            mail_attribute=config["LDAP_MAIL_ATTRIBUTE"],
            name_attribute=config["LDAP_NAME_ATTRIBUTE"],
            timeout=int(config["LDAP_TIMEOUT_SECONDS"]),
            ca_certs_file=config.get("LDAP_CA_CERTS_FILE"),
        )


@dataclass(frozen=True)
class DirectoryPerson:
    """An active entry of the directory, with the groups it is a member of."""

    dn: str
    email: str
    name: str
    groups: frozenset[str]  # DNs, lower case

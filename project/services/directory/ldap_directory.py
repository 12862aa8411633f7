"""Talking to an LDAP directory or Active Directory with ldap3: proving a person's password by binding as them,
and looking a person up again with the service account.

Values typed by a person go into filters and DNs only escaped (RFC 4515 and RFC 4514), so a sign-in name
cannot widen a search or name another entry.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

import ldap3
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

from project.services.directory.ldap_settings import DirectoryPerson, DirectoryUnavailable, LdapSettings


def _connection(settings: LdapSettings, user: str, password: str) -> ldap3.Connection:
    # ldaps:// and StartTLS check the server's certificate and name (ldap3's default checks neither), against
    # LDAP_CA_CERTS_FILE or the system's certificate authorities.
    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=settings.ca_certs_file)
    server = ldap3.Server(settings.url, connect_timeout=settings.timeout, get_info=ldap3.NONE, tls=tls)
    connection = ldap3.Connection(
        server, user=user, password=password, receive_timeout=settings.timeout, raise_exceptions=False
    )
    connection.open()
    if settings.start_tls:
        connection.start_tls()
    return connection


def _service(settings: LdapSettings) -> ldap3.Connection:
    try:
        connection = _connection(settings, settings.service_dn, settings.service_password)
        if not connection.bind():
            raise DirectoryUnavailable(f"the service account's bind was refused: {connection.result['description']}")
    except LDAPException as error:
        raise DirectoryUnavailable(str(error)) from None
    return connection


def _active(settings: LdapSettings, connection: ldap3.Connection, dn: str) -> DirectoryPerson | None:
    """The entry at ``dn`` when it is active, with its groups; None when it is gone or disabled."""
    filter_ = f"(&(objectClass=*){settings.active_filter})"
    attributes = [settings.mail_attribute, settings.name_attribute]
    if not connection.search(dn, filter_, search_scope=ldap3.BASE, attributes=attributes):
        if connection.result["description"] not in ("success", "noSuchObject"):
            raise DirectoryUnavailable(f"the directory refused a search: {connection.result['description']}")
        return None
    entry = connection.response[0]["attributes"]
    found = connection.search(
        settings.group_search_base, settings.group_filter.format(dn=escape_filter_chars(dn)), attributes=[]
    )
    if not found and connection.result["description"] != "success":  # no groups is a success with no entries
        raise DirectoryUnavailable(f"the directory refused the group search: {connection.result['description']}")
    groups = frozenset(item["dn"].lower() for item in connection.response or [] if item.get("type") == "searchResEntry")
    return DirectoryPerson(
        dn=dn, email=_first(entry, settings.mail_attribute), name=_first(entry, settings.name_attribute), groups=groups
    )


def _first(entry: Mapping[str, Any], attribute: str) -> str:
    value = entry.get(attribute)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()


def _dn_for(settings: LdapSettings, service: ldap3.Connection, login: str) -> str | None:
    if settings.bind_dn_template:
        return settings.bind_dn_template.format(login=escape_rdn(login))
    assert settings.user_search_base is not None
    service.search(
        settings.user_search_base, settings.user_filter.format(login=escape_filter_chars(login)), attributes=[]
    )
    found = [item["dn"] for item in service.response or [] if item.get("type") == "searchResEntry"]
    return found[0] if len(found) == 1 else None


def bind_person(settings: LdapSettings, login: str, password: str) -> DirectoryPerson | None:
    """The person whose sign-in name and password these are, when the directory accepts the bind and the account
    is active; None otherwise (no such name, wrong password, disabled). ``DirectoryUnavailable`` when the
    directory cannot be asked."""
    if not password:
        return None  # an empty password is an unauthenticated bind, which many servers accept (RFC 4513 5.1.2)
    service = _service(settings)
    try:
        dn = _dn_for(settings, service, login)
        if dn is None:
            return None
        as_person = _connection(settings, dn, password)
        accepted = as_person.bind()
        as_person.unbind()
        return _active(settings, service, dn) if accepted else None
    except LDAPException as error:
        raise DirectoryUnavailable(str(error)) from None
    finally:
        service.unbind()


def look_up(settings: LdapSettings, dn: str) -> DirectoryPerson | None:
    """The person at ``dn`` as the service account sees them now; None when gone or disabled."""
    service = _service(settings)
    try:
        return _active(settings, service, dn)
    except LDAPException as error:
        raise DirectoryUnavailable(str(error)) from None
    finally:
        service.unbind()

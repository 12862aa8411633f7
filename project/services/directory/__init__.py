"""Directory sign-in (issue 20, item 3): LDAP or Active Directory by bind, OpenID Connect by verified claims;
the Casefile accounts they make, and the re-check that ends a disabled directory account's sessions.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.directory.ldap_settings import DirectoryUnavailable, LdapSettings
from project.services.directory.oidc import OidcSettings, sign_in_with_claims
from project.services.directory.people import SignInRefused, audit_refusal, trusts_provider_mfa
from project.services.directory.sign_in import Recheck, sign_in_with_password, still_vouched_for

__all__ = [
    "DirectoryUnavailable",
    "LdapSettings",
    "OidcSettings",
    "Recheck",
    "SignInRefused",
    "audit_refusal",
    "sign_in_with_claims",
    "sign_in_with_password",
    "still_vouched_for",
    "trusts_provider_mfa",
]

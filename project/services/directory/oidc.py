"""Signing in with OpenID Connect: the claims of a verified ID token become a Casefile account.

Authlib's Flask client (``project.web.accounts.oidc``) does the redirect, checks ``state`` and the nonce,
exchanges the code and verifies the ID token's signature, issuer, audience and expiry; this module only
reads the verified claims. The roles come from one claim (``OIDC_ROLES_CLAIM``: a list of groups or app roles)
through ``OIDC_CLAIM_ROLES``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from project.models import User
from project.services.accounts import Client
from project.services.directory.people import Identity, admit, refuse, roles_for


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    scope: str
    roles_claim: str
    claim_roles: Mapping[str, tuple[str, ...]]
    display_name: str

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> OidcSettings | None:
        """The settings of the app's configuration, or None when OpenID Connect sign-in is off."""
        if not config.get("OIDC_ISSUER"):
            return None
        return cls(
            issuer=config["OIDC_ISSUER"],
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"],
            scope=config["OIDC_SCOPE"],
            roles_claim=config["OIDC_ROLES_CLAIM"],
            claim_roles={value: tuple(roles) for value, roles in config["OIDC_CLAIM_ROLES"].items()},
            display_name=config["OIDC_DISPLAY_NAME"],
        )


def _claim_values(claims: Mapping[str, Any], name: str) -> list[str]:
    value = claims.get(name)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value]
    return []


def sign_in_with_claims(claims: Mapping[str, Any], settings: OidcSettings, client: Client) -> User:
    """The account of the person the verified ID token names; ``SignInRefused`` (audited) when the token names
    no subject, no mapped role, or an email that signs in another way."""
    if not claims.get("sub") or not claims.get("iss"):
        raise refuse(None, "oidc_no_subject", client, "The sign-in service sent no identity. Try again.")
    if claims.get("email_verified") is False:
        message = "Your organisation has not verified your email address, so Casefile cannot use it."
        raise refuse(None, "oidc_email_unverified", client, message)
    identity = Identity(
        source="oidc",
        external_id=f"{claims['iss']} {claims['sub']}"[:512],
        email=str(claims.get("email") or ""),
        name=str(claims.get("name") or ""),
        roles=roles_for(settings.claim_roles, _claim_values(claims, settings.roles_claim)),
    )
    return admit(identity, client)

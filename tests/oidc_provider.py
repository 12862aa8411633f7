"""An OpenID Connect provider for the tests, built from Authlib's own server components (the authorization code
grant with its OpenID extension), served over HTTP on a free local port in a thread for the test session.

The person it signs in is whoever the test puts in ``provider.person`` (None: the person declines), so a test
walks the real flow: Casefile redirects to /authorize, the provider redirects back with a code, Casefile
exchanges it at /token over HTTP and checks the ID token against /jwks.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "casefile"
CLIENT_SECRET = "provider-secret-for-tests"
REDIRECT_URI = "http://localhost/auth/oidc/callback"  # where the Flask test client's Casefile lives


class Client(ClientMixin):
    def get_client_id(self) -> str:
        return CLIENT_ID

    def get_default_redirect_uri(self) -> str:
        return REDIRECT_URI

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri == REDIRECT_URI

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, CLIENT_SECRET)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "client_secret_basic"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    redirect_uri: str
    scope: str
    person: dict[str, Any]
    nonce: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str | None:
        return None

    def get_amr(self) -> list[str] | None:
        return ["pwd", "mfa"]


class Provider:
    """The provider's state: its signing key, its codes, and the person it signs in next."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"})
        self.codes: dict[str, Code] = {}
        self.person: dict[str, Any] | None = None
        self.issuer = ""

    def flask_app(self) -> Flask:
        app = Flask("oidc_provider")
        server = AuthorizationServer(app, query_client=lambda client_id: Client() if client_id == CLIENT_ID else None)
        server.save_token = lambda token, request: None  # the access token is not used afterwards
        server.register_grant(type("ProviderGrant", (CodeGrant,), {"provider": self}), [OpenIdExtension(self)])

        @app.get("/.well-known/openid-configuration")
        def metadata():  # type: ignore[no-untyped-def]
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=f"{self.issuer}/authorize",
                token_endpoint=f"{self.issuer}/token",
                jwks_uri=f"{self.issuer}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                token_endpoint_auth_methods_supported=["client_secret_basic"],
            )

        @app.get("/jwks")
        def jwks():  # type: ignore[no-untyped-def]
            return jsonify(KeySet([self.key]).as_dict(private=False))

        @app.get("/authorize")
        def authorize():  # type: ignore[no-untyped-def]
            grant = server.get_consent_grant(end_user=self.person)
            return server.create_authorization_response(grant=grant, grant_user=self.person)

        @app.post("/token")
        def token():  # type: ignore[no-untyped-def]
            return server.create_token_response()

        return app


class CodeGrant(grants.AuthorizationCodeGrant):
    """Authlib's authorization code grant, keeping its codes in the provider's memory (``provider`` is set on a
    subclass per provider)."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]
    provider: Provider

    def save_authorization_code(self, code: str, request: Any) -> None:
        payload = request.payload
        self.provider.codes[code] = Code(
            code, payload.redirect_uri, payload.scope, request.user, payload.data.get("nonce")
        )

    def query_authorization_code(self, code: str, client: Any) -> Code | None:
        return self.provider.codes.get(code)

    def delete_authorization_code(self, authorization_code: Code) -> None:
        self.provider.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: Code) -> dict[str, Any]:
        return authorization_code.person


class OpenIdExtension(OpenIDCode):
    """Authlib's OpenID extension of the code grant: signs the ID token with the provider's key."""

    def __init__(self, provider: Provider) -> None:
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        return any(code.nonce == nonce for code in self.provider.codes.values())

    def resolve_client_private_key(self, client: Any) -> RSAKey:
        return self.provider.key

    def get_client_algorithm(self, client: Any) -> str:
        return "RS256"

    def get_encode_header(self, client: Any) -> dict[str, str]:
        return {"alg": "RS256", "kid": "test-key"}

    def get_client_claims(self, client: Any) -> dict[str, Any]:
        return {"iss": self.provider.issuer, "aud": [CLIENT_ID], "exp": int(time.time()) + 300}

    def generate_user_info(self, user: dict[str, Any], scope: str) -> UserInfo:
        return UserInfo(user)


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    """The provider, answering at ``provider.issuer`` for the whole session."""
    provider = Provider()
    server = make_server("127.0.0.1", 0, provider.flask_app(), threaded=True)
    provider.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield provider
    server.shutdown()
    thread.join(timeout=10)

"""Signing in with OpenID Connect (issue 20, item 3): the redirect to the identity provider and its callback.

Authlib's Flask client does the protocol: ``state`` and a nonce kept in the signed session, the code exchanged
at the token endpoint with the client secret, the ID token's signature checked against the provider's published
keys, and its issuer, audience, expiry and nonce. What the verified claims mean for Casefile is decided by
``project.services.directory``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from werkzeug.wrappers import Response

from project.services import directory
from project.web.accounts.login import current_client, safe_next_url, within_sign_in_rate
from project.web.accounts.second_factor import after_first_factor

bp = Blueprint("oidc", __name__, url_prefix="/auth/oidc")
NEXT_KEY = "oidc_next"
CLIENTS = "casefile_oidc"


def _settings() -> directory.OidcSettings | None:
    return directory.OidcSettings.from_config(current_app.config)


def _client(settings: directory.OidcSettings) -> Any:
    """Authlib's client for these settings, made once per app and settings (it keeps the provider's metadata)."""
    cached = current_app.extensions.get(CLIENTS)
    if cached is None or cached[0] != settings:
        from authlib.integrations.flask_client import OAuth  # with requests: loaded when first used, not at start

        oauth = OAuth(current_app._get_current_object())  # type: ignore[attr-defined]
        client = oauth.register(
            "casefile",
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            server_metadata_url=settings.metadata_url,
            client_kwargs={"scope": settings.scope, "timeout": 10},
        )
        cached = current_app.extensions[CLIENTS] = (settings, client)
    return cached[1]


def _back_to_sign_in(message: str) -> Response:
    session.pop(NEXT_KEY, None)
    flash(message, "error")
    return redirect(url_for("auth.sign_in"))


@bp.get("")
def start() -> Response:
    settings = _settings()
    if settings is None:
        return _back_to_sign_in("Signing in with an organisation account is not set up here.")
    from authlib.integrations.base_client import OAuthError  # loaded with the client, not at every start-up

    try:
        response: Response = _client(settings).authorize_redirect(url_for("oidc.callback", _external=True))
    except (OAuthError, OSError, ValueError) as error:
        directory.audit_refusal(None, "oidc_unavailable", current_client(), error=str(error)[:200])
        return _back_to_sign_in("The sign-in service cannot be reached just now. Try again in a few minutes.")
    session[NEXT_KEY] = safe_next_url(request.args.get("next"))
    return response


@bp.get("/callback")
def callback() -> Response:
    settings = _settings()
    if settings is None:
        return _back_to_sign_in("Signing in with an organisation account is not set up here.")
    next_url = session.get(NEXT_KEY)
    from authlib.integrations.base_client import OAuthError

    try:
        token = _client(settings).authorize_access_token()
    except (OAuthError, OSError, ValueError) as error:
        directory.audit_refusal(None, "oidc_failed", current_client(), error=str(error)[:200])
        return _back_to_sign_in("Signing in with your organisation account did not complete. Try again.")
    claims = token.get("userinfo") or {}
    if not within_sign_in_rate(str(claims.get("email") or claims.get("sub") or "")):
        return _back_to_sign_in("Too many sign-in attempts. Wait a few minutes and try again.")
    try:
        user = directory.sign_in_with_claims(claims, settings, current_client())
    except directory.SignInRefused as refused:
        return _back_to_sign_in(str(refused))
    return after_first_factor(user, next_url)

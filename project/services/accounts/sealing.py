"""Sealing authenticator secrets at rest with a key derived from ``SECRET_KEY`` (HKDF-SHA256, then Fernet), so a
copy of the database alone does not give anyone the codes: enrolled secrets and pending enrolments alike."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"casefile mfa secret").derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal_secret(secret: str, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(secret.encode()).decode()


def unseal_secret(sealed: str, secret_key: str) -> str | None:
    """A sealed secret in clear; None when the server's key has changed since it was sealed."""
    try:
        return _fernet(secret_key).decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None

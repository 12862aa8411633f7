"""Password hashing (argon2id) and the password rules."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn's 0-4 scale: 3 is "safely unguessable", about 10^8 guesses or more (issue 15, F18)
MAX_LENGTH = 256

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH: str | None = None  # made on first use: hashing costs start-up time in every process


def configure_hasher(params: dict[str, int] | None) -> None:
    """Set argon2id cost parameters (None: the library's defaults). Tests use cheaper ones."""
    global _hasher, _DUMMY_HASH
    params = params or {}
    defaults = PasswordHasher()
    _hasher = PasswordHasher(
        time_cost=params.get("time_cost", defaults.time_cost),
        memory_cost=params.get("memory_cost", defaults.memory_cost),
        parallelism=params.get("parallelism", defaults.parallelism),
    )
    _DUMMY_HASH = None


def _dummy_hash() -> str:
    """A hash to verify against when the account does not exist, so that takes as long as a wrong password."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash("a password nobody has, for equal timing")
    return _DUMMY_HASH


class PasswordRejected(ValueError):
    """The password does not meet the rules; the message says which."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of public breaches, as shipped in zxcvbn's frequency lists."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password_rules(password: str, user_inputs: Sequence[str] = ()) -> None:
    """ASVS 2.1.1 (12 characters at least), 2.1.7 (not a known breached password), and a zxcvbn strength
    score of at least ``MIN_SCORE``, counting the account's own email and name as known words (F18)."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"The password must be at least {MIN_LENGTH} characters long.")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"The password must be at most {MAX_LENGTH} characters long.")
    if password.strip() != password:
        raise PasswordRejected("The password must not begin or end with a space.")
    if password.lower() in common_passwords() or len(set(password)) < 4:
        raise PasswordRejected("This password is too common or too simple to guess. Choose another.")
    from zxcvbn import zxcvbn  # loads its word lists: on first use, not at start-up

    estimate = zxcvbn(password, user_inputs=[word for word in user_inputs if word])
    if estimate["score"] < MIN_SCORE:
        warning = estimate["feedback"].get("warning") or "It follows a pattern that is tried early."
        raise PasswordRejected(
            f"This password is too easy to guess. {warning} A phrase of three or four unrelated words works well."
        )


def hash_password(password: str, user_inputs: Sequence[str] = ()) -> str:
    check_password_rules(password, user_inputs)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches. With no hash, spend the same time and say no."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def upgraded_hash(password_hash: str, password: str) -> str | None:
    """A fresh hash when the stored one uses outdated parameters; call only after a successful verify."""
    return _hasher.hash(password) if _hasher.check_needs_rehash(password_hash) else None

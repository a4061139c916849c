"""Secrets at rest: what only the server must read back (TOTP secrets) is stored encrypted.

Fernet tokens (AES-128-CBC with HMAC-SHA256, from `cryptography`) under `KEEL_ENCRYPTION_KEYS`:
comma-separated keys, the first encrypts and every one decrypts, so a key is rotated by putting a
new one first and keeping the old one listed until every value has been written again. The
development default is refused in production, like the JWT secret.

`SealedString` applies it at the storage edge: the model attribute holds the plaintext, the column
holds the token, and a value that no listed key opens fails loudly (the 2FA of its user stays
closed) instead of being mistaken for something else.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

DEV_ENCRYPTION_KEY = "S2VlbC1kZXZlbG9wbWVudC1rZXktY2hhbmdlLW1lIS0="
"""Development and tests only (refused when `KEEL_ENVIRONMENT=production`)."""

_configured: tuple[str, MultiFernet] | None = None


def key_ring(keys: str) -> MultiFernet:
    """The Fernet keys of a `KEEL_ENCRYPTION_KEYS` value; ValueError naming what is wrong."""
    parts = [key.strip() for key in keys.split(",") if key.strip()]
    if not parts:
        raise ValueError("KEEL_ENCRYPTION_KEYS needs at least one key")
    try:
        return MultiFernet([Fernet(key) for key in parts])
    except (ValueError, TypeError) as error:
        raise ValueError(
            "each KEEL_ENCRYPTION_KEYS entry must be a Fernet key (32 url-safe base64 bytes); make "
            'one with: python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"'
        ) from error


def configure(keys: str) -> None:
    """Use `keys` from now on in this process (the runtime calls it with its settings)."""
    global _configured
    if _configured is None or _configured[0] != keys:
        _configured = (keys, key_ring(keys))


def _ring() -> MultiFernet:
    if _configured is None:
        from keel.server.settings import get_settings

        configure(get_settings().encryption_keys)
    assert _configured is not None
    return _configured[1]


def seal(text: str) -> str:
    return _ring().encrypt(text.encode()).decode("ascii")


def unseal(token: str) -> str:
    try:
        return _ring().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as error:
        raise SealedValueError(
            "a stored secret cannot be opened with KEEL_ENCRYPTION_KEYS: list the key it was "
            "sealed with"
        ) from error


def is_sealed(value: str) -> bool:
    """Whether `value` is a token one of the keys opens."""
    try:
        unseal(value)
    except SealedValueError:
        return False
    return True


class SealedValueError(RuntimeError):
    pass


class SealedString(TypeDecorator[str]):
    """A string column stored as a Fernet token (length is that of the token: ~140 characters
    for a 32-character secret)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else seal(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else unseal(value)

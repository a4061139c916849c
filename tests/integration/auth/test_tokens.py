"""Access tokens: forged, `alg: none`, wrong key, expired or of the wrong kind → 401 problem+json."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from httpx import AsyncClient

from keel.server.settings import DEV_JWT_SECRET
from tests.integration.auth.factories import create_user


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(user_id: str, **changes: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": user_id,
        "role": "admin",
        "iat": now,
        "exp": now + 600,
        "jti": "x",
        "ver": 0,
        "token_use": "access",
    }
    claims.update(changes)
    return claims


def _forgeries(user_id: str) -> dict[str, str]:
    return {
        "alg-none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(user_id))}.",
        "alg-none-signed-empty": jwt.encode(_claims(user_id), key="", algorithm="none"),
        "wrong-key": jwt.encode(
            _claims(user_id), "another-secret-of-at-least-32-characters!", algorithm="HS256"
        ),
        "other-hmac-algorithm": jwt.encode(_claims(user_id), DEV_JWT_SECRET, algorithm="HS384"),
        "expired": jwt.encode(
            _claims(user_id, iat=int(time.time()) - 3600, exp=int(time.time()) - 60),
            DEV_JWT_SECRET,
            algorithm="HS256",
        ),
        "challenge-not-access": jwt.encode(
            _claims(user_id, token_use="2fa-challenge"), DEV_JWT_SECRET, algorithm="HS256"
        ),
        "no-expiry": jwt.encode(
            {k: v for k, v in _claims(user_id).items() if k != "exp"},
            DEV_JWT_SECRET,
            algorithm="HS256",
        ),
        "unknown-user": jwt.encode(
            _claims("00000000-0000-0000-0000-000000000000"), DEV_JWT_SECRET, algorithm="HS256"
        ),
        "garbage": "not.a.token",
    }


@pytest.mark.parametrize("kind", list(_forgeries("u")))
async def test_bad_access_tokens_are_401(client: AsyncClient, kind: str) -> None:
    user = await create_user(client)
    token = _forgeries(user.id)[kind]
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, kind
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_a_correctly_signed_token_is_accepted(client: AsyncClient) -> None:
    """The forgeries above differ from a valid token only in what they break."""
    user = await create_user(client)
    token = jwt.encode(_claims(user.id, role="learner"), DEV_JWT_SECRET, algorithm="HS256")
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize("header", [None, "Bearer", "Basic dXNlcjpwYXNz", "Bearer  ", "Token abc"])
async def test_missing_or_malformed_authorization_is_401(
    client: AsyncClient, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = await client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["type"].endswith("/unauthorized")


async def test_issued_access_token_carries_the_documented_claims(client: AsyncClient) -> None:
    user = await create_user(client)
    claims = jwt.decode(user.access_token, DEV_JWT_SECRET, algorithms=["HS256"])
    assert {"sub", "role", "exp", "iat", "jti"} <= claims.keys()
    assert claims["sub"] == user.id
    assert claims["exp"] - claims["iat"] == 15 * 60

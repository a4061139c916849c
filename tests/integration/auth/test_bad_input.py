"""Malformed JSON, wrong types, huge strings, unknown fields → 4xx problem+json, never a 500."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from tests.integration.auth.factories import create_user

ENDPOINTS = [
    "/api/v1/auth/register",
    "/api/v1/auth/login",
    "/api/v1/auth/login/2fa",
    "/api/v1/auth/refresh",
    "/api/v1/auth/logout",
]

BAD_BODIES: list[tuple[str, bytes]] = [
    ("malformed-json", b'{"email": "a@example.com", "password": '),
    ("not-an-object", b'["a", "b"]'),
    ("null", b"null"),
    ("empty", b""),
    ("wrong-types", b'{"email": 5, "password": [], "refresh_token": {}, "code": 1.5}'),
    ("huge-string", ('{"email": "' + "a" * 60_000 + '@example.com"}').encode()),
    ("nul-bytes", b'{"email": "a\\u0000@example.com", "password": "x\\u0000y"}'),
    ("not-utf8", b'{"email": "\xff\xfe"}'),
]


@pytest.mark.parametrize(("label", "body"), BAD_BODIES, ids=[label for label, _ in BAD_BODIES])
async def test_bad_bodies_are_4xx_problem_json(
    client: AsyncClient, label: str, body: bytes
) -> None:
    for path in ENDPOINTS:
        response = await client.post(
            path, content=body, headers={"Content-Type": "application/json"}
        )
        assert 400 <= response.status_code < 500, (label, path, response.status_code)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_authenticated_endpoints_refuse_bad_bodies(client: AsyncClient) -> None:
    user = await create_user(client)
    cases = [
        ("/api/v1/auth/password", {"current_password": 1, "new_password": None}),
        ("/api/v1/auth/password", {"current_password": "x" * 5000, "new_password": "y"}),
        ("/api/v1/auth/2fa/verify", {"code": "1" * 500}),
        ("/api/v1/auth/2fa/verify", {"code": "12"}),
        ("/api/v1/guardian/links", {"code": ["A"]}),
        ("/api/v1/auth/2fa/disable", {}),
    ]
    for path, body in cases:
        response = await client.post(path, headers=user.headers, json=body)
        assert response.status_code == 422, (path, body, response.text)
        assert response.json()["type"].endswith("/validation-error")


async def test_register_refuses_extra_fields_and_bad_dates(client: AsyncClient) -> None:
    base = {
        "email": "extra@example.com",
        "password": "plum-Orbit-42-velvet",
        "display_name": "X",
        "date_of_birth": "1990-01-01",
    }
    for change in (
        {"is_admin": True},
        {"date_of_birth": "1990-02-30"},
        {"date_of_birth": 19900101},
        {"display_name": "   "},
        {"display_name": "n" * 101},
        {"role": "superuser"},
    ):
        response = await client.post("/api/v1/auth/register", json={**base, **change})
        assert response.status_code == 422, (change, response.text)


async def test_password_policy_table(client: AsyncClient) -> None:
    cases = {
        "short": "Abc-12345",
        "common": "password1234",
        "common-padded": "!!qwertyuiop!!",
        "few-distinct": "abababababababab",
        "contains-email-name": "xx-policyname-2024",
        "too-long": "a1-" * 100,
    }
    for label, password in cases.items():
        response = await client.post(
            "/api/v1/auth/register",
            json={
                "email": "policyname@example.com",
                "password": password,
                "display_name": "Policy",
                "date_of_birth": "1990-01-01",
            },
        )
        assert response.status_code == 422, (label, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")

"""Register, log in, rotate, log out, `/me`, change the password — on PostgreSQL and SQLite."""

from __future__ import annotations

from httpx import AsyncClient

from tests.integration.auth.factories import (
    STRONG_PASSWORD,
    create_user,
    login,
    minor_birth_date,
    register,
    unique_email,
)


async def test_register_login_me(client: AsyncClient) -> None:
    email = unique_email("Mixed.Case").replace("mixed", "MIXED")
    profile = await register(client, email=email)
    assert profile["email"] == email.lower()
    assert profile["role"] == "learner"
    assert profile["is_minor"] is False
    assert "password" not in str(profile).lower()

    tokens = await login(client, email.upper())
    assert tokens["token_type"] == "bearer"
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["id"] == profile["id"]
    assert me.json()["two_factor_enabled"] is False


async def test_a_user_under_18_is_a_minor(client: AsyncClient) -> None:
    minor = await register(client, date_of_birth=minor_birth_date(17))
    adult = await register(client, date_of_birth=minor_birth_date(18))
    assert minor["is_minor"] is True
    assert adult["is_minor"] is False


async def test_duplicate_email_is_409_whatever_the_case(client: AsyncClient) -> None:
    email = unique_email()
    await register(client, email=email)
    again = await client.post(
        "/api/v1/auth/register",
        json={
            "email": email.upper(),
            "password": STRONG_PASSWORD,
            "display_name": "Twin",
            "date_of_birth": "1990-01-01",
        },
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("/email-taken")


async def test_registration_refuses_bad_roles_and_dates(client: AsyncClient) -> None:
    cases = [
        ({"role": "admin"}, 422),
        ({"role": "guardian", "date_of_birth": minor_birth_date(16)}, 422),
        ({"date_of_birth": "2999-01-01"}, 422),
        ({"date_of_birth": "1800-01-01"}, 422),
        ({"email": "not-an-email"}, 422),
    ]
    for change, expected in cases:
        body = {
            "email": unique_email(),
            "password": STRONG_PASSWORD,
            "display_name": "Case",
            "date_of_birth": "1990-01-01",
            **change,
        }
        response = await client.post("/api/v1/auth/register", json=body)
        assert response.status_code == expected, (change, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_wrong_password_and_unknown_email_look_the_same(client: AsyncClient) -> None:
    user = await create_user(client)
    wrong = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": "not-the-password-1"}
    )
    unknown = await client.post(
        "/api/v1/auth/login", json={"email": unique_email(), "password": STRONG_PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


async def test_refresh_rotates_and_the_spent_token_is_refused(client: AsyncClient) -> None:
    user = await create_user(client)
    first = await client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh_token"] != user.refresh_token
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {rotated['access_token']}"}
    )
    assert me.status_code == 200


async def test_reusing_a_spent_refresh_token_revokes_the_family(client: AsyncClient) -> None:
    user = await create_user(client)
    other_device = await login(client, user.email)
    stolen = user.refresh_token
    rotated = (await client.post("/api/v1/auth/refresh", json={"refresh_token": stolen})).json()

    reuse = await client.post("/api/v1/auth/refresh", json={"refresh_token": stolen})
    assert reuse.status_code == 401
    assert reuse.json()["type"].endswith("/invalid-refresh-token")
    # The legitimate holder's newer token is in the same family: revoked too.
    after = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]}
    )
    assert after.status_code == 401
    # Another login (another family) is untouched.
    elsewhere = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": other_device["refresh_token"]}
    )
    assert elsewhere.status_code == 200


async def test_logout_revokes_the_refresh_token(client: AsyncClient) -> None:
    user = await create_user(client)
    out = await client.post("/api/v1/auth/logout", json={"refresh_token": user.refresh_token})
    assert out.status_code == 204
    again = await client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    assert again.status_code == 401
    unknown = await client.post("/api/v1/auth/refresh", json={"refresh_token": "nope"})
    assert unknown.status_code == 401


async def test_changing_the_password_ends_older_sessions(client: AsyncClient) -> None:
    user = await create_user(client)
    new_password = "saffron-Kettle-77-drift"
    changed = await client.post(
        "/api/v1/auth/password",
        headers=user.headers,
        json={"current_password": user.password, "new_password": new_password},
    )
    assert changed.status_code == 200, changed.text
    fresh = changed.json()
    assert (await client.get("/api/v1/me", headers=user.headers)).status_code == 401
    refresh_old = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": user.refresh_token}
    )
    assert refresh_old.status_code == 401
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {fresh['access_token']}"}
    )
    assert me.status_code == 200
    old_login = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": user.password}
    )
    assert old_login.status_code == 401
    await login(client, user.email, new_password)


async def test_changing_the_password_needs_the_current_one(client: AsyncClient) -> None:
    user = await create_user(client)
    wrong = await client.post(
        "/api/v1/auth/password",
        headers=user.headers,
        json={"current_password": "guess-guess-guess", "new_password": "saffron-Kettle-77-drift"},
    )
    assert wrong.status_code == 403
    weak = await client.post(
        "/api/v1/auth/password",
        headers=user.headers,
        json={"current_password": user.password, "new_password": "password1234"},
    )
    assert weak.status_code == 422
    assert weak.json()["type"].endswith("/weak-password")

"""Teachers, classes and rosters for integration tests, through the real HTTP API."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from keel.server.runtime import Runtime
from tests.integration.auth.factories import STRONG_PASSWORD, AuthedUser, login, unique_email
from tests.integration.breakers.factories import create_admin

NEW_PASSWORD = "harbour-Lantern-77-moss"  # pragma: allowlist secret


async def signed_in(
    client: AsyncClient, email: str, one_time_password: str, new_password: str = NEW_PASSWORD
) -> AuthedUser:
    """Sign in with a one-time password and choose a new one (as a first sign-in must)."""
    tokens = await login(client, email, one_time_password)
    changed = await client.post(
        "/api/v1/auth/password",
        json={"current_password": one_time_password, "new_password": new_password},
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert changed.status_code == 200, changed.text
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {changed.json()['access_token']}"}
    )
    return AuthedUser(
        id=me.json()["id"],
        email=email,
        password=new_password,
        access_token=changed.json()["access_token"],
        refresh_token=changed.json()["refresh_token"],
    )


async def create_teacher(
    client: AsyncClient, runtime: Runtime, admin: AuthedUser | None = None
) -> AuthedUser:
    """An admin creates a teacher, who signs in and picks a password."""
    admin = admin or await create_admin(client, runtime)
    email = unique_email("teacher")
    created = await client.post(
        "/api/v1/admin/teachers",
        json={"email": email, "display_name": "Ms Rivera", "date_of_birth": "1980-02-03"},
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    return await signed_in(client, email, created.json()["one_time_password"], STRONG_PASSWORD)


def market(**overrides: Any) -> dict[str, Any]:
    """A class's own market: the 2008 crash, SPX and GOOG, paused (tests step it by hand)."""
    body: dict[str, Any] = {
        "name": "Our 2008",
        "start_date": "2008-09-02",
        "universe": ["SPX", "GOOG"],
        "starting_cash": "10000",
        "breaker_mode": "measure",
        "max_position_fraction": "0.5",
        "paused": True,
    }
    body.update(overrides)
    return body


async def create_class(client: AsyncClient, teacher: AuthedUser, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Period 3", "scenario": market()}
    body.update(fields)
    response = await client.post("/api/v1/classes", json=body, headers=teacher.headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def roster_csv(count: int, *, prefix: str = "student") -> str:
    lines = ["name,email,date_of_birth"]
    tag = unique_email(prefix).split("@")[0]
    lines += [
        f"Student {n:02d},{tag}-{n}@example.com,1990-05-{n % 28 + 1:02d}" for n in range(count)
    ]
    return "\n".join(lines) + "\n"


async def import_students(
    client: AsyncClient, teacher: AuthedUser, class_id: str, count: int
) -> list[dict[str, Any]]:
    response = await client.post(
        f"/api/v1/classes/{class_id}/roster",
        json={"csv": roster_csv(count)},
        headers=teacher.headers,
    )
    assert response.status_code == 201, response.text
    created: list[dict[str, Any]] = response.json()["created"]
    return created


async def students_signed_in(
    client: AsyncClient, teacher: AuthedUser, class_id: str, count: int
) -> list[tuple[AuthedUser, str]]:
    """`count` imported students, each signed in with their own password: (user, account id)."""
    created = await import_students(client, teacher, class_id, count)
    return [
        (await signed_in(client, item["email"], item["one_time_password"]), item["account_id"])
        for item in created
    ]

"""A guardian linked to a minor, through the real HTTP API."""

from __future__ import annotations

from httpx import AsyncClient

from tests.integration.auth.factories import AuthedUser, create_user, minor_birth_date


async def linked_family(client: AsyncClient, age: int = 14) -> tuple[AuthedUser, AuthedUser]:
    """(guardian, minor), the minor linked by redeeming the guardian's invitation code."""
    guardian = await create_user(client, role="guardian")
    minor = await create_user(client, date_of_birth=minor_birth_date(age))
    invitation = await client.post("/api/v1/guardian/invitations", headers=guardian.headers)
    assert invitation.status_code == 201, invitation.text
    linked = await client.post(
        "/api/v1/guardian/links", headers=minor.headers, json={"code": invitation.json()["code"]}
    )
    assert linked.status_code == 201, linked.text
    minor.guardian = guardian
    return guardian, minor

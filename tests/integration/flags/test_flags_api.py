"""Flags per user and cohort, evaluated by OpenFeature's flagd file provider; admins change them."""

from __future__ import annotations

import asyncio
from typing import Any

from httpx import AsyncClient

from keel.server.runtime import Runtime
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.breakers.factories import create_admin

SIGNALS = "model-signals"


async def my_flags(client: AsyncClient, user: AuthedUser) -> dict[str, Any]:
    response = await client.get("/api/v1/me/flags", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def move(client: AsyncClient, admin: AuthedUser, user: AuthedUser, cohort: str) -> None:
    response = await client.put(
        "/api/v1/admin/cohorts", json={"email": user.email, "cohort": cohort}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["cohort"] == cohort


async def signals_for(client: AsyncClient, user: AuthedUser, expected: bool) -> dict[str, Any]:
    """The user's model-signals flag once it is `expected` (the provider re-reads its file
    within a fifth of a second of a change), failing after 10 s."""
    for _ in range(200):
        flag: dict[str, Any] = (await my_flags(client, user))["flags"][SIGNALS]
        if flag["value"] is expected:
            return flag
        await asyncio.sleep(0.05)
    raise AssertionError(f"{SIGNALS} stayed {flag} for {user.email}")


async def test_a_beta_user_sees_model_signals_and_a_general_user_does_not(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    general, beta = await create_user(client), await create_user(client)
    await move(client, admin, beta, "beta")

    general_flags, beta_flags = await my_flags(client, general), await my_flags(client, beta)
    assert general_flags["cohort"] == "general" and beta_flags["cohort"] == "beta"
    assert general_flags["flags"][SIGNALS] == {
        "value": False,
        "variant": "off",
        "reason": "DEFAULT",
    }
    assert beta_flags["flags"][SIGNALS] == {
        "value": True,
        "variant": "on",
        "reason": "TARGETING_MATCH",
    }
    # Every flag of the shipped file is evaluated; the feedback button is on for everyone.
    assert general_flags["flags"]["feedback-button"]["value"] is True
    me = await client.get("/api/v1/me", headers=beta.headers)
    assert me.json()["cohort"] == "beta"


async def test_an_admin_change_takes_effect_without_a_restart_and_is_audited(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    general = await create_user(client)
    await signals_for(client, general, False)

    changed = await client.patch(
        f"/api/v1/admin/flags/{SIGNALS}",
        json={"cohorts": {"beta": "on", "general": "on"}},
        headers=admin.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["changed"] is True and changed.json()["updated_by"] == admin.email
    assert (await signals_for(client, general, True))["reason"] == "TARGETING_MATCH"

    off = await client.patch(
        f"/api/v1/admin/flags/{SIGNALS}", json={"state": "DISABLED"}, headers=admin.headers
    )
    assert off.status_code == 200, off.text
    assert (await signals_for(client, general, False))["reason"] == "DISABLED"

    listed = (await client.get("/api/v1/admin/flags", headers=admin.headers)).json()
    flag = next(each for each in listed["flags"] if each["key"] == SIGNALS)
    assert flag["state"] == "DISABLED" and flag["cohorts"] == {"beta": "on", "general": "on"}
    assert listed["read_only"] is False and listed["source"] == "flags file"

    trail = (
        await client.get(f"/api/v1/admin/flags/changes?key={SIGNALS}", headers=admin.headers)
    ).json()
    assert [row["detail"]["after"]["state"] for row in trail] == ["DISABLED", None]
    assert trail[0]["detail"]["before"]["cohorts"] == {"beta": "on", "general": "on"}
    assert {row["actor"] for row in trail} == {admin.email}


async def test_flag_changes_are_refused_in_plain_words(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    learner = await create_user(client)
    unknown = await client.patch(
        "/api/v1/admin/flags/no-such-flag", json={"state": "DISABLED"}, headers=admin.headers
    )
    assert unknown.status_code == 404 and unknown.json()["type"] == "/problems/unknown-flag"
    variant = await client.patch(
        f"/api/v1/admin/flags/{SIGNALS}", json={"default_variant": "maybe"}, headers=admin.headers
    )
    assert variant.status_code == 422 and variant.json()["type"] == "/problems/unknown-variant"
    assert variant.json()["figures"] == {"asked": "maybe", "variants": "off, on"}
    cohort = await client.patch(
        f"/api/v1/admin/flags/{SIGNALS}", json={"cohorts": {"gamma": "on"}}, headers=admin.headers
    )
    assert cohort.status_code == 422 and cohort.json()["type"] == "/problems/validation-error"
    for method, path in (
        ("GET", "/api/v1/admin/flags"),
        ("PATCH", f"/api/v1/admin/flags/{SIGNALS}"),
        ("PUT", "/api/v1/admin/cohorts"),
    ):
        body = (
            {"state": "ENABLED"}
            if method == "PATCH"
            else {"email": learner.email, "cohort": "beta"}
        )
        answer = await client.request(
            method, path, json=None if method == "GET" else body, headers=learner.headers
        )
        assert answer.status_code == 403 and answer.json()["type"] == "/problems/admin-only"
    nobody = await client.put(
        "/api/v1/admin/cohorts",
        json={"email": "nobody@example.com", "cohort": "beta"},
        headers=admin.headers,
    )
    assert nobody.status_code == 404

"""The API enforces the flags, not only the web app: a flagged route answers 403
`feature-not-enabled` to a user the flag is off for, evaluated per user as `/me/flags` is."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from httpx import AsyncClient, Response

from keel.server.flags.deps import requires_flag
from keel.server.runtime import Runtime
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.breakers.factories import create_admin
from tests.integration.flags.test_flags_api import move

FEEDBACK = {"text": "The chart is hard to read.", "page": "/markets/SPX"}


def assert_not_enabled(response: Response, flag: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["type"] == "/problems/feature-not-enabled" and body["flag"] == flag
    assert body["glossary"] == "/api/v1/glossary/feature-flag"


async def answer_once(
    client: AsyncClient, method: str, path: str, user: AuthedUser, status: int, **kwargs: Any
) -> Response:
    """The answer to `method path` once its status is `status` (an admin's flag change reaches the
    provider within a fifth of a second), failing after 10 s."""
    for _ in range(200):
        response = await client.request(method, path, headers=user.headers, **kwargs)
        if response.status_code == status:
            return response
        await asyncio.sleep(0.05)
    raise AssertionError(f"{method} {path} stayed {response.status_code}: {response.text}")


async def change(client: AsyncClient, admin: AuthedUser, key: str, patch: dict[str, Any]) -> None:
    changed = await client.patch(f"/api/v1/admin/flags/{key}", json=patch, headers=admin.headers)
    assert changed.status_code == 200, changed.text


async def test_signals_answer_the_beta_cohort_and_refuse_everyone_else(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    general, beta = await create_user(client), await create_user(client)
    await move(client, admin, beta, "beta")

    assert (await client.get("/api/v1/signals", headers=beta.headers)).json() == []  # no model
    assert_not_enabled(
        await client.get("/api/v1/signals", headers=general.headers), "model-signals"
    )
    # The admin is in the general cohort too: the flag, not the role, decides.
    assert_not_enabled(await client.get("/api/v1/signals", headers=admin.headers), "model-signals")
    anonymous = await client.get("/api/v1/signals")
    assert anonymous.status_code == 401 and anonymous.json()["type"] == "/problems/unauthorized"

    # Moving the user out of beta applies to their next request (no new token needed) ...
    await move(client, admin, beta, "general")
    assert_not_enabled(await client.get("/api/v1/signals", headers=beta.headers), "model-signals")
    # ... and so does an admin's change of the flag, without a restart.
    await change(client, admin, "model-signals", {"cohorts": {"general": "on"}})
    assert (await answer_once(client, "GET", "/api/v1/signals", general, 200)).json() == []


async def test_feedback_is_refused_while_the_feedback_button_is_off_for_the_sender(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    general, beta = await create_user(client), await create_user(client)
    await move(client, admin, beta, "beta")
    sent = await client.post("/api/v1/feedback", json=FEEDBACK, headers=general.headers)
    assert sent.status_code == 201, sent.text

    # Off for the beta cohort only: beta is refused, general still sends.
    await change(client, admin, "feedback-button", {"cohorts": {"beta": "off"}})
    refused = await answer_once(client, "POST", "/api/v1/feedback", beta, 403, json=FEEDBACK)
    assert_not_enabled(refused, "feedback-button")
    sent = await client.post("/api/v1/feedback", json=FEEDBACK, headers=general.headers)
    assert sent.status_code == 201, sent.text

    # "Turn off for everyone": the flag's file default is `on`, but a disabled flag is off (the
    # flagd provider alone would answer the default), in /me/flags and in the API alike.
    await change(client, admin, "feedback-button", {"state": "DISABLED"})
    refused = await answer_once(client, "POST", "/api/v1/feedback", general, 403, json=FEEDBACK)
    assert_not_enabled(refused, "feedback-button")
    mine = (await client.get("/api/v1/me/flags", headers=general.headers)).json()
    assert mine["flags"]["feedback-button"]["value"] is False
    assert mine["flags"]["feedback-button"]["reason"] == "DISABLED"
    # What was sent before stays readable and triageable: only sending is behind the flag.
    # (How many were sent before depends on how soon the change arrived: the polls send too.)
    listed = await client.get("/api/v1/admin/feedback", headers=admin.headers)
    assert listed.status_code == 200 and listed.json()["total"] >= 2
    first = listed.json()["items"][0]["id"]
    triaged = await client.patch(
        f"/api/v1/admin/feedback/{first}", json={"status": "done"}, headers=admin.headers
    )
    assert triaged.status_code == 200, triaged.text

    await change(client, admin, "feedback-button", {"state": "ENABLED", "cohorts": None})
    await answer_once(client, "POST", "/api/v1/feedback", beta, 201, json=FEEDBACK)


def test_only_a_flag_the_file_must_define_can_gate_a_route() -> None:
    with pytest.raises(ValueError, match="gates no route"):
        requires_flag("no-such-flag")

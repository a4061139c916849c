"""2FA cannot be guessed: wrong codes are counted per user on every endpoint that takes one, a
right password clears nothing before the second step, a login challenge is good for one try, one
authenticator code logs in once even when sent concurrently, and login routes stay in the
anonymous rate-limit tier whatever token is sent."""

from __future__ import annotations

import asyncio

import pytest
from httpx import AsyncClient

from keel.server.auth.throttle import SECOND_FACTOR_POLICY
from tests.integration.approvals.factories import enable_2fa
from tests.integration.auth.factories import client_with, create_user, login, totp_code

WRONG = "000000"


async def _challenge(client: AsyncClient, email: str, password: str) -> str:
    body = await login(client, email, password)
    assert body["two_factor_required"] is True
    return str(body["challenge_token"])


async def test_a_right_password_does_not_reset_the_count_of_wrong_codes(
    client: AsyncClient,
) -> None:
    user = await create_user(client)
    await enable_2fa(client, user)
    statuses = []
    for _ in range(SECOND_FACTOR_POLICY.free_failures + 1):
        challenge = await _challenge(client, user.email, user.password)
        answer = await client.post(
            "/api/v1/auth/login/2fa", json={"challenge_token": challenge, "code": WRONG}
        )
        statuses.append(answer.status_code)
    assert statuses == [401] * SECOND_FACTOR_POLICY.free_failures + [429]
    assert answer.json()["type"].endswith("/second-factor-throttled")
    assert int(answer.headers["retry-after"]) >= 1


async def test_a_challenge_is_good_for_one_try(client: AsyncClient) -> None:
    user = await create_user(client)
    secret = await enable_2fa(client, user)
    challenge = await _challenge(client, user.email, user.password)
    wrong = await client.post(
        "/api/v1/auth/login/2fa", json={"challenge_token": challenge, "code": WRONG}
    )
    assert wrong.status_code == 401
    reused = await client.post(
        "/api/v1/auth/login/2fa",
        json={"challenge_token": challenge, "code": totp_code(secret, 0)},
    )
    assert reused.status_code == 401
    assert "already used" in reused.json()["detail"]
    fresh = await _challenge(client, user.email, user.password)
    right = await client.post(
        "/api/v1/auth/login/2fa", json={"challenge_token": fresh, "code": totp_code(secret, 0)}
    )
    assert right.status_code == 200, right.text


async def test_wrong_codes_count_on_every_endpoint_that_takes_one(client: AsyncClient) -> None:
    guardian = await create_user(client, role="guardian")
    secret = await enable_2fa(client, guardian)
    wrong_body = {"code": WRONG}
    password_body = {
        "current_password": guardian.password,
        "new_password": "copper-Lantern-19-mist",
        "code": WRONG,
    }
    decisions = {
        "decisions": [{"order_id": "no-such-order", "decision": "approve"}],
        "code": WRONG,
    }
    attempts = [
        ("/api/v1/auth/2fa/disable", wrong_body),
        ("/api/v1/auth/2fa/recovery-codes", wrong_body),
        ("/api/v1/auth/password", password_body),
        ("/api/v1/guardian/approvals/decisions", decisions),
    ]
    statuses = []
    for path, body in attempts:
        answer = await client.post(path, json=body, headers=guardian.headers)
        statuses.append(answer.status_code)
    challenge = await _challenge(client, guardian.email, guardian.password)
    second_step = await client.post(
        "/api/v1/auth/login/2fa", json={"challenge_token": challenge, "code": WRONG}
    )
    assert statuses == [403, 403, 403, 403]
    assert second_step.status_code == 401
    # Five wrong codes in all: even the right code is not checked now.
    locked = await client.post(
        "/api/v1/auth/2fa/disable", json={"code": totp_code(secret, 0)}, headers=guardian.headers
    )
    assert locked.status_code == 429, locked.text
    assert locked.json()["type"].endswith("/second-factor-throttled")
    me = await client.get("/api/v1/me", headers=guardian.headers)
    assert me.json()["two_factor_enabled"] is True


async def test_one_code_sent_ten_times_at_once_logs_in_once(client: AsyncClient) -> None:
    user = await create_user(client)
    secret = await enable_2fa(client, user)
    challenges = [await _challenge(client, user.email, user.password) for _ in range(10)]
    code = totp_code(secret, 0)
    answers = await asyncio.gather(
        *(
            client.post("/api/v1/auth/login/2fa", json={"challenge_token": challenge, "code": code})
            for challenge in challenges
        )
    )
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 401, 429}


async def test_turning_2fa_on_ends_every_other_session(client: AsyncClient) -> None:
    user = await create_user(client)
    other_device = await login(client, user.email, user.password)
    old_access = user.access_token
    await enable_2fa(client, user)  # swaps in the new pair the answer carries
    assert user.access_token != old_access
    other_headers = {"Authorization": f"Bearer {other_device['access_token']}"}
    assert (await client.get("/api/v1/me", headers=other_headers)).status_code == 401
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": other_device["refresh_token"]}
    )
    assert refreshed.status_code == 401
    stale = {"Authorization": f"Bearer {old_access}"}
    assert (await client.get("/api/v1/me", headers=stale)).status_code == 401
    assert (await client.get("/api/v1/me", headers=user.headers)).status_code == 200


async def test_login_routes_stay_in_the_anonymous_tier_with_a_token(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    limits = {"rate_limit_anonymous": "6/minute", "rate_limit_learner": "100/minute"}
    async with client_with(database_url, tmp_path_factory.mktemp("var"), **limits) as client:
        user = await create_user(client)  # register + login: two anonymous hits
        statuses = []
        for _ in range(5):
            answer = await client.post(
                "/api/v1/auth/login",
                json={"email": user.email, "password": "not-the-password"},
                headers=user.headers,
            )
            statuses.append(answer.status_code)
        assert statuses == [401, 401, 401, 401, 429]
        assert answer.json()["type"].endswith("/rate-limited")
        assert answer.headers["ratelimit-limit"] == "6"
        # Routes that need the token still count it in the learner tier.
        me = await client.get("/api/v1/me", headers=user.headers)
        assert me.status_code == 200
        assert me.headers["ratelimit-limit"] == "100"

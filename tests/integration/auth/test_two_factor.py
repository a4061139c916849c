"""TOTP 2FA: enrol, activate, two-step login, single-use codes and recovery codes, step-up, disable."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.integration.auth.factories import AuthedUser, create_user, totp_code


async def _enable_2fa(client: AsyncClient, user: AuthedUser) -> tuple[str, list[str]]:
    enrol = await client.post("/api/v1/auth/2fa/enrol", headers=user.headers)
    assert enrol.status_code == 200, enrol.text
    secret = enrol.json()["secret"]
    verify = await client.post(
        "/api/v1/auth/2fa/verify", headers=user.headers, json={"code": totp_code(secret, -1)}
    )
    assert verify.status_code == 200, verify.text
    # Turning 2FA on ends every older session: the caller carries on with the new pair.
    user.access_token = verify.json()["tokens"]["access_token"]
    user.refresh_token = verify.json()["tokens"]["refresh_token"]
    return secret, verify.json()["recovery_codes"]


async def _password_step(client: AsyncClient, user: AuthedUser) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": user.password}
    )
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def test_enrolment_gives_uri_and_qr_and_needs_a_valid_code(client: AsyncClient) -> None:
    user = await create_user(client)
    enrol = (await client.post("/api/v1/auth/2fa/enrol", headers=user.headers)).json()
    assert enrol["otpauth_uri"].startswith("otpauth://totp/Keel:")
    assert enrol["secret"] in enrol["otpauth_uri"]
    assert enrol["qr_svg"].startswith("data:image/svg+xml")
    wrong = await client.post(
        "/api/v1/auth/2fa/verify", headers=user.headers, json={"code": "000000"}
    )
    assert wrong.status_code == 403
    me = (await client.get("/api/v1/me", headers=user.headers)).json()
    assert me["two_factor_enabled"] is False


async def test_login_with_2fa_takes_a_second_step(client: AsyncClient) -> None:
    user = await create_user(client)
    secret, recovery = await _enable_2fa(client, user)
    assert len(recovery) == len(set(recovery)) == 10

    challenge = await _password_step(client, user)
    assert challenge["two_factor_required"] is True
    assert "access_token" not in challenge
    # The challenge is not an access token.
    as_access = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {challenge['challenge_token']}"}
    )
    assert as_access.status_code == 401

    code = totp_code(secret, 0)
    second = await client.post(
        "/api/v1/auth/login/2fa",
        json={"challenge_token": challenge["challenge_token"], "code": code},
    )
    assert second.status_code == 200, second.text
    assert second.json()["access_token"]
    replay = await client.post(
        "/api/v1/auth/login/2fa",
        json={"challenge_token": challenge["challenge_token"], "code": code},
    )
    assert replay.status_code == 401


async def test_recovery_codes_work_once(client: AsyncClient) -> None:
    user = await create_user(client)
    _, recovery = await _enable_2fa(client, user)
    challenge = (await _password_step(client, user))["challenge_token"]
    loosely_typed = recovery[3].lower().replace("-", " ")
    first = await client.post(
        "/api/v1/auth/login/2fa", json={"challenge_token": challenge, "code": loosely_typed}
    )
    assert first.status_code == 200, first.text
    again = await client.post(
        "/api/v1/auth/login/2fa", json={"challenge_token": challenge, "code": recovery[3]}
    )
    assert again.status_code == 401
    fresh = (await _password_step(client, user))["challenge_token"]
    other = await client.post(
        "/api/v1/auth/login/2fa", json={"challenge_token": fresh, "code": recovery[4]}
    )
    assert other.status_code == 200


async def test_password_change_needs_a_fresh_code_with_2fa_on(client: AsyncClient) -> None:
    user = await create_user(client)
    secret, _ = await _enable_2fa(client, user)
    body = {"current_password": user.password, "new_password": "copper-Lantern-19-mist"}
    missing = await client.post("/api/v1/auth/password", headers=user.headers, json=body)
    assert missing.status_code == 403
    assert missing.json()["type"].endswith("/second-factor-required")
    wrong = await client.post(
        "/api/v1/auth/password", headers=user.headers, json={**body, "code": "123456"}
    )
    assert wrong.status_code == 403
    assert wrong.json()["type"].endswith("/invalid-second-factor")
    ok = await client.post(
        "/api/v1/auth/password", headers=user.headers, json={**body, "code": totp_code(secret, 0)}
    )
    assert ok.status_code == 200, ok.text


async def test_disable_with_a_recovery_code_then_login_is_one_step(client: AsyncClient) -> None:
    user = await create_user(client)
    _, recovery = await _enable_2fa(client, user)
    refused = await client.post(
        "/api/v1/auth/2fa/disable", headers=user.headers, json={"code": "999999"}
    )
    assert refused.status_code == 403
    disabled = await client.post(
        "/api/v1/auth/2fa/disable", headers=user.headers, json={"code": recovery[0]}
    )
    assert disabled.status_code == 204
    tokens = await _password_step(client, user)
    assert "access_token" in tokens
    me = (await client.get("/api/v1/me", headers=user.headers)).json()
    assert me["two_factor_enabled"] is False


async def test_regenerated_recovery_codes_replace_the_old_ones(client: AsyncClient) -> None:
    user = await create_user(client)
    secret, old = await _enable_2fa(client, user)
    fresh = await client.post(
        "/api/v1/auth/2fa/recovery-codes", headers=user.headers, json={"code": totp_code(secret)}
    )
    assert fresh.status_code == 200
    new = fresh.json()["recovery_codes"]
    assert not set(new) & set(old)
    challenge = (await _password_step(client, user))["challenge_token"]
    stale = await client.post(
        "/api/v1/auth/login/2fa", json={"challenge_token": challenge, "code": old[0]}
    )
    assert stale.status_code == 401
    challenge = (await _password_step(client, user))["challenge_token"]
    current = await client.post(
        "/api/v1/auth/login/2fa", json={"challenge_token": challenge, "code": new[0]}
    )
    assert current.status_code == 200


async def test_enrolling_twice_once_active_is_409(client: AsyncClient) -> None:
    user = await create_user(client)
    await _enable_2fa(client, user)
    again = await client.post("/api/v1/auth/2fa/enrol", headers=user.headers)
    assert again.status_code == 409

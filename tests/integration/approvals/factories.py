"""Guardians with 2FA and minors' orders waiting for them, through the real HTTP API."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient, Response

from tests.integration.auth.factories import AuthedUser, totp_code


async def enable_2fa(client: AsyncClient, user: AuthedUser) -> str:
    """Turn on 2FA for `user` (spends the code one step back); returns the TOTP secret."""
    enrol = await client.post("/api/v1/auth/2fa/enrol", headers=user.headers)
    assert enrol.status_code == 200, enrol.text
    secret: str = enrol.json()["secret"]
    verify = await client.post(
        "/api/v1/auth/2fa/verify", headers=user.headers, json={"code": totp_code(secret, -1)}
    )
    assert verify.status_code == 200, verify.text
    # Turning 2FA on ends every older session: the caller carries on with the new pair.
    user.access_token = verify.json()["tokens"]["access_token"]
    user.refresh_token = verify.json()["tokens"]["refresh_token"]
    return secret


async def decide(
    client: AsyncClient, guardian: AuthedUser, code: str | None, *decisions: tuple[str, ...]
) -> Response:
    """POST /guardian/approvals/decisions: each decision is (order id, "approve") or
    (order id, "reject", reason)."""
    body: dict[str, Any] = {
        "decisions": [
            {"order_id": d[0], "decision": d[1], **({"reason": d[2]} if len(d) > 2 else {})}
            for d in decisions
        ]
    }
    if code is not None:
        body["code"] = code
    return await client.post(
        "/api/v1/guardian/approvals/decisions", json=body, headers=guardian.headers
    )

"""Guardian invites → minor links; limits; a guardian reaches only the minors linked to them."""

from __future__ import annotations

from httpx import AsyncClient

from tests.integration.auth.factories import AuthedUser, create_user, minor_birth_date


async def _invite(client: AsyncClient, guardian: AuthedUser) -> str:
    response = await client.post("/api/v1/guardian/invitations", headers=guardian.headers)
    assert response.status_code == 201, response.text
    code: str = response.json()["code"]
    return code


async def _family(client: AsyncClient) -> tuple[AuthedUser, AuthedUser]:
    guardian = await create_user(client, role="guardian")
    minor = await create_user(client, date_of_birth=minor_birth_date(14))
    code = await _invite(client, guardian)
    linked = await client.post(
        "/api/v1/guardian/links", headers=minor.headers, json={"code": code.lower()}
    )
    assert linked.status_code == 201, linked.text
    assert linked.json()["guardian_id"] == guardian.id
    return guardian, minor


async def test_invite_link_and_list(client: AsyncClient) -> None:
    guardian, minor = await _family(client)
    minors = (await client.get("/api/v1/guardian/minors", headers=guardian.headers)).json()
    assert [m["id"] for m in minors] == [minor.id]
    assert minors[0]["is_minor"] is True
    assert minors[0]["limits"] == {"max_order_notional": None, "trading_paused": False}
    mine = (await client.get("/api/v1/guardian/links", headers=minor.headers)).json()
    assert [link["guardian_id"] for link in mine] == [guardian.id]


async def test_a_code_links_once(client: AsyncClient) -> None:
    guardian = await create_user(client, role="guardian")
    code = await _invite(client, guardian)
    first = await create_user(client, date_of_birth=minor_birth_date(12))
    second = await create_user(client, date_of_birth=minor_birth_date(13))
    ok = await client.post("/api/v1/guardian/links", headers=first.headers, json={"code": code})
    assert ok.status_code == 201
    reused = await client.post(
        "/api/v1/guardian/links", headers=second.headers, json={"code": code}
    )
    assert reused.status_code == 404
    assert reused.json()["type"].endswith("/invalid-invitation")


async def test_who_may_redeem(client: AsyncClient) -> None:
    guardian = await create_user(client, role="guardian")
    adult = await create_user(client)
    code = await _invite(client, guardian)
    refused = await client.post(
        "/api/v1/guardian/links", headers=adult.headers, json={"code": code}
    )
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/minors-only")
    minor = await create_user(client, date_of_birth=minor_birth_date(15))
    unknown = await client.post(
        "/api/v1/guardian/links", headers=minor.headers, json={"code": "ZZZZZ-ZZZZZ"}
    )
    assert unknown.status_code == 404
    await client.post("/api/v1/guardian/links", headers=minor.headers, json={"code": code})
    again = await client.post(
        "/api/v1/guardian/links",
        headers=minor.headers,
        json={"code": await _invite(client, guardian)},
    )
    assert again.status_code == 409 and again.json()["type"].endswith("/already-linked")
    other = await create_user(client, role="guardian")
    second_code = await _invite(client, other)
    second = await client.post(
        "/api/v1/guardian/links", headers=minor.headers, json={"code": second_code}
    )
    assert second.status_code == 201, second.text
    third_code = await _invite(client, await create_user(client, role="guardian"))
    third = await client.post(
        "/api/v1/guardian/links", headers=minor.headers, json={"code": third_code}
    )
    assert third.status_code == 409 and third.json()["type"].endswith("/guardians-full")
    links = (await client.get("/api/v1/guardian/links", headers=minor.headers)).json()
    assert [link["guardian_id"] for link in links] == [guardian.id, other.id]


async def test_only_guardians_invite_and_list(client: AsyncClient) -> None:
    learner = await create_user(client)
    for method, path in [
        ("POST", "/api/v1/guardian/invitations"),
        ("GET", "/api/v1/guardian/minors"),
    ]:
        response = await client.request(method, path, headers=learner.headers)
        assert response.status_code == 403, path
        assert response.json()["type"].endswith("/guardian-only")


async def test_limits_round_trip(client: AsyncClient) -> None:
    guardian, minor = await _family(client)
    path = f"/api/v1/guardian/minors/{minor.id}/limits"
    put = await client.put(
        path,
        headers=guardian.headers,
        json={"max_order_notional": "250.50", "trading_paused": True},
    )
    assert put.status_code == 200, put.text
    got = (await client.get(path, headers=guardian.headers)).json()
    assert got == {"max_order_notional": "250.50", "trading_paused": True}
    # A field left out stays as it is: clearing the cap keeps the pause.
    cleared = await client.put(path, headers=guardian.headers, json={"max_order_notional": None})
    assert cleared.json() == {"max_order_notional": None, "trading_paused": True}


async def test_limits_accept_partial_updates(client: AsyncClient) -> None:
    guardian, minor = await _family(client)
    path = f"/api/v1/guardian/minors/{minor.id}/limits"
    capped = await client.patch(path, headers=guardian.headers, json={"max_order_notional": "80"})
    assert capped.json() == {"max_order_notional": "80.00", "trading_paused": False}
    paused = await client.patch(path, headers=guardian.headers, json={"trading_paused": True})
    assert paused.status_code == 200, paused.text
    assert paused.json() == {"max_order_notional": "80.00", "trading_paused": True}
    unchanged = await client.patch(path, headers=guardian.headers, json={})
    assert unchanged.json() == {"max_order_notional": "80.00", "trading_paused": True}
    resumed = await client.patch(path, headers=guardian.headers, json={"trading_paused": False})
    assert resumed.json() == {"max_order_notional": "80.00", "trading_paused": False}
    assert (await client.get(path, headers=guardian.headers)).json() == resumed.json()
    for bad in [{"trading_paused": "yes"}, {"max_order_notional": "0"}, {"other": 1}]:
        refused = await client.patch(path, headers=guardian.headers, json=bad)
        assert refused.status_code == 422, (bad, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")


async def test_limits_refuse_bad_amounts(client: AsyncClient) -> None:
    guardian, minor = await _family(client)
    path = f"/api/v1/guardian/minors/{minor.id}/limits"
    for bad in ["0", "-5", "NaN", "Infinity", "1e30", "10.001", "abc", [], True]:
        response = await client.put(
            path, headers=guardian.headers, json={"max_order_notional": bad}
        )
        assert response.status_code == 422, (bad, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_guardian_cannot_act_on_an_unlinked_minor(client: AsyncClient) -> None:
    _, minor = await _family(client)
    stranger = await create_user(client, role="guardian")
    lone_minor = await create_user(client, date_of_birth=minor_birth_date(10))
    for target in (minor.id, lone_minor.id, "no-such-id"):
        path = f"/api/v1/guardian/minors/{target}/limits"
        got = await client.get(path, headers=stranger.headers)
        put = await client.put(path, headers=stranger.headers, json={"max_order_notional": "1"})
        unlink = await client.delete(f"/api/v1/guardian/minors/{target}", headers=stranger.headers)
        assert got.status_code == put.status_code == unlink.status_code == 404, target
    assert (await client.get("/api/v1/guardian/minors", headers=stranger.headers)).json() == []


async def test_unlink_frees_the_minor(client: AsyncClient) -> None:
    guardian, minor = await _family(client)
    gone = await client.delete(f"/api/v1/guardian/minors/{minor.id}", headers=guardian.headers)
    assert gone.status_code == 204
    assert (await client.get("/api/v1/guardian/minors", headers=guardian.headers)).json() == []
    assert (await client.get("/api/v1/guardian/links", headers=minor.headers)).json() == []

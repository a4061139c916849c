"""The admin's user directory: search, one user's accounts and links, switching sign-in off and on."""

from __future__ import annotations

from httpx import AsyncClient

from keel.server.audit import repository as audit
from keel.server.flags.service import COHORT_CHANGED
from keel.server.runtime import Runtime
from tests.integration.auth.factories import (
    STRONG_PASSWORD,
    create_user,
    minor_birth_date,
    register,
)
from tests.integration.breakers.factories import create_admin
from tests.integration.orders.factories import open_account

USERS = "/api/v1/admin/users"


async def test_only_an_admin_reads_the_directory(client: AsyncClient, runtime: Runtime) -> None:
    learner = await create_user(client)
    response = await client.get(USERS, headers=learner.headers)
    assert response.status_code == 403
    assert response.json()["type"].endswith("/problems/admin-only")
    assert (await client.get(f"{USERS}/{learner.id}", headers=learner.headers)).status_code == 403


async def test_search_by_name_or_email_and_role_with_the_total(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    ada = await register(client, display_name="Ada Lovelace")
    await register(client, display_name="Grace Hopper", role="guardian")
    await register(client, display_name="100% sure_")  # search characters match themselves

    found = (await client.get(USERS, params={"q": "LOVELACE"}, headers=admin.headers)).json()
    assert [user["email"] for user in found["items"]] == [ada["email"]]
    assert found["total"] == 1

    by_email = await client.get(USERS, params={"q": ada["email"][:12]}, headers=admin.headers)
    assert [user["id"] for user in by_email.json()["items"]] == [ada["id"]]

    literal = (await client.get(USERS, params={"q": "0% s"}, headers=admin.headers)).json()
    assert [user["display_name"] for user in literal["items"]] == ["100% sure_"]
    wildcard = (await client.get(USERS, params={"q": "_"}, headers=admin.headers)).json()
    assert [user["display_name"] for user in wildcard["items"]] == ["100% sure_"]

    guardians = (await client.get(USERS, params={"role": "guardian"}, headers=admin.headers)).json()
    assert [user["display_name"] for user in guardians["items"]] == ["Grace Hopper"]

    everyone = (await client.get(USERS, params={"limit": 2}, headers=admin.headers)).json()
    assert everyone["total"] == 4 and len(everyone["items"]) == 2
    rest = (await client.get(USERS, params={"offset": 2}, headers=admin.headers)).json()
    ids = {user["id"] for user in everyone["items"]} | {user["id"] for user in rest["items"]}
    assert len(ids) == 4  # newest first, no one twice across pages

    bad = await client.get(USERS, params={"role": "wizard"}, headers=admin.headers)
    assert bad.status_code == 422 and bad.json()["type"].endswith("/problems/validation-error")


async def test_one_user_with_accounts_and_guardian_links(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    minor = await create_user(client, date_of_birth=minor_birth_date())
    guardian = await create_user(client, role="guardian")
    invitation = await client.post("/api/v1/guardian/invitations", headers=guardian.headers)
    assert invitation.status_code == 201, invitation.text
    redeemed = await client.post(
        "/api/v1/guardian/links", json={"code": invitation.json()["code"]}, headers=minor.headers
    )
    assert redeemed.status_code in (200, 201), redeemed.text
    minor.guardian = guardian  # a minor's account is opened by the guardian
    account = await open_account(client, minor, starting_cash="2500")

    body = (await client.get(f"{USERS}/{minor.id}", headers=admin.headers)).json()
    assert body["minor"] is True and body["accounts"] == 1
    assert [a["id"] for a in body["paper_accounts"]] == [account["id"]]
    assert body["paper_accounts"][0]["starting_cash"] == "2500.00"
    assert [g["id"] for g in body["guardians"]] == [guardian.id] and body["minors"] == []
    seen_by_guardian = (await client.get(f"{USERS}/{guardian.id}", headers=admin.headers)).json()
    assert [m["id"] for m in seen_by_guardian["minors"]] == [minor.id]

    missing = await client.get(f"{USERS}/no-such-user", headers=admin.headers)
    assert missing.status_code == 404


async def test_switching_a_user_off_ends_their_sessions_and_on_lets_them_back(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    learner = await create_user(client)

    off = await client.patch(f"{USERS}/{learner.id}", json={"active": False}, headers=admin.headers)
    assert off.status_code == 200, off.text
    assert off.json()["active"] is False
    assert (await client.get("/api/v1/me", headers=learner.headers)).status_code == 401
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": learner.refresh_token}
    )
    assert refreshed.status_code == 401
    login = await client.post(
        "/api/v1/auth/login", json={"email": learner.email, "password": STRONG_PASSWORD}
    )
    assert login.status_code == 401

    on = await client.patch(f"{USERS}/{learner.id}", json={"active": True}, headers=admin.headers)
    assert on.json()["active"] is True
    login = await client.post(
        "/api/v1/auth/login", json={"email": learner.email, "password": STRONG_PASSWORD}
    )
    assert login.status_code == 200, login.text


async def test_an_admin_cannot_switch_themselves_off(client: AsyncClient, runtime: Runtime) -> None:
    admin = await create_admin(client, runtime)
    response = await client.patch(
        f"{USERS}/{admin.id}", json={"active": False}, headers=admin.headers
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/problems/own-access")
    assert (await client.get("/api/v1/me", headers=admin.headers)).status_code == 200
    unknown = await client.patch(
        f"{USERS}/{admin.id}", json={"active": "no"}, headers=admin.headers
    )
    assert unknown.status_code == 422


async def test_the_directory_shows_each_cohort_and_a_move_through_the_cohort_route_is_audited(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    learner = await create_user(client)
    listed = (await client.get(USERS, params={"q": learner.email}, headers=admin.headers)).json()
    assert [user["cohort"] for user in listed["items"]] == ["general"]

    # The directory changes a cohort through the one cohort route (as the flags page does).
    moved = await client.put(
        "/api/v1/admin/cohorts",
        json={"email": learner.email, "cohort": "beta"},
        headers=admin.headers,
    )
    assert moved.status_code == 200, moved.text
    detail = (await client.get(f"{USERS}/{learner.id}", headers=admin.headers)).json()
    assert detail["cohort"] == "beta"
    listed = (await client.get(USERS, params={"q": learner.email}, headers=admin.headers)).json()
    assert [user["cohort"] for user in listed["items"]] == ["beta"]
    flags = (await client.get("/api/v1/me/flags", headers=learner.headers)).json()
    assert flags["cohort"] == "beta" and flags["flags"]["model-signals"]["value"] is True

    async with runtime.sessionmaker() as session:
        trail = await audit.events(session, action=COHORT_CHANGED, subject=learner.id)
    assert [(row.actor, row.detail["before"], row.detail["after"]) for row in trail] == [
        (admin.email, "general", "beta")
    ]

"""PostgreSQL down (a TCP proxy in front of it, cut): every request that needs the database gets
503 problem+json with Retry-After, never a 500; once it is back the very next requests succeed
(stale pooled connections are replaced before use), and `keel check` is clean."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy.engine import make_url

from keel.server.accounts.invariants import check_all
from tests.integration.auth.factories import create_user, http_client, runtime_with
from tests.integration.faults.services import cuttable_proxy
from tests.integration.orders.factories import open_account, place

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_postgresql_down_answers_503_and_recovers_at_once(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    real = make_url(database_url)
    async with cuttable_proxy(real.host or "127.0.0.1", real.port or 5432) as proxy:
        proxied = real.set(port=proxy.port).render_as_string(hide_password=False)
        async with (
            runtime_with(proxied, tmp_path_factory.mktemp("var")) as runtime,
            http_client(runtime) as client,
        ):
            user = await create_user(client)
            opened = await open_account(client, user)
            assert (await place(client, user, opened["id"], quantity="1")).status_code == 201

            await proxy.cut()
            answers = []
            for _ in range(3):
                answers += [
                    await client.get("/api/v1/me", headers=user.headers),
                    await client.get(f"/api/v1/accounts/{opened['id']}", headers=user.headers),
                    await place(client, user, opened["id"], quantity="1"),
                    await client.post(
                        "/api/v1/auth/login", json={"email": user.email, "password": "wrong"}
                    ),
                    await client.get("/readyz"),
                ]
            statuses = Counter(answer.status_code for answer in answers)
            assert statuses == {503: len(answers)}, statuses
            for answer in answers:
                assert answer.headers["content-type"].startswith("application/problem+json")
                assert int(answer.headers["retry-after"]) >= 1

            await proxy.restore()
            me = await client.get("/api/v1/me", headers=user.headers)
            assert me.status_code == 200, me.text
            again = await place(client, user, opened["id"], quantity="1")
            assert again.status_code == 201, again.text
            async with runtime.sessionmaker() as session:
                report = await check_all(session)
            assert report.clean, report.violations
            assert report.fills == 2

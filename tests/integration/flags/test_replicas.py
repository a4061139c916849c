"""A flag change made through one replica reaches another: at once through Redis pub/sub, and,
for a replica that missed the message, at its next periodic reload from the database."""

from __future__ import annotations

import pytest

from tests.integration.auth.factories import create_user, http_client, runtime_with
from tests.integration.breakers.factories import create_admin
from tests.integration.flags.test_flags_api import SIGNALS, signals_for


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.parametrize(
    ("namespace", "refresh_seconds"),
    [("keel", 3600.0), ("keel-elsewhere", 0.5)],
    ids=["pubsub", "periodic-reload"],
)
async def test_a_flag_changed_on_one_replica_takes_effect_on_another(
    database_url: str,
    redis_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    namespace: str,
    refresh_seconds: float,
) -> None:
    async with (
        runtime_with(database_url, tmp_path_factory.mktemp("a"), redis_url=redis_url) as first,
        runtime_with(
            database_url,
            tmp_path_factory.mktemp("b"),
            empty=False,
            redis_url=redis_url,
            # "pubsub": B would not reload for an hour, so only the message can bring the change;
            # "periodic-reload": B listens on another namespace and never hears the message.
            redis_namespace=namespace,
            flags_refresh_seconds=refresh_seconds,
        ) as second,
        http_client(first) as client_a,
        http_client(second) as client_b,
    ):
        admin = await create_admin(client_a, first)
        learner = await create_user(client_a)
        await signals_for(client_b, learner, False)
        changed = await client_a.patch(
            f"/api/v1/admin/flags/{SIGNALS}",
            json={"default_variant": "on"},
            headers=admin.headers,
        )
        assert changed.status_code == 200, changed.text
        assert (await signals_for(client_b, learner, True))["reason"] == "DEFAULT"

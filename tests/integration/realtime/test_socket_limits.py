"""One learner cannot flood the WebSocket: a cap on open sockets per user, and handshakes per
client IP counted against the anonymous rate-limit tier."""

from __future__ import annotations

import json
from contextlib import AsyncExitStack

import pytest
import websockets

from tests.integration.auth.factories import create_user, http_client, runtime_with
from tests.integration.realtime.live import live_server, receive_until


async def _welcomed(url: str, token: str, stack: AsyncExitStack) -> None:
    ws = await stack.enter_async_context(websockets.connect(f"{url}?token={token}"))
    await receive_until(ws, lambda m: m["type"] == "welcome")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_user_opens_at_most_the_cap_of_sockets(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    async with (
        runtime_with(database_url, tmp_path_factory.mktemp("var")) as runtime,
        http_client(runtime) as client,
        live_server(runtime) as url,
        AsyncExitStack() as stack,
    ):
        greedy = await create_user(client)
        other = await create_user(client)
        for _ in range(runtime.settings.ws_max_sockets_per_user):
            await _welcomed(url, greedy.access_token, stack)
        async with websockets.connect(f"{url}?token={greedy.access_token}") as extra:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await receive_until(extra, lambda m: m["type"] == "welcome")
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4430
        await _welcomed(url, other.access_token, stack)  # others are not affected


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_handshakes_past_the_anonymous_tier_are_refused(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    async with (
        runtime_with(
            database_url, tmp_path_factory.mktemp("var"), rate_limit_anonymous="3/minute"
        ) as runtime,
        live_server(runtime) as url,
    ):
        codes = []
        for _ in range(4):
            async with websockets.connect(url) as ws:
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await ws.send(json.dumps({"type": "auth", "token": "not-a-token"}))
                    await ws.recv()
                assert closed.value.rcvd is not None
                codes.append(closed.value.rcvd.code)
        assert codes == [4401, 4401, 4401, 4429]

"""A socket ends with its token: closed at the token's expiry; the token never reaches the log."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
import websockets
from httpx import AsyncClient

from keel.domain.clock import FixedClock
from keel.server.logging import configure_logging
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user, http_client
from tests.integration.conftest import _empty_tables, make_settings
from tests.integration.realtime.live import live_server, receive_until


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_socket_is_closed_when_its_token_expires(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    clock = FixedClock(datetime.now(UTC))
    settings = make_settings(database_url, tmp_path_factory.mktemp("var"), access_token_minutes=1)
    runtime = Runtime.build(settings, clock=clock)
    await _empty_tables(runtime)
    await runtime.start()
    try:
        async with http_client(runtime) as client, live_server(runtime) as url:
            user = await create_user(client)
            async with websockets.connect(url) as ws:
                await ws.send(json.dumps({"type": "auth", "token": user.access_token}))
                await receive_until(ws, lambda m: m["type"] == "welcome")
                await ws.send(json.dumps({"type": "subscribe", "channels": ["orders"]}))
                await receive_until(ws, lambda m: m["type"] == "subscribed")
                clock.set(clock.now() + timedelta(seconds=75))
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await receive_until(ws, lambda m: False)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
        assert "expired" in closed.value.rcvd.reason
    finally:
        await runtime.stop()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_token_in_a_websocket_url_never_reaches_the_log(
    client: AsyncClient, runtime: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    user = await create_user(client)
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        async with live_server(runtime) as url:
            configure_logging("INFO", json=True)  # as `keel serve` does; the app set WARNING
            async with websockets.connect(f"{url}?token={user.access_token}") as ws:
                welcome = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
                assert welcome["type"] == "welcome"
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    logged = capsys.readouterr().err
    assert "/api/v1/ws?token=[redacted]" in logged  # the line is logged, the token is not
    assert user.access_token not in logged

"""Errors of a dependency leave as problem+json with a status that tells the client what to do."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from keel.server.errors import install_problem_handlers


@pytest.mark.parametrize("error", [RedisConnectionError, RedisTimeoutError])
async def test_redis_outage_is_503_problem_json(error: type[Exception]) -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/needs-redis")
    async def needs_redis() -> None:
        raise error("Connection refused")

    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/needs-redis")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["retry-after"] == "5"
    assert response.json()["type"].endswith("/dependency-unavailable")

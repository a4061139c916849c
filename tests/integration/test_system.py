"""The shell's own endpoints and error format."""

from __future__ import annotations

from httpx import AsyncClient


async def test_health_and_readiness(client: AsyncClient, backend: str) -> None:
    assert (await client.get("/healthz")).json()["status"] == "ok"
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == backend


async def test_unknown_route_is_problem_json(client: AsyncClient) -> None:
    response = await client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith("/not-found")
    assert body["status"] == 404


async def test_oversized_body_is_refused_with_413(client: AsyncClient) -> None:
    response = await client.post("/api/v1/anything", content=b"x" * (65 * 1024))
    assert response.status_code == 413
    assert response.json()["type"].endswith("/body-too-large")
    assert "at most 64 KB is accepted" in response.json()["detail"]  # not "65,536 bytes"


async def test_metrics_exposes_http_latency(client: AsyncClient) -> None:
    await client.get("/healthz")
    text = (await client.get("/metrics")).text
    assert "keel_http_request_duration_seconds_bucket" in text
    assert 'route="/healthz"' in text


async def test_request_id_is_echoed(client: AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "abc123"})
    assert response.headers["x-request-id"] == "abc123"

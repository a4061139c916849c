"""The web app is served by the API process: the shell at `/` and at every client route, hashed
assets cached for a year, and the server's own paths (API, docs, problem pages) never swallowed
by the SPA's history fallback. No database is needed: none of these paths touch it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient

from keel.server.app import create_app
from keel.server.settings import Environment, Settings

INDEX = "<!doctype html><title>Keel</title><div id=root></div>"


async def _client(tmp_path: Path, dist: Path) -> AsyncIterator[AsyncClient]:
    settings = Settings(environment=Environment.TEST, var_dir=tmp_path, web_dist=dist)
    transport = ASGITransport(app=create_app(settings), raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncClient]:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "assets" / "index-abc123.js").write_text("console.log('keel')")
    (dist / "favicon.svg").write_text("<svg/>")
    async for http in _client(tmp_path, dist):
        yield http


@pytest.mark.parametrize("path", ["/", "/markets/SPX", "/orders", "/backtests/42", "/login"])
async def test_every_client_route_gets_the_app_shell(client: AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["cache-control"] == "no-cache"


async def test_hashed_assets_are_cached_for_a_year(client: AsyncClient) -> None:
    response = await client.get("/assets/index-abc123.js")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "javascript" in response.headers["content-type"]
    assert (await client.get("/assets/missing-000.js")).status_code == 404


async def test_files_at_the_root_of_the_build_are_served_as_themselves(
    client: AsyncClient, tmp_path: Path
) -> None:
    response = await client.get("/favicon.svg")
    assert response.text == "<svg/>"
    assert response.headers["content-type"].startswith("image/svg+xml")
    (tmp_path / "secret.txt").write_text("not for the web")
    outside = await client.get("/..%2Fsecret.txt")  # a file beside the build, not in it
    assert outside.text == INDEX


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
async def test_unknown_api_paths_stay_json_problems(client: AsyncClient, method: str) -> None:
    response = await client.request(method, "/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/not-found"


async def test_server_pages_are_not_swallowed_by_the_fallback(client: AsyncClient) -> None:
    assert (await client.get("/problems/not-found")).text != INDEX
    assert (await client.get("/healthz")).json()["status"] == "ok"
    assert (await client.get("/api/v1/openapi.json")).json()["info"]["title"] == "Keel"


async def test_an_unbuilt_app_says_how_to_build_it(tmp_path: Path) -> None:
    async for http in _client(tmp_path, tmp_path / "nothing-here"):
        response = await http.get("/")
        assert response.status_code == 503
        assert "make run" in response.text
        assert (await http.get("/healthz")).status_code == 200

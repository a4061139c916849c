"""Serve the built SPA at `/`: hashed assets cached for a year, every client route answered
with `index.html` (history fallback), and a plain page that says how to build the app when
`web/dist` is missing. API, docs, problem pages and probes keep their own routes: they are
mounted before this fallback, and unknown `/api/…` paths stay JSON 404s."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.convertors import Convertor, register_url_convertor
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


class ClientRoute(Convertor[str]):
    """Any path except the server's own (`/api/…`, docs, problem pages, probes), so an unknown
    API path or method keeps its JSON 404 / 405 instead of turning into the app's page."""

    regex = r"(?!(?:api|docs|redoc|problems|healthz|readyz|metrics)(?:/|$)).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("client_route", ClientRoute())

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keel: the web app is not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>The web app is not built yet</h1>
<p>Keel's server is running, but the pages of the app have not been built. Run
<code>make run</code> from the project folder (it builds them once), or
<code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>, then reload this page.</p>
<p>The API and its documentation work already: <a href="/docs">/docs</a>.</p>
</body></html>
"""


class HashedAssets(StaticFiles):
    """Vite names every asset after its content hash, so a cached copy is never stale."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE
        return response


def install_web_app(app: FastAPI, dist: Path) -> None:
    """Mount the SPA last, after every server route."""
    app.mount(
        "/assets", HashedAssets(directory=dist / "assets", check_dir=False), name="web-assets"
    )

    @app.get("/{path:client_route}", include_in_schema=False)
    def web_app(path: str) -> Response:  # plain def: the file checks run off the event loop
        index = dist / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503, headers={"Retry-After": "30"})
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return FileResponse(candidate, headers={"Cache-Control": REVALIDATE})
        return FileResponse(index, headers={"Cache-Control": REVALIDATE})

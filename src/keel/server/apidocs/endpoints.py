"""The API's interactive docs, `/docs` (Swagger UI) and `/redoc`, served with no internet.

FastAPI's own pages load their scripts and styles from a CDN, so on a machine offline `/docs` is a
blank page. The same files ship inside the pinned `fastapi-offline` package (only its static
folder is used); they are served here under `/docs/assets/`, with a long cache lifetime (their
names carry no hash, so the package's version goes into the URL instead: a new version is a new
URL).
"""

from __future__ import annotations

from importlib import metadata, resources
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse

from keel.server.errors import ProblemError

router = APIRouter(include_in_schema=False)

ASSETS_PACKAGE = "fastapi_offline"
ASSETS_VERSION = metadata.version("fastapi-offline")
ASSETS_PREFIX = f"/docs/assets/{ASSETS_VERSION}"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}
"""The files served, by name, with their media types (nothing else in the folder is served)."""
CACHE_FOREVER = "public, max-age=31536000, immutable"


def assets_folder() -> Path:
    return Path(str(resources.files(ASSETS_PACKAGE) / "static"))


def _openapi_url(request: Request) -> str:
    root = str(request.scope.get("root_path", ""))
    return root + str(request.app.openapi_url or "")


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=_openapi_url(request),
        title=f"{request.app.title} — API",
        swagger_js_url=f"{root}{ASSETS_PREFIX}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_PREFIX}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_PREFIX}/favicon.png",
        oauth2_redirect_url=f"{root}/docs/oauth2-redirect",
    )


@router.get("/docs/oauth2-redirect")
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_redoc_html(
        openapi_url=_openapi_url(request),
        title=f"{request.app.title} — API reference",
        redoc_js_url=f"{root}{ASSETS_PREFIX}/redoc.standalone.js",
        redoc_favicon_url=f"{root}{ASSETS_PREFIX}/favicon.png",
        with_google_fonts=False,
    )


@router.get("/docs/assets/{version}/{name}")
async def asset(version: str, name: str) -> FileResponse:
    media_type = ASSETS.get(name)
    if media_type is None or version != ASSETS_VERSION:
        raise ProblemError(404, "not-found", "There is no such file among the API docs' files.")
    return FileResponse(
        assets_folder() / name, media_type=media_type, headers={"Cache-Control": CACHE_FOREVER}
    )

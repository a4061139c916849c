"""The FastAPI application factory."""

from __future__ import annotations

import gc
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from keel import __version__
from keel.server.errors import install_problem_handlers
from keel.server.logging import configure_logging
from keel.server.middleware import (
    BodySizeLimitMiddleware,
    LargerBody,
    RequestContextMiddleware,
    UnstorableTextMiddleware,
)
from keel.server.ratelimit import RateLimitMiddleware
from keel.server.routers import api_router, root_router
from keel.server.runtime import Runtime
from keel.server.security_headers import SecurityHeadersMiddleware
from keel.server.settings import Settings, get_settings
from keel.server.webapp.serving import install_web_app

API_PREFIX = "/api/v1"
DATASET_UPLOAD = re.compile(rf"{re.escape(API_PREFIX)}/backtests/datasets/[^/]+")
"""An uploaded market-data file: the one route whose body may pass `max_body_bytes`."""


def freeze_startup_objects() -> None:
    """What start-up loaded (market history, caches, modules) lives as long as the process: move
    it out of the collector's generations, so full collections stay short."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    """Build the app. Pass a ready `runtime` (tests) or let the lifespan build one from settings."""
    settings = settings or (runtime.settings if runtime else get_settings())
    configure_logging(settings.log_level, json=settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = runtime is None
        active = runtime or Runtime.build(settings)
        app.state.runtime = active
        if owned:
            await active.start()
            freeze_startup_objects()
        try:
            yield
        finally:
            if owned:
                await active.stop()

    app = FastAPI(
        title="Keel",
        version=__version__,
        summary="Educational paper trading that stays upright in volatile markets.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # /docs and /redoc are served offline by keel.server.apidocs
        redoc_url=None,
        lifespan=lifespan,
        # Operation ids are the endpoint functions' names: the web app's generated hooks read
        # `usePlaceOrderMutation`, not `usePlaceOrderApiV1OrdersPostMutation`.
        generate_unique_id_function=lambda route: route.name,
    )
    if runtime is not None:
        app.state.runtime = runtime
    install_problem_handlers(app)
    app.add_middleware(UnstorableTextMiddleware)  # inside the size limit: bodies are bounded
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        larger=(LargerBody("PUT", DATASET_UPLOAD, settings.max_upload_bytes),),
    )
    app.add_middleware(RateLimitMiddleware)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: problem answers get them too
    app.include_router(root_router)
    app.include_router(api_router, prefix=API_PREFIX)
    install_web_app(app, settings.web_dir)
    return app

"""FastAPI dependencies, declared once as `Annotated` aliases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.db import session_scope
from keel.server.runtime import Runtime
from keel.server.settings import Settings


# Dependencies are `async def` even when they await nothing: FastAPI runs a plain `def` dependency
# in a worker thread, a thread hop per request for a dictionary lookup.
async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_settings_dep(runtime: RuntimeDep) -> Settings:
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """One session per request: commits once on success, rolls back on any error."""
    async for session in session_scope(runtime.sessionmaker):
        yield session


# scope="function": commit before the response is sent, so a 2xx means the write is durable
# and a failed commit reaches the client as an error.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]

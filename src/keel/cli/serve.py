"""`keel serve` and `keel db …`."""

from __future__ import annotations

import asyncio

import typer
import uvicorn

from keel.cli import app
from keel.server.settings import get_settings

db_app = typer.Typer(help="Database schema management.", no_args_is_help=True)
app.add_typer(db_app, name="db")


async def _upgrade() -> str:
    from keel.server.db import create_engine
    from keel.server.migrate import upgrade

    settings = get_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.resolved_database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    return engine.url.render_as_string(hide_password=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration to the configured database."""
    url = asyncio.run(_upgrade())
    typer.secho(f"database at {url} is up to date", fg=typer.colors.GREEN)


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Interface to bind (default KEEL_HOST)."),
    port: int | None = typer.Option(None, help="Port to bind (default KEEL_PORT)."),
    role: str | None = typer.Option(None, help="all | api | engine (default KEEL_ROLE)."),
) -> None:
    """Run the platform: migrate the database, then serve the API, the feed and the engine."""
    settings = get_settings()
    if role:
        settings.role = role
    asyncio.run(_upgrade())
    from keel.server.app import create_app

    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,
        proxy_headers=False,
    )

"""`keel serve` and `keel db …`."""

from __future__ import annotations

import asyncio
import os

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


WS_DEFLATE = False
"""No per-message compression on the WebSocket: every frame would be compressed once per client
(one zlib context each), which costs more CPU than the small JSON messages save in bytes."""


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Interface to bind (default KEEL_HOST)."),
    port: int | None = typer.Option(None, help="Port to bind (default KEEL_PORT)."),
    role: str | None = typer.Option(
        None,
        help="all (one process) | api (stateless replica: PostgreSQL + Redis) | engine "
        "(feed, breakers, matching; one leads, standbys wait). Default KEEL_ROLE.",
    ),
    workers: int = typer.Option(
        1, min=1, help="uvicorn worker processes; more than one only with --role api."
    ),
) -> None:
    """Run the platform: migrate the database, then serve the API (and, unless `--role api`,
    the market feed, the circuit breakers and the engine loop)."""
    from keel.server.logging import configure_logging
    from keel.server.roles import RoleError, check_role, take_leadership
    from keel.server.standby import standby_health

    settings = get_settings()
    if role:
        settings.role = role.strip().lower()
        os.environ["KEEL_ROLE"] = settings.role  # uvicorn workers read their settings anew
    try:
        check_role(settings, workers=workers)
    except RoleError as error:
        typer.secho(f"keel serve: {error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from error
    configure_logging(settings.log_level, json=settings.log_json)
    bind_host, bind_port = host or settings.host, port or settings.port
    # An engine waits here, outside the server, until it leads (a standby blocks on the lock),
    # answering liveness probes meanwhile (`keel.server.standby`).
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    with standby_health(bind_host, bind_port, token):
        take_leadership(settings)
    asyncio.run(_upgrade())
    if workers > 1:
        uvicorn.run(
            "keel.server.app:create_app",
            factory=True,
            workers=workers,
            log_config=None,
            access_log=False,  # the request middleware logs every request itself
            proxy_headers=False,
            ws_per_message_deflate=WS_DEFLATE,
            host=bind_host,
            port=bind_port,
        )
        return
    from keel.server.app import create_app

    uvicorn.run(
        create_app(settings),
        log_config=None,
        access_log=False,
        proxy_headers=False,
        ws_per_message_deflate=WS_DEFLATE,
        host=bind_host,
        port=bind_port,
    )

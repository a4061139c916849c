"""`keel check`: verify the ledger and position invariants of every account."""

from __future__ import annotations

import asyncio

import typer

from keel.cli import app
from keel.server.settings import get_settings


async def _check() -> tuple[bool, list[str], str]:
    from keel.server.accounts.invariants import check_all
    from keel.server.db import create_engine, create_sessionmaker
    from keel.server.models import Base  # noqa: F401  (every table mapped)

    settings = get_settings()
    engine = create_engine(settings.resolved_database_url, pool_size=2)
    try:
        async with create_sessionmaker(engine)() as session:
            report = await check_all(session, shorting_allowed=settings.allow_short_selling)
            await session.rollback()
    finally:
        await engine.dispose()
    summary = (
        f"{report.accounts} accounts, {report.ledger_entries} ledger entries, "
        f"{report.fills} fills, {report.orders} orders"
    )
    return report.clean, report.violations, summary


@app.command()
def check() -> None:
    """Verify that cash equals the sum of the ledger and positions equal the sum of fills."""
    clean, violations, summary = asyncio.run(_check())
    if clean:
        typer.secho(f"ok: {summary}; cash == sum(ledger), positions == sum(fills)", fg="green")
        return
    typer.secho(f"{len(violations)} invariant violation(s) in {summary}:", fg="red", err=True)
    for line in violations:
        typer.echo(f"  - {line}", err=True)
    raise typer.Exit(code=1)

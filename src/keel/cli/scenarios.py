"""`keel scenarios list | pause | resume | speed | skip`: steer scenario clocks from a shell.

The change is stored on the scenario row (with an audit row naming `keel scenarios`); the engine
running the scenario applies it within a second (`keel.server.scenarios.live.ClockKeeper`).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from keel.cli import app
from keel.cli.users import _with_session
from keel.domain.clock import WallClock

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from keel.server.scenarios.control import ClockChange
    from keel.server.settings import Settings

scenarios_app = typer.Typer(help="Scenarios (markets) and their clocks.", no_args_is_help=True)
app.add_typer(scenarios_app, name="scenarios")

ACTOR = "keel scenarios"


@scenarios_app.command("list")
def list_scenarios() -> None:
    """Every scenario with its stored clock."""
    from keel.server.scenarios import repository

    async def work(session: AsyncSession, settings: Settings) -> list[tuple[str, ...]]:
        rows = await repository.list_all(session)
        return [
            (
                row.id,
                row.name,
                row.status,
                row.start_date.isoformat(),
                "—" if row.market_time is None else row.market_time.isoformat(timespec="minutes"),
                "paused" if row.paused else f"{row.seconds_per_day:g} s/day",
            )
            for row in rows
        ]

    table = Table("id", "name", "status", "starts", "market time (UTC)", "clock")
    for values in asyncio.run(_with_session(work)):
        table.add_row(*values)
    Console().print(table)


def _change(scenario_id: str, change: ClockChange) -> None:
    from keel.server.errors import ProblemError
    from keel.server.scenarios.control import Actor, record_change

    async def work(session: AsyncSession, settings: Settings) -> str:
        row = await record_change(
            session,
            scenario_id,
            change,
            actor=Actor(ACTOR),
            live_position=None,
            now=WallClock().now(),
        )
        state = "paused" if row.paused else f"running at {row.seconds_per_day:g} s per day"
        return f"{row.name}: {state} (change {row.control_version})"

    try:
        typer.echo(asyncio.run(_with_session(work)))
    except ProblemError as exc:
        typer.secho(exc.detail, fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc


@scenarios_app.command("pause")
def pause(scenario_id: str = typer.Argument("default")) -> None:
    """Stop the scenario's market time."""
    from keel.server.scenarios.control import ClockChange

    _change(scenario_id, ClockChange(paused=True))


@scenarios_app.command("resume")
def resume(scenario_id: str = typer.Argument("default")) -> None:
    """Let the scenario's market time run again."""
    from keel.server.scenarios.control import ClockChange

    _change(scenario_id, ClockChange(paused=False))


@scenarios_app.command("speed")
def speed(
    seconds_per_day: float = typer.Argument(..., help="Real seconds per trading day."),
    scenario_id: str = typer.Argument("default"),
) -> None:
    """Change how fast market time runs."""
    from keel.server.scenarios.control import ClockChange

    _change(scenario_id, ClockChange(seconds_per_day=seconds_per_day))


@scenarios_app.command("skip")
def skip(
    days: float = typer.Argument(..., help="Trading days to jump ahead (at most 60)."),
    scenario_id: str = typer.Argument("default"),
) -> None:
    """Jump market time ahead; the engine replays every instant on the way."""
    from keel.server.scenarios.control import ClockChange

    _change(scenario_id, ClockChange(skip_days=days))

"""Use cases of scenarios that run inside a request's transaction (never commits).

The default scenario is "today's settings": it is created on the first start, its rules (starting
cash, short selling, breaker mode) follow `KEEL_*`, and its start date and speed follow
`KEEL_REPLAY_START` / `KEEL_REPLAY_SECONDS_PER_DAY` until its clock first moves; from then on the
stored clock wins, so a restart never rewinds it.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pandas as pd
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.money import to_money
from keel.server.backtests.validation import invalid
from keel.server.errors import ProblemError, not_found
from keel.server.market.history import Instrument
from keel.server.runtime import Runtime
from keel.server.scenarios import repository
from keel.server.scenarios.control import Actor, ClockChange, check_change
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID, ScenarioEventRow, ScenarioRow
from keel.server.scenarios.sources import (
    REPLAY,
    SIMULATOR,
    UPLOAD,
    read_uploads,
    simulated_instruments,
    store_uploads,
    uploaded_instrument,
)
from keel.server.settings import Settings

DEFAULT_NAME = "The 2008 crash"


def _default_name(settings: Settings) -> str:
    start = settings.replay_start
    if start.year == 2008 and start.month >= 6:
        return DEFAULT_NAME
    return f"Market replay from {start:%d %B %Y}"


async def ensure_default(session: AsyncSession, settings: Settings, now: datetime) -> ScenarioRow:
    """The default scenario, created or brought in line with the settings (see module doc)."""
    row = await repository.lock(session, DEFAULT_SCENARIO_ID)
    if row is None:
        row = ScenarioRow(
            id=DEFAULT_SCENARIO_ID,
            source="replay",
            paused=False,
            status="active",
            position=0.0,
            control_version=0,
            created_at=now,
        )
        session.add(row)
    never_ran = row.market_time is None and not row.position
    if never_ran:
        row.name = _default_name(settings)
        row.description = "The bundled market history, replayed for everyone without a class."
        row.start_date = settings.replay_start
        row.seconds_per_day = settings.replay_seconds_per_day
    row.starting_cash = to_money(settings.default_starting_cash)
    row.allow_short = settings.allow_short_selling
    row.breaker_mode = settings.breaker_mode
    row.updated_at = now
    await session.flush()
    return row


async def get_scenario(session: AsyncSession, scenario_id: str) -> ScenarioRow:
    row = await repository.get(session, scenario_id)
    if row is None:
        raise not_found("scenario")
    return row


async def list_scenarios(session: AsyncSession) -> Sequence[ScenarioRow]:
    return await repository.list_all(session)


async def audit_trail(
    session: AsyncSession, scenario_id: str, *, limit: int
) -> Sequence[ScenarioEventRow]:
    await get_scenario(session, scenario_id)
    return await repository.events(session, scenario_id, limit=limit)


@dataclass(frozen=True)
class NewScenario:
    """What an admin or a teacher (for a class) chooses for a new market."""

    name: str
    start_date: date
    seconds_per_day: float
    universe: list[str] | None
    starting_cash: Decimal
    allow_short: bool = False
    breaker_mode: str = "enforce"
    max_position_fraction: Decimal | None = None
    paused: bool = False
    description: str = ""
    source: str = REPLAY
    seed: int | None = None
    datasets: list[str] | None = None


@dataclass
class NewMarket:
    """What a new scenario's source gives it: the instruments it may trade (by symbol) and the
    uploaded series to keep (`upload` only)."""

    spec: NewScenario
    instruments: dict[str, Instrument]
    uploads: dict[str, pd.DataFrame] = field(default_factory=dict)


async def new_market(
    runtime: Runtime, spec: NewScenario, bundled: Sequence[Instrument], *, owner_id: str
) -> NewMarket:
    """The instruments of `spec`'s source (422 for fields that do not belong to it, or files
    that cannot be a market); a simulator without a seed gets a new one."""
    if spec.seed is not None and spec.source != SIMULATOR:
        raise invalid("seed", "only a market of simulated tickers (source simulator) has a seed")
    if spec.datasets is not None and spec.source != UPLOAD:
        raise invalid("datasets", "only a market of uploaded history (source upload) uses files")
    if spec.source == SIMULATOR:
        if spec.seed is None:
            spec = replace(spec, seed=secrets.randbelow(2**31))
        assert spec.seed is not None
        items = await asyncio.to_thread(simulated_instruments, spec.seed, bundled)
        return NewMarket(spec, {item.symbol: item for item in items})
    if spec.source == UPLOAD:
        taken = {item.symbol: item for item in bundled}
        uploads = await read_uploads(runtime, owner_id, spec.datasets or [], taken)
        items = [uploaded_instrument("new", symbol, frame) for symbol, frame in uploads.items()]
        return NewMarket(spec, {item.symbol: item for item in items}, uploads)
    return NewMarket(spec, {item.symbol: item for item in bundled})


MIN_DAYS_LEFT = 20
"""A scenario must have at least this many trading days of history after its start."""


def check_new(
    spec: NewScenario, instruments: Mapping[str, Instrument], max_starting_cash: Decimal
) -> list[str]:
    """Refuse what no market could run (422 with what to change); returns the universe."""
    tradable = sorted(symbol for symbol, item in instruments.items() if item.replayed)
    universe = sorted({s.strip().upper() for s in spec.universe}) if spec.universe else tradable
    unknown = [symbol for symbol in universe if symbol not in tradable]
    if unknown:
        raise ProblemError(
            422,
            "unknown-symbol",
            f"These symbols cannot be traded here: {', '.join(unknown)}. "
            f"Choose from {', '.join(tradable)}.",
            figures={"unknown": unknown, "tradable": tradable},
        )
    last_day = max(instruments[symbol].last_date for symbol in universe)
    first_day = min(instruments[symbol].first_date for symbol in universe)
    latest_start = last_day - timedelta(days=MIN_DAYS_LEFT * 7 // 5 + 7)
    if not first_day <= spec.start_date <= latest_start:
        raise ProblemError(
            422,
            "invalid-start-date",
            f"The market history of these symbols runs from {first_day:%d %B %Y} to "
            f"{last_day:%d %B %Y}: start between {first_day:%d %B %Y} and "
            f"{latest_start:%d %B %Y}.",
            figures={"first": first_day.isoformat(), "latest_start": latest_start.isoformat()},
        )
    check_change(ClockChange(seconds_per_day=spec.seconds_per_day))
    if spec.starting_cash > max_starting_cash:
        raise ProblemError(
            422,
            "starting-cash-too-large",
            f"Starting cash can be at most {max_starting_cash:,.2f}.",
            figures={"max_starting_cash": str(max_starting_cash)},
        )
    return universe


async def create_scenario(
    session: AsyncSession,
    runtime: Runtime,
    market: NewMarket,
    *,
    max_starting_cash: Decimal,
    actor: Actor,
    now: datetime,
) -> ScenarioRow:
    """Store a new active scenario (an engine starts it) with its `created` audit row, and the
    scenario's own copy of uploaded series."""
    spec = market.spec
    universe = check_new(spec, market.instruments, max_starting_cash)
    row = ScenarioRow(
        id=str(uuid.uuid4()),
        name=spec.name.strip(),
        description=spec.description.strip(),
        source=spec.source,
        seed=spec.seed,
        start_date=spec.start_date,
        seconds_per_day=spec.seconds_per_day,
        paused=spec.paused,
        universe=universe,
        starting_cash=to_money(spec.starting_cash),
        allow_short=spec.allow_short,
        breaker_mode=spec.breaker_mode,
        max_position_fraction=spec.max_position_fraction,
        status="active",
        position=0.0,
        control_version=0,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    await repository.add_event(
        session,
        row.id,
        "created",
        actor_id=actor.user_id,
        actor=actor.name,
        detail={
            "start_date": spec.start_date.isoformat(),
            "universe": universe,
            "source": spec.source,
            "seed": spec.seed,
            "datasets": spec.datasets,
            "max_position_fraction": (
                None if spec.max_position_fraction is None else str(spec.max_position_fraction)
            ),
        },
        market_time=None,
        recorded_at=now,
    )
    await store_uploads(runtime, row.id, market.uploads)
    return row


async def tradable_scenario(session: AsyncSession, scenario_id: str) -> ScenarioRow:
    """An active scenario an account may be opened in (404 / 409 otherwise)."""
    row = await get_scenario(session, scenario_id)
    if row.status != "active":
        raise ProblemError(409, "scenario-archived", "This market has ended; pick another one.")
    return row

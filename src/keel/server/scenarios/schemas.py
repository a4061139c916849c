"""Pydantic shapes of scenarios and their clock."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from keel.server.market.schemas import CashStr


class ClockOut(BaseModel):
    """Where a scenario's market time is and how it moves."""

    market_time: datetime | None = Field(description="Market time of the last instant (UTC).")
    market_date: date | None = Field(description="The trading day being replayed.")
    position: float = Field(description="Trading days since the scenario's first day's open.")
    paused: bool
    seconds_per_day: float = Field(description="Real seconds per trading day while running.")
    finished: bool = Field(description="True once the history has run out.")
    running_here: bool = Field(
        description="True when this server process runs the clock (else the stored clock)."
    )


class ScenarioOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    description: str
    source: str = Field(description="`replay`, `simulator` or `upload` (see ScenarioIn).")
    seed: int | None = Field(description="The simulator's seed (`simulator` only).")
    start_date: date
    universe: list[str] | None = Field(description="Symbols traded here; null: every bundled one.")
    starting_cash: CashStr
    allow_short: bool
    breaker_mode: str
    max_position_fraction: Decimal | None = Field(
        description="The most one position may be worth, as a share of the starting cash."
    )
    status: str
    clock: ClockOut


class ScenarioIn(BaseModel):
    """A new market, replayed from `start_date`: bundled real history (`replay`), fictional
    tickers simulated from a seed (`simulator`), or your uploaded daily OHLCV files (`upload`)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=500)
    source: Literal["replay", "simulator", "upload"] = Field(
        default="replay",
        description="`replay`: bundled history; `simulator`: the six fictional classroom "
        "tickers only, simulated from `seed`; `upload`: your files named in `datasets`.",
    )
    seed: int | None = Field(
        default=None,
        ge=0,
        le=2**31 - 1,
        description="`simulator` only: the same seed gives the same market; left out: a new one.",
    )
    datasets: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = Field(
        default=None,
        max_length=20,
        description="`upload` only: names of your uploaded files (GET /backtests/datasets); "
        "each becomes one symbol named after its file (`crash.csv` → CRASH).",
    )
    start_date: date = Field(description="First replayed day (the first trading day on or after).")
    seconds_per_day: float = Field(default=6.0, description="Real seconds per trading day.")
    universe: list[Annotated[str, Field(min_length=1, max_length=16)]] | None = Field(
        default=None,
        max_length=50,
        description="Symbols to trade; null: every one the source has.",
    )
    starting_cash: Decimal = Field(
        default=Decimal(100000), gt=0, decimal_places=2, allow_inf_nan=False
    )
    allow_short: bool = False
    breaker_mode: Literal["enforce", "measure"] = "enforce"
    max_position_fraction: Decimal | None = Field(
        default=None,
        gt=0,
        le=1,
        decimal_places=4,
        allow_inf_nan=False,
        description="A rule: one position may be worth at most this share of the account's "
        "starting cash (0.5: no single position above 50 %); null: no such rule.",
    )
    paused: bool = Field(default=False, description="Create it with its clock stopped.")


class ClockChangeIn(BaseModel):
    """Fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    paused: bool | None = Field(default=None, description="true: stop market time; false: go on.")
    seconds_per_day: float | None = Field(
        default=None, description="Real seconds per trading day (0.5 to 86,400)."
    )


class SkipIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: float = Field(
        gt=0,
        le=60,
        description="Trading days to jump ahead (every instant is "
        "replayed at once, so breakers and resting orders see them all).",
    )


class ScenarioEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    action: str
    actor: str
    detail: dict[str, Any]
    market_time: datetime | None
    recorded_at: datetime = Field(description="Wall time of the change (audit).")

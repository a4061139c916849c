"""Backtest jobs as the API takes and shows them.

Statistics and trades keep the shape of `keel backtest --json` (floats, money to the cent), so
tools reading the CLI output read the API the same way.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from keel.backtest.settings import FillTiming, Sizing
from keel.server.market.schemas import CashStr


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def active(self) -> bool:
        return self in (JobStatus.QUEUED, JobStatus.RUNNING)


ACTIVE_STATUSES = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)


class BacktestIn(BaseModel):
    """What to backtest: one history (`symbol` or `dataset`), a strategy and execution settings."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    symbol: str | None = Field(
        default=None, max_length=16, description="a bundled history: SPX, IXIC, GOOG, EURUSD"
    )
    dataset: str | None = Field(
        default=None,
        max_length=200,
        description="name of one of your uploaded OHLCV files (GET /backtests/datasets)",
    )
    strategy: str = Field(default="sma-cross", max_length=64)
    params: dict[str, float] = Field(
        default_factory=dict, max_length=20, description="strategy parameters by name"
    )
    cash: Decimal = Field(
        default=Decimal("10000"),
        gt=0,
        decimal_places=2,
        allow_inf_nan=False,
        description="starting cash (bounded by the server's maximum starting cash)",
    )
    commission: float = Field(default=0.0, ge=0, lt=0.1, description="fraction of each fill")
    spread: float = Field(default=0.0, ge=0, lt=0.1, description="full bid/ask spread, fraction")
    slippage: float = Field(default=0.0, ge=0, lt=0.1, description="adverse slippage, fraction")
    start: date | None = Field(default=None, alias="from", description="first date, inclusive")
    end: date | None = Field(default=None, alias="to", description="last date, inclusive")
    scenario: str | None = Field(
        default=None,
        max_length=36,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="a market whose replay the test must not see past (besides your accounts' "
        "markets and the default one)",
    )
    sizing: Sizing = Sizing.ALL_IN
    fraction: float = Field(default=1.0, gt=0, le=1, description="equity fraction (fraction)")
    units: float = Field(default=1.0, gt=0, le=1e9, description="units per order (fixed)")
    target_vol: float = Field(default=0.15, gt=0, le=5, description="annualised (vol-target)")
    fill: FillTiming = FillTiming.NEXT_OPEN
    long_short: bool = False
    breakers: bool = False
    close_at_end: bool = True


class JobOut(BaseModel):
    """A backtest job as listed: where it is, and its headline figures once finished."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    status: JobStatus
    progress: float
    strategy: str
    symbol: str | None
    dataset: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    duration_seconds: float | None
    trade_count: int | None
    final_equity: float | None
    return_pct: float | None
    error: str | None
    note: str | None = None
    """Why the job differs from the request: e.g. its range stopped before a replayed market's
    current day (`keel.server.backtests.horizon`)."""


class JobDetailOut(JobOut):
    """One job with its request and all statistics (null until it succeeds)."""

    request: dict[str, Any]
    stats: dict[str, Any] | None
    links: dict[str, str]


class TradeOut(BaseModel):
    entry_time: str
    exit_time: str
    entry_price: float
    exit_price: float
    size: float
    """Signed units: negative for a short trade."""
    pnl: float


class BacktestEquityPointOut(BaseModel):
    time: str
    equity: float
    drawdown: float
    """Below the running peak, as a fraction (−0.25 is 25 % down); 0 at a new peak."""


class ParamOut(BaseModel):
    name: str
    type: str
    """`int` or `float`."""
    default: float
    low: float | None
    high: float | None
    help: str


class StrategyOut(BaseModel):
    name: str
    description: str
    params: list[ParamOut]


class DatasetOut(BaseModel):
    name: str
    size: int
    """Bytes."""
    uploaded_at: datetime


class LimitsOut(BaseModel):
    max_cash: CashStr
    min_bars: int
    symbols: list[str]

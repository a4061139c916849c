"""Paper accounts as the API takes and shows them. Cash and prices are decimal strings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from keel.server.market.schemas import CashStr, DecimalStr


class AccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="Paper account", min_length=1, max_length=100)
    scenario_id: str = Field(
        default="default",
        min_length=1,
        max_length=36,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The market to trade in (GET /scenarios); the default replay when left out.",
    )
    starting_cash: Decimal | None = Field(
        default=None,
        gt=0,
        decimal_places=2,
        allow_inf_nan=False,
        description="virtual cash to start with (default 100,000; bounded by the server)",
    )


class ResetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starting_cash: Decimal | None = Field(default=None, gt=0, decimal_places=2, allow_inf_nan=False)


class PositionOut(BaseModel):
    symbol: str
    quantity: DecimalStr
    average_cost: DecimalStr
    market_price: DecimalStr | None
    market_value: CashStr | None
    unrealized_pnl: CashStr | None
    realized_pnl: CashStr
    commission_paid: CashStr


class AccountOut(BaseModel):
    id: str
    scenario_id: str = Field(description="The market (scenario) the account trades in.")
    name: str
    epoch: int
    starting_cash: CashStr
    cash: CashStr
    buying_power: CashStr
    equity: CashStr
    unrealized_pnl: CashStr
    realized_pnl: CashStr
    positions: list[PositionOut]
    created_at: datetime
    reset_at: datetime | None


class LedgerEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sequence: int
    epoch: int
    time: datetime
    kind: str
    amount: CashStr
    balance_after: CashStr
    reference: str | None
    memo: str


class EquityPointOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    time: datetime
    cash: CashStr
    equity: CashStr

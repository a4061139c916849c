"""Market data as the API shows it: prices and volumes as decimal strings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer


def decimal_text(value: Decimal) -> str:
    """Plain positional text without trailing zeros (never `1E+5`), the same on every database."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def cash_text(value: Decimal) -> str:
    """Cash to the cent, e.g. `100000.00`."""
    return format(value.quantize(CENT), "f")


CENT = Decimal("0.01")
DecimalStr = Annotated[Decimal, PlainSerializer(decimal_text, return_type=str)]
"""A Decimal that serialises as a string, so no client parses money as a float. Shared by the
trading modules (accounts, orders)."""
CashStr = Annotated[Decimal, PlainSerializer(cash_text, return_type=str)]
"""Cash as a string to the cent."""


class InstrumentOut(BaseModel):
    symbol: str
    name: str
    asset_class: str
    frequency: str
    tradable: bool
    """Orders for it are taken now (the same rule order placement applies)."""
    not_tradable_because: str | None = None
    """Why not, in plain words, when `tradable` is false (e.g. VIX is reference only)."""
    live: bool
    """Replayed by the live feed (it gets quotes as the replay runs)."""
    quoted: bool = False
    """A live quote exists right now (none before the replay's first step, or for history only)."""
    source: str
    first_date: date
    last_date: date


class BarOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    symbol: str
    time: datetime
    open: DecimalStr
    high: DecimalStr
    low: DecimalStr
    close: DecimalStr
    volume: DecimalStr


class QuoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    symbol: str
    time: datetime
    bid: DecimalStr
    ask: DecimalStr
    last: DecimalStr
    bid_size: DecimalStr | None = None
    ask_size: DecimalStr | None = None


class MarketClockOut(BaseModel):
    market_time: datetime | None
    market_date: date | None
    finished: bool

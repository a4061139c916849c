"""Market data as the API shows it: prices and volumes as decimal strings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer

DecimalStr = Annotated[Decimal, PlainSerializer(lambda v: str(v), return_type=str)]


class InstrumentOut(BaseModel):
    symbol: str
    name: str
    asset_class: str
    frequency: str
    tradable: bool
    live: bool
    """Replayed by the live feed now (quotes available)."""
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

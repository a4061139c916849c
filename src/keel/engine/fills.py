"""Float entry points to the fill model, for `keel.backtest`'s hot loop (floats in, floats out).

Each call goes through the very Decimal functions the live engine uses, so a backtest fill equals a
live fill on the same price: `reference` becomes a quote `spread` wide (a fraction, e.g. 0.0002 =
2 bp), the fill pays the touch moved by `slippage` (a fraction), rounded to the price grid against
the trader, and commission is `commission_rate` × notional, rounded up to the cent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from keel.domain.enums import OrderSide
from keel.domain.money import parse_decimal, to_price
from keel.engine.config import BPS, ExecutionConfig
from keel.engine.fill_model import fill_price, order_commission, quote_from_price

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=64)
def _config(spread: float, slippage: float, commission_rate: float) -> ExecutionConfig:
    return ExecutionConfig(
        spread_bps=parse_decimal(spread) * BPS,
        slippage_bps=parse_decimal(slippage) * BPS,
        commission_bps=parse_decimal(commission_rate) * BPS,
    )


def fill_price_float(direction: float, reference: float, spread: float, slippage: float) -> float:
    """Fill price of a buy (`direction` > 0) or sell (< 0) when the market is at `reference`."""
    side = OrderSide.BUY if direction > 0 else OrderSide.SELL
    config = _config(spread, slippage, 0.0)
    quote = quote_from_price("X", to_price(reference), _EPOCH, config)
    return float(fill_price(side, quote, config))


def commission_float(quantity: float, price: float, commission_rate: float) -> float:
    """Commission (cash) of one order filling |`quantity`| units at `price`, as a fraction of notional."""
    units = abs(parse_decimal(quantity))
    config = _config(0.0, 0.0, commission_rate)
    return float(order_commission(units, units * parse_decimal(price), config))

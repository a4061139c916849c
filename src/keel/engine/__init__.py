"""Engine: execution simulator (fills, spread, slippage, commission) and the resting-order book.

The fill model (full text in `docs/fill-model.md`):

- **Market** orders fill at the touch (ask for buys, bid for sells) moved against the trader by
  `slippage_bps`, rounded to the price grid against the trader (up for buys, down for sells).
- **Limit** orders fill when marketable (ask ≤ limit for buys, bid ≥ limit for sells), at the
  better of the limit and the market price above: slippage never pushes a fill past the limit.
- **Stop** orders trigger once the last trade or the touch reaches the stop (buy: last or ask ≥
  stop; sell: last or bid ≤ stop), then behave as market orders; **stop-limit** orders trigger
  the same way, then behave as limit orders. A triggered order stays triggered.
- **Liquidity**: one quote fills at most the size quoted at the touch (`None` = unlimited); orders of
  a symbol share it in time priority. What does not fill keeps working on later quotes (or, with
  `cancel_market_remainder`, a market / triggered stop order's rest is cancelled on the spot).
- **Notional** orders ("buy $25 of SPX") convert what is left of their cash to units at each fill
  price, rounded down to the quantity grid; once the rest buys less than one step, they are filled.
- **Commission** = max(`commission_minimum`, `commission_per_unit` × units + `commission_bps` of the
  notional), per order, charged fill by fill so the minimum is paid once; rounded up to the cent.
- **Cash** for a fill is rounded against the trader (buy cost up, sell proceeds down, to the cent).
- **Day** orders expire when the caller reports the session closed (`ExecutionEngine.close_session`);
  GTC orders rest until filled or cancelled.
- The **order gate** is asked at placement, at a guardian's approval, and before every fill of a
  resting order; a refusal with `reopen_at` leaves the order resting, any other refusal rejects it
  (or cancels its rest if it has partly filled).
"""

from keel.engine.book import BookPass, OrderBook
from keel.engine.config import BPS, ExecutionConfig
from keel.engine.execution import ExecutionEngine
from keel.engine.fill_model import (
    execution_price,
    fill_commission,
    fill_price,
    is_marketable,
    is_triggered,
    match,
    order_commission,
    quote_from_price,
    round_price_against,
    slippage_multiplier,
)
from keel.engine.results import ExecutionResult, OrderUpdate, Placement
from keel.engine.sizing import Estimate, estimate, reference_price

__all__ = [
    "BPS",
    "BookPass",
    "Estimate",
    "ExecutionConfig",
    "ExecutionEngine",
    "ExecutionResult",
    "OrderBook",
    "OrderUpdate",
    "Placement",
    "estimate",
    "execution_price",
    "fill_commission",
    "fill_price",
    "is_marketable",
    "is_triggered",
    "match",
    "order_commission",
    "quote_from_price",
    "reference_price",
    "round_price_against",
    "slippage_multiplier",
]

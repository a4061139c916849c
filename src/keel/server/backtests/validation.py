"""Checks a backtest request against the core's strategy registry and the server's bounds.

Every refusal is a 422 problem+json naming the field (`field`, and `errors[].loc` as in request
validation errors) and, where the choice is from a list, the valid `choices`.
"""

from __future__ import annotations

import asyncio
import math
import re
from typing import Any

from keel.backtest.settings import ExecutionSettings
from keel.backtest.strategies import BUILTIN
from keel.backtest.strategy import Param
from keel.market.datasets import BUNDLED
from keel.server.backtests.schemas import BacktestIn
from keel.server.backtests.work import MIN_BARS, bundled_history, in_range
from keel.server.errors import ProblemError
from keel.server.settings import Settings

TRADABLE_SYMBOLS = tuple(symbol for symbol, (info, _) in BUNDLED.items() if info.tradable)
DATASET_NAME = re.compile(r"^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(csv|parquet)$")
"""Letters, digits and `._-`, ending in .csv or .parquet, never two dots in a row (the object
store refuses `..` in a key: `a..csv` passed this check and failed there with a 500)."""
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def invalid(field: str, message: str, *, choices: list[Any] | None = None) -> ProblemError:
    """A 422 problem naming `field` (dotted path inside the body) and the valid `choices`."""
    location: list[str | int] = ["body", *field.split(".")]
    return ProblemError(
        422,
        "validation-error",
        f"{field}: {message}",
        title="Your request has invalid fields",
        field=field,
        choices=choices,
        errors=[{"loc": location, "msg": message, "type": "value_error"}],
    )


def _check_param(name: str, value: float, spec: Param) -> float:
    field = f"params.{name}"
    if not math.isfinite(value):
        raise invalid(field, "must be a finite number")
    if spec.is_int and value != int(value):
        raise invalid(field, f"must be a whole number, got {value}")
    low = spec.low if spec.low is not None else -math.inf
    high = spec.high if spec.high is not None else math.inf
    if not low <= value <= high:
        raise invalid(field, f"must be between {spec.low} and {spec.high}, got {value}")
    return float(int(value)) if spec.is_int else float(value)


def resolved_params(strategy: str, given: dict[str, float]) -> dict[str, float]:
    """Every declared parameter of `strategy`: the given value (checked) or the default."""
    declared = BUILTIN[strategy].params
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise invalid(
            f"params.{unknown[0]}",
            f"{strategy} has no parameter {unknown[0]!r}",
            choices=list(declared),
        )
    resolved: dict[str, float] = {}
    for name, spec in declared.items():
        value = given.get(name, spec.default)
        resolved[name] = _check_param(name, float(value), spec)
    return resolved


async def validate(body: BacktestIn, settings: Settings) -> dict[str, Any]:
    """The request as stored on the job row (symbol upper-cased, parameters resolved)."""
    if (body.symbol is None) == (body.dataset is None):
        raise invalid(
            "symbol", "give exactly one of symbol and dataset", choices=list(TRADABLE_SYMBOLS)
        )
    symbol = body.symbol.strip().upper() if body.symbol is not None else None
    if symbol is not None and symbol not in TRADABLE_SYMBOLS:
        raise invalid(
            "symbol", f"no bundled history for {body.symbol!r}", choices=list(TRADABLE_SYMBOLS)
        )
    if body.dataset is not None and not DATASET_NAME.match(body.dataset):
        raise invalid(
            "dataset",
            "a dataset name ends in .csv or .parquet (letters, digits, ._-, no two dots in a row)",
        )
    if body.strategy not in BUILTIN:
        raise invalid("strategy", f"unknown strategy {body.strategy!r}", choices=list(BUILTIN))
    params = resolved_params(body.strategy, body.params)
    if body.cash > settings.max_starting_cash:
        raise invalid("cash", f"must be at most {settings.max_starting_cash}")
    for field, day in (("from", body.start), ("to", body.end)):
        if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise invalid(field, f"must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    if body.start is not None and body.end is not None and body.start > body.end:
        raise invalid("to", "must not be before `from`")
    try:
        ExecutionSettings(
            cash=float(body.cash),
            commission=body.commission,
            spread=body.spread,
            slippage=body.slippage,
            fill=body.fill,
            sizing=body.sizing,
            fraction=body.fraction,
            units=body.units,
            target_vol=body.target_vol,
            long_short=body.long_short,
            breakers=body.breakers,
            close_at_end=body.close_at_end,
        )
    except ValueError as exc:
        raise invalid("settings", str(exc)) from exc
    if symbol is not None:
        history = await asyncio.to_thread(bundled_history, symbol)
        bars = len(in_range(history, body.start, body.end))
        if bars < MIN_BARS:
            first, last = history.index[0].date(), history.index[-1].date()
            raise invalid(
                "from" if body.start is not None else "to",
                f"{symbol} has {bars} bar(s) in that range; its history runs {first} … {last}",
            )
    stored = body.model_dump(mode="json", by_alias=True)
    stored.update(symbol=symbol, params=params)
    return stored

"""How far a backtest of a bundled history may look: never past a market that replays it.

A scenario replaying SPX from 2008 keeps its future secret: `/bars` answers only bars before its
current day. A backtest of SPX is held to the same line, or it would trade at October 2008 prices
while the replay stands at 12 September (finding 11 of issue 12). The markets that count are the
scenario named in the request, the scenarios of the caller's accounts, and the default scenario
(anyone may open an account there); the earliest of their current days wins. A scenario that does
not replay the symbol (a simulator, uploaded history, another universe), an archived one or one
whose replay has finished sets no line. Uploaded datasets are the user's own: no line.

Policy: a range that ends on or after the line is **clamped** to the last day before it, and the
job says so in its `note`; a range with fewer than `MIN_BARS` bars before the line is refused
(422 `backtest-beyond-market-time`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.market.bars import SESSION_TZ
from keel.server.accounts.models import PaperAccount
from keel.server.backtests.validation import invalid
from keel.server.backtests.work import MIN_BARS, bundled_history, in_range
from keel.server.errors import ProblemError
from keel.server.runtime import Runtime
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID, ScenarioRow
from keel.server.scenarios.sources import REPLAY


@dataclass(frozen=True)
class Horizon:
    """The first day a backtest of `symbol` may not see, and the market that sets it."""

    symbol: str
    before: date
    scenario_id: str
    scenario_name: str

    @property
    def last_visible(self) -> date:
        return self.before - timedelta(days=1)

    def note(self) -> str:
        return (
            f"{self.symbol} is being replayed in the market “{self.scenario_name}”, which has "
            f"reached {self.before:%d %B %Y}. This test stops on {self.last_visible:%d %B %Y} "
            "so it cannot peek at that market's future."
        )


def _current_day(runtime: Runtime, row: ScenarioRow, symbol: str) -> date | None:
    """The day `row`'s replay of `symbol` stands at (bars from it on are its future); None when
    it sets no line."""
    if row.status != "active" or row.source != REPLAY:
        return None
    if row.universe is not None and symbol not in row.universe:
        return None
    live = runtime.scenarios.get(row.id)
    if live is not None:
        if live.feed.instrument(symbol) is None or live.feed.finished:
            return None
        return live.feed.market_date
    if row.market_time is not None:
        return row.market_time.astimezone(SESSION_TZ).date()
    return row.start_date


async def horizon(
    session: AsyncSession,
    runtime: Runtime,
    user_id: str,
    symbol: str,
    named: str | None,
) -> Horizon | None:
    """The line the caller's backtest of `symbol` stops at, or None (no market replays it)."""
    ids = {DEFAULT_SCENARIO_ID}
    if named is not None:
        if await session.get(ScenarioRow, named) is None:
            raise invalid("scenario", f"there is no market {named!r}")
        ids.add(named)
    owned = select(PaperAccount.scenario_id).where(PaperAccount.user_id == user_id).distinct()
    ids.update((await session.execute(owned)).scalars())
    rows = (await session.execute(select(ScenarioRow).where(ScenarioRow.id.in_(ids)))).scalars()
    found: Horizon | None = None
    for row in sorted(rows, key=lambda item: item.id):
        day = _current_day(runtime, row, symbol)
        if day is not None and (found is None or day < found.before):
            found = Horizon(symbol, day, row.id, row.name)
    return found


def hold_to_horizon(request: dict[str, Any], line: Horizon | None) -> dict[str, Any]:
    """The stored request with its range clamped before `line` (and a `note` saying so)."""
    if line is None:
        return request
    end = date.fromisoformat(request["to"]) if request.get("to") else None
    if end is not None and end < line.before:
        return request
    start = date.fromisoformat(request["from"]) if request.get("from") else None
    bars = len(in_range(bundled_history(line.symbol), start, line.last_visible))
    if bars < MIN_BARS:
        raise ProblemError(
            422,
            "backtest-beyond-market-time",
            f"A test of {line.symbol} can only use days the market “{line.scenario_name}” has "
            "already replayed, and your dates are after that. Pick dates before the market's "
            "current day.",
            figures={
                "symbol": line.symbol,
                "scenario_id": line.scenario_id,
                "market_date": line.before.isoformat(),
                "from": None if start is None else start.isoformat(),
                "bars_before_market_date": bars,
                "min_bars": MIN_BARS,
            },
        )
    return {
        **request,
        "to": line.last_visible.isoformat(),
        "requested_to": None if end is None else end.isoformat(),
        "horizon": {"scenario_id": line.scenario_id, "market_date": line.before.isoformat()},
        "note": line.note(),
    }

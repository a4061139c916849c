"""Autopilot in the engine: on a scenario's first step of each market day, trade the hybrid's
signals for every account of the scenario that switched it on.

One signal per symbol and day (the newest model trained before the last close, exactly what
`GET /api/v1/signals` serves), then for each account, in its own transaction holding the
account's lock:

1. if a decision for (account, symbol, signal day) is stored, nothing happens: autopilot acts at
   most once per market day and symbol, and an engine that restarts or takes the scenario over
   mid-day never places a second order for the same signal;
2. the plan (`keel.models.autopilot.plan_trade`) sizes the trade with the optimizer's parameters
   for the day (`keel.risk.optimizer`: confidence threshold and regime multipliers in force);
3. the order goes through `keel.server.orders.service.place_in`, the path a person's order takes:
   the same order gate (breakers, buying power, minors' rules), a minor's order waiting for a
   guardian, a refusal storing no order;
4. the decision (ordered, waiting for the guardian, refused with the gate's reason, or held) is
   stored with the order and published on the owner's `notifications` channel.

Market time only: the day is the scenario's market date, the decision's time its clock.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pandas as pd
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import OrderStatus, OrderType
from keel.domain.errors import DomainError
from keel.domain.order_requests import OrderRequest
from keel.domain.quotes import Quote
from keel.models.autopilot import Holding, TradePlan, plan_trade
from keel.server.accounts import repository as accounts_repo
from keel.server.autopilot import repository
from keel.server.autopilot.models import AutopilotDecisionRow
from keel.server.autopilot.schemas import AutopilotDecisionOut, Outcome
from keel.server.db import session_scope
from keel.server.errors import ProblemError
from keel.server.model_registry import repository as registry
from keel.server.model_registry.signals import ServedSignal, serve_signal
from keel.server.objectstore import get_object_store
from keel.server.orders.service import place_in
from keel.server.orders.workspace import Workspace, open_locked
from keel.server.pubsub import get_pubsub, publish_after_commit, user_channel
from keel.server.realtime.payloads import autopilot_data
from keel.server.runtime import Runtime
from keel.server.scenarios.live import LiveScenario
from keel.server.volatility.service import parameter_table_of
from keel.volatility.estimators import ewma_vol

log = structlog.get_logger(__name__)

ORIGIN = "autopilot"


def client_order_id(symbol: str, served: ServedSignal) -> str:
    """The order's client id: one per symbol and signal day (a repeat returns the original)."""
    return f"autopilot-{symbol}-{served.as_of.isoformat()}"


class AutopilotRunner:
    """Autopilot of one scenario, run on its feed's steps by the engine that owns it."""

    def __init__(self, runtime: Runtime, live: LiveScenario) -> None:
        self.runtime = runtime
        self.live = live
        self._day: date | None = None

    async def on_step(self, quotes: list[Quote]) -> None:
        today = self.live.feed.market_date
        if today is None or today == self._day:
            return
        self._day = today
        try:
            await self.run_day()
        except Exception:
            log.exception("autopilot failed for the day", scenario_id=self.live.id)

    async def run_day(self) -> list[AutopilotDecisionOut]:
        """Decide for every autopilot account of the scenario today; the new decisions."""
        async for session in session_scope(self.runtime.sessionmaker):
            accounts = await repository.autopilot_accounts(session, self.live.id)
        if not accounts:
            return []
        store = get_object_store(self.runtime)
        found = await registry.list_metadata(store)
        served = []
        for symbol in sorted(self.live.feed.instruments):
            signal = await serve_signal(store, self.live, symbol, found)
            if signal is not None:
                served.append(signal)
        decisions = []
        for account_id in accounts:
            for signal in served:
                decision = await self._decide_safely(account_id, signal)
                if decision is not None:
                    decisions.append(decision)
        return decisions

    async def _decide_safely(
        self, account_id: str, served: ServedSignal
    ) -> AutopilotDecisionOut | None:
        decision = None
        try:
            # The scope commits once the loop body ends (a `return` inside would skip it).
            async for session in session_scope(self.runtime.sessionmaker):
                decision = await self.decide(session, account_id, served)
        except Exception:
            log.exception("autopilot failed for an account", account_id=account_id)
            return None
        return decision

    async def decide(
        self, session: AsyncSession, account_id: str, served: ServedSignal
    ) -> AutopilotDecisionOut | None:
        """Plan, place and record one account's trade in `served.symbol` (None: already done,
        or autopilot is off by now)."""
        locked = await accounts_repo.lock_account_with_owner(session, account_id)
        if locked is None or not locked.row.autopilot:
            return None
        if await repository.decided(session, account_id, served.symbol, served.as_of):
            return None
        workspace = await open_locked(session, self.runtime, locked)
        workspace.origin = ORIGIN
        plan = self.plan(workspace, served)
        row = AutopilotDecisionRow(
            id=str(uuid.uuid4()),
            account_id=account_id,
            symbol=served.symbol,
            signal_day=served.as_of,
            action=plan.action.value,
            quantity=plan.quantity,
            figures=dict(plan.figures),
            model_version=served.model_version,
            time=self.live.clock.now(),
            recorded_at=self.runtime.clock.now(),
        )
        outcome, reason = await self._place(workspace, served, plan, row)
        row.outcome, row.reason = outcome, reason[:1000]
        session.add(row)
        await session.flush()
        decision = AutopilotDecisionOut.model_validate(row)
        channel = user_channel("notifications", locked.row.user_id)
        publish_after_commit(session, get_pubsub(self.runtime), channel, autopilot_data(decision))
        return decision

    def plan(self, workspace: Workspace, served: ServedSignal) -> TradePlan:
        """The trade the signal asks for, sized with the optimizer's parameters of the day."""
        symbol, signal = served.symbol, served.signal
        quote = workspace.scenario.feed.latest_quote(symbol)
        price = quote.last if quote is not None else Decimal(str(served.past["Close"].iloc[-1]))
        account = workspace.account
        holding = Holding(
            account.position(symbol).quantity, account.equity(workspace.marks()), price
        )
        risk = self.live.risk
        assert risk is not None, "autopilot runs where the scenario's risk runtime runs"
        table = parameter_table_of(risk, symbol)
        moment = pd.Timestamp(self.live.feed.market_date or served.as_of)
        threshold = table.at(moment, signal.regime).confidence_threshold
        forecast = float(ewma_vol(served.past["Close"].to_numpy(float))[-1])
        return plan_trade(symbol, signal, threshold, holding, forecast, table.sizing(moment))

    async def _place(
        self,
        workspace: Workspace,
        served: ServedSignal,
        plan: TradePlan,
        row: AutopilotDecisionRow,
    ) -> tuple[Outcome, str]:
        """Place the plan's order through the one placement path; the outcome and its words."""
        side = plan.side
        if side is None:
            return "held", plan.reason
        request = OrderRequest(
            account_id=workspace.account.id,
            symbol=served.symbol,
            side=side,
            type=OrderType.MARKET,
            quantity=plan.quantity,
            client_order_id=client_order_id(served.symbol, served),
        )
        try:
            order = await place_in(workspace, request)
        except (ProblemError, DomainError) as refused:
            detail = refused.detail if isinstance(refused, ProblemError) else str(refused)
            row.code = refused.code
            return "refused", f"{plan.reason} The order was refused, so none was placed: {detail}"
        row.order_id = order.id
        cut = order.cut.get("detail") if order.cut else None
        reason = f"{plan.reason} {cut}" if cut else plan.reason
        if order.status == OrderStatus.PENDING_APPROVAL.value:
            return "waiting_for_guardian", f"{reason} It waits for your guardian's approval."
        return "ordered", reason


def attach_autopilot(runtime: Runtime, live: LiveScenario) -> AutopilotRunner:
    """The scenario's autopilot, run after its engine loop on every step of its feed."""
    runner = AutopilotRunner(runtime, live)
    live.autopilot = runner
    live.feed.add_step_listener(runner.on_step)
    return runner

"""Order preview: what placing an order now would do, every check at once, nothing stored.

The same steps as placement (`service.place_order`): the caller's account locked with the owner's
token version, a repeated `client_order_id` looked up (so the preview sees the reservations of orders committed before it), its
workspace, the instrument tradable in its scenario, then the core's `preview_placement` on the
workspace's engine: the very gate chain placement runs (breakers, minors' rules), asked for every
check's verdict, then the reservation (buying power, units to sell). Nothing is flushed: no
order, event, fill, ledger entry or reservation is written, and the in-memory engine is thrown
away with the request.

The account's breaker is judged with the account's figures now, as an order would judge it: a
level it reaches is real (the account's losses), not caused by the preview.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.errors import Figure
from keel.domain.money import plain_decimal
from keel.domain.order_requests import OrderRequest
from keel.domain.orders import OrderCut
from keel.engine.preview import Objection, PlacementPreview, preview_placement
from keel.server.auth.tokens import TokenClaims
from keel.server.breakers.schemas import BreakerOut
from keel.server.breakers.service import breaker_out
from keel.server.errors import problem_type
from keel.server.lessons.links import problem_links
from keel.server.orders import repository
from keel.server.orders.mapping import cut_as_json
from keel.server.orders.schemas import (
    FigureValue,
    OrderCutOut,
    OrderPreviewOut,
    PreviewEstimateOut,
    PreviewFindingOut,
)
from keel.server.orders.service import lock_callers_account
from keel.server.orders.workspace import Workspace, open_locked
from keel.server.runtime import Runtime

WAITS_FOR_GUARDIAN = (
    "This order would be placed and then wait for your guardian: it only goes ahead once a "
    "guardian approves it."
)
ACCEPTED = "This order would be accepted."
REPEAT = (
    "You already placed an order with this client_order_id, so placing it again would give you "
    "that order back unchanged: nothing new would be placed."
)


async def preview_order(
    session: AsyncSession, runtime: Runtime, caller: TokenClaims, request: OrderRequest
) -> OrderPreviewOut:
    """What placing `request` now would do, for the holder of the access token `caller`."""
    locked = await lock_callers_account(session, caller, request.account_id)
    workspace = await open_locked(session, runtime, locked)
    if (problem := workspace.untradable(request.symbol)) is not None:
        raise problem
    repeated = None
    if request.client_order_id is not None:
        repeated = await repository.by_client_order_id(
            session, request.account_id, request.client_order_id
        )
    needs_approval = workspace.account.is_minor
    preview = preview_placement(workspace.engine, request, needs_approval=needs_approval)
    return _preview_out(workspace, preview, repeated.id if repeated is not None else None)


def _preview_out(
    workspace: Workspace, preview: PlacementPreview, repeat_of: str | None
) -> OrderPreviewOut:
    order, refusal = preview.order, preview.refusal
    if repeat_of is not None:
        outcome, detail = "repeat", REPEAT
    elif refusal is not None:
        outcome, detail = "refused", refusal.reason
    elif preview.needs_approval:
        outcome, detail = "waits_for_guardian", WAITS_FOR_GUARDIAN
    else:
        outcome, detail = "accepted", ACCEPTED
    cut = cut_as_json(order.cut) if refusal is None else None
    if cut is not None and outcome == "accepted":
        detail = f"{ACCEPTED} {cut['detail']}"
    planned = preview.estimate
    regime, breakers = _breakers(workspace, order.account_id, order.symbol)
    return OrderPreviewOut(
        outcome=outcome,
        detail=detail,
        repeat_of=repeat_of,
        code=refusal.code if refusal and not repeat_of else None,
        type=problem_type(refusal.code) if refusal and not repeat_of else None,
        symbol=order.symbol,
        side=order.side.value,
        requested_quantity=order.requested_quantity,
        requested_notional=order.requested_notional,
        quantity=order.quantity,
        notional=order.notional,
        cut=OrderCutOut(**cut) if cut is not None else None,
        estimate=PreviewEstimateOut(
            price=planned.price,
            quantity=planned.quantity,
            notional=planned.notional,
            commission=preview.commission,
            cost=preview.cost,
        ),
        buying_power=preview.buying_power,
        buying_power_after=preview.buying_power_after,
        regime=regime,
        breakers=breakers,
        findings=[_finding(objection, order.cut) for objection in preview.objections],
        market_time=workspace.scenario.feed.market_time,
    )


def _breakers(
    workspace: Workspace, account_id: str, symbol: str
) -> tuple[str | None, list[BreakerOut]]:
    """The instrument's regime and the market-wide, symbol and account breakers (none when the
    scenario's breakers are not running in this process)."""
    risk = workspace.scenario.risk
    if risk is None:
        return None, []
    board = risk.board
    machines = [
        board.market.machine,
        board.symbol(symbol).machine,
        board.account(account_id).machine,
    ]
    return board.symbol(symbol).regime.name, [breaker_out(machine) for machine in machines]


def _finding(objection: Objection, cut: OrderCut | None) -> PreviewFindingOut:
    """A refusal in the rule's words; a cut in the plain words the order would carry, the rule's
    own words beside them (as `OrderOut.cut` has them)."""
    if objection.refuses or cut is None:
        detail, reason = objection.reason, None
    else:
        detail, reason = cut.detail, objection.reason
    return PreviewFindingOut(
        code=objection.code,
        type=problem_type(objection.code),
        effect="refuse" if objection.refuses else "cut",
        detail=detail,
        reason=reason,
        breaker=objection.breaker,
        figures=_figures(objection.figures),
        **problem_links(objection.code),  # the same teachable moment as the problem would carry
    )


def _figures(figures: Mapping[str, Figure]) -> dict[str, FigureValue]:
    """Amounts as plain decimal strings (never `1E+3`), statistics as numbers."""
    out: dict[str, FigureValue] = {}
    for name, value in figures.items():
        if isinstance(value, Decimal):
            out[name] = plain_decimal(value)
        elif isinstance(value, bool) or not isinstance(value, int | float | str):
            out[name] = str(value)
        else:
            out[name] = value
    return out

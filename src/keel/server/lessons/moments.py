"""Teachable moments: an order refused at placement is remembered with the lesson behind it.

The breakers lesson shows the learner's own last refused order, and the first refusal of a kind
offers a two-question check (`GET /api/v1/lessons/checks/<code>`). Only refusals a lesson explains
are kept (not a malformed request); remembering never changes or hides the refusal itself.
"""

from __future__ import annotations

import structlog

from keel.domain.errors import DomainError
from keel.server.errors import ProblemError
from keel.server.lessons.links import problem_links
from keel.server.lessons.service import record_refusal
from keel.server.orders.schemas import OrderIn
from keel.server.runtime import Runtime

log = structlog.get_logger(__name__)


async def remember_refusal(
    runtime: Runtime, user_id: str, body: OrderIn, refused: ProblemError | DomainError
) -> None:
    if isinstance(refused, ProblemError):
        code, detail, figures = refused.code, refused.detail, refused.extra.get("figures") or {}
    else:
        code, detail, figures = refused.code, str(refused), dict(refused.figures)
    if "lesson" not in problem_links(code):
        return
    if body.quantity is not None:
        amount: str | None = str(body.quantity)
    else:
        amount = None if body.notional is None else f"${body.notional}"
    try:
        await record_refusal(
            runtime,
            user_id,
            code=code,
            detail=detail,
            figures=dict(figures),
            account_id=body.account_id,
            symbol=body.symbol.upper(),
            side=body.side,
            order_type=body.type,
            amount=amount,
        )
    except Exception:  # the learner still gets the refusal; the moment is only lost
        log.exception("could not remember a refused order", code=code)

"""`/accounts/{id}/risk`: the account breaker's limits, for the holder and a minor's guardian."""

from __future__ import annotations

from fastapi import APIRouter

from keel.server.account_risk import applying as _applying  # noqa: F401  (start hook)
from keel.server.account_risk import service
from keel.server.account_risk.schemas import AccountRiskOut, RiskLimitsIn
from keel.server.auth.deps import CurrentUser
from keel.server.deps import RuntimeDep, SessionDep

router = APIRouter(prefix="/accounts", tags=["accounts"])


@router.get("/{account_id}/risk", summary="The account's risk limits (in force, own, guardian's)")
async def get_risk_limits(
    account_id: str, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> AccountRiskOut:
    return await service.get_limits(session, runtime, user, account_id)


@router.put(
    "/{account_id}/risk",
    summary="Set the account's risk limits (the holder's own, or a linked guardian's)",
)
async def set_risk_limits(
    account_id: str,
    body: RiskLimitsIn,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> AccountRiskOut:
    return await service.set_limits(
        session, runtime, user, account_id, body, now=runtime.clock.now()
    )

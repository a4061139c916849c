"""Every router of the API, mounted once. Feature modules add one line each here."""

from __future__ import annotations

from fastapi import APIRouter

from keel.server.account_requests.endpoints import router as account_requests_router
from keel.server.account_risk.endpoints import router as account_risk_router
from keel.server.accounts.endpoints import router as accounts_router
from keel.server.apidocs.endpoints import router as apidocs_router
from keel.server.approvals.endpoints import router as approvals_router
from keel.server.auth.endpoints import me_router
from keel.server.auth.endpoints import router as auth_router
from keel.server.autopilot.endpoints import router as autopilot_router
from keel.server.backtests.endpoints import router as backtests_router
from keel.server.breakers.endpoints import router as breakers_router
from keel.server.classes.endpoints import router as classes_router
from keel.server.feedback.endpoints import router as feedback_router
from keel.server.flags.endpoints import router as flags_router
from keel.server.guardians.endpoints import router as guardian_router
from keel.server.lessons.endpoints import router as lessons_router
from keel.server.market.endpoints import router as market_router
from keel.server.model_registry.endpoints import router as model_registry_router
from keel.server.orders.endpoints import router as orders_router
from keel.server.problems.endpoints import router as problems_router
from keel.server.realtime.endpoints import router as realtime_router
from keel.server.scenarios.endpoints import router as scenarios_router
from keel.server.system.endpoints import router as system_router
from keel.server.users.endpoints import router as users_router
from keel.server.volatility.endpoints import router as volatility_router

root_router = APIRouter()
root_router.include_router(system_router)
root_router.include_router(problems_router)
root_router.include_router(apidocs_router)

api_router = APIRouter()
# Requests are matched against routes in this order: the busiest (placing orders, quotes) first.
api_router.include_router(orders_router, tags=["orders"])
api_router.include_router(market_router, tags=["market"])
api_router.include_router(auth_router, tags=["auth"])
api_router.include_router(me_router, tags=["auth"])
api_router.include_router(guardian_router, tags=["guardian"])
api_router.include_router(accounts_router, tags=["accounts"])
api_router.include_router(account_risk_router, tags=["accounts"])
api_router.include_router(account_requests_router)
api_router.include_router(autopilot_router, tags=["accounts"])
api_router.include_router(approvals_router, tags=["guardian"])
api_router.include_router(realtime_router)
api_router.include_router(backtests_router, tags=["backtests"])
api_router.include_router(volatility_router, tags=["volatility"])
api_router.include_router(breakers_router, tags=["breakers"])
api_router.include_router(scenarios_router, tags=["scenarios"])
api_router.include_router(lessons_router, tags=["lessons"])
api_router.include_router(classes_router, tags=["classes"])
api_router.include_router(model_registry_router, tags=["models"])
api_router.include_router(users_router, tags=["admin"])
api_router.include_router(flags_router, tags=["flags"])
api_router.include_router(feedback_router, tags=["feedback"])

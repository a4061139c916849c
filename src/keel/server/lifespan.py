"""Start-up and shut-down of the runtime, in one visible order.

Every component is built here and handed out through a typed attribute of `Runtime`; nothing
starts because a module happened to be imported. Start-up, in order:

1. pub/sub (in-process, or Redis) — everything below publishes or listens;
2. object store, WebSocket hub, rate limiter, login throttle, access-token denylist, feature
   flags (the flags file checked — a malformed one stops start-up — with the admins' changes);
3. the market and its scenarios: the history store, then each scenario's feed (its clock resumed
   where it was stored), risk runtime (regimes, breakers) and engine loop, in that order, so on
   every step breakers are judged before resting orders are matched;
4. the lessons and glossary, checked (a malformed lesson stops start-up here, naming its file
   and line; their figures come from the market's history), and the lesson links every problem
   and breaker explanation carries;
5. account limits (stored ones loaded, changes from any process listened to);
6. engine state shared with API replicas (published by an engine, mirrored by a replica);
7. backtest jobs;
8. demo users on a first start;
9. the scenario clocks start running, and the supervisor that starts scenarios created later.

Shut-down runs in reverse, clocks first, so no market step reaches a stopping component.
"""

from __future__ import annotations

from keel.server.account_risk.applying import start_account_limits
from keel.server.auth.revocation import build_access_denylist
from keel.server.auth.throttle import build_login_throttle
from keel.server.backtests.jobs import BacktestJobs
from keel.server.demo import demo_users_on_first_start
from keel.server.flags.book import FlagBook
from keel.server.lessons.component import start_lessons
from keel.server.mirror import start_sharing, stop_sharing
from keel.server.objectstore import build_object_store
from keel.server.pubsub import start_pubsub
from keel.server.ratelimit import RequestLimiter
from keel.server.realtime.hub import Hub
from keel.server.runtime import Runtime
from keel.server.scenarios.launcher import (
    run_scenarios,
    start_scenarios,
    stop_clocks,
    stop_scenarios,
)


async def start_runtime(runtime: Runtime) -> None:
    settings = runtime.settings
    runtime.pubsub = await start_pubsub(runtime)
    runtime.objects = build_object_store(settings)
    runtime.hub = Hub(runtime.pubsub)
    runtime.rate_limiter = RequestLimiter.from_settings(settings)
    runtime.login_throttle = build_login_throttle(settings.redis_url, settings.redis_namespace)
    runtime.access_denylist = build_access_denylist(settings.redis_url, settings.redis_namespace)
    runtime.flags = FlagBook(runtime)
    await runtime.flags.start()
    await start_scenarios(runtime)
    assert runtime.market is not None  # built by start_scenarios
    runtime.lessons = await start_lessons(settings, runtime.market)
    runtime.risk_limits_listener = await start_account_limits(runtime)
    await start_sharing(runtime)
    runtime.backtests = BacktestJobs(runtime)
    await runtime.backtests.start()
    await demo_users_on_first_start(runtime)
    run_scenarios(runtime)


async def stop_runtime(runtime: Runtime) -> None:
    await stop_clocks(runtime)
    if runtime.order_desk is not None:  # queued orders are answered 503
        await runtime.order_desk.stop()
    await stop_sharing(runtime)
    if runtime.risk_limits_listener is not None:
        runtime.risk_limits_listener()
        runtime.risk_limits_listener = None
    if runtime.hub is not None:
        runtime.hub.close()
        runtime.hub = None
    await stop_scenarios(runtime)
    if runtime.backtests is not None:
        await runtime.backtests.stop()
        runtime.backtests = None
    if runtime.rate_limiter is not None:
        await runtime.rate_limiter.close()
        runtime.rate_limiter = None
    for closing in (runtime.login_throttle, runtime.access_denylist):
        if closing is not None:
            await closing.close()
    runtime.login_throttle = runtime.access_denylist = None
    if runtime.flags is not None:
        await runtime.flags.stop()
        runtime.flags = None
    if runtime.pubsub is not None:
        await runtime.pubsub.stop()
        runtime.pubsub = None
    runtime.objects = None
    runtime.lessons = None

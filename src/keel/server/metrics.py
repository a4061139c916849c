"""Prometheus metrics. One module-level registry per process; `/metrics` exposes it."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_LATENCY = Histogram(
    "keel_http_request_duration_seconds",
    "HTTP request latency by route template, method and status class.",
    ["method", "route", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
    registry=REGISTRY,
)
ORDERS = Counter(
    "keel_orders_total", "Orders by final or current status.", ["status"], registry=REGISTRY
)
ORDER_BATCH_SIZE = Histogram(
    "keel_order_batch_size",
    "Orders placed together in one transaction by the order desk.",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
    registry=REGISTRY,
)
FILLS = Counter("keel_fills_total", "Fills executed.", ["symbol", "side"], registry=REGISTRY)
WS_CONNECTIONS = Gauge(
    "keel_websocket_connections", "Open WebSocket connections.", registry=REGISTRY
)
WS_DELIVERY = Histogram(
    "keel_websocket_delivery_seconds",
    "Seconds from the hub taking a channel message off pub/sub to its frame written to a"
    " client's socket, per frame written (the WebSocket delivery SLO).",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
WS_MESSAGES = Counter(
    "keel_websocket_messages_total",
    "Channel frames for clients by outcome: sent; conflated (a quote replaced by a newer one"
    " before it was sent); dropped (lost when a client too slow to read was disconnected).",
    ["outcome"],
    registry=REGISTRY,
)
# Every outcome is exported from the start, at 0; the children are bound once, since the hub
# counts on every frame for every client.
WS_SENT, WS_CONFLATED, WS_DROPPED = (
    WS_MESSAGES.labels(outcome) for outcome in ("sent", "conflated", "dropped")
)
FEED_LAG = Gauge(
    "keel_feed_lag_seconds",
    "Wall-clock seconds between when a replay step was due and when it was published.",
    registry=REGISTRY,
)
BREAKER_LEVEL = Gauge(
    "keel_breaker_level",
    "Circuit-breaker level (0 OPEN … 3 CLOSED) by scope and key.",
    ["scope", "key"],
    registry=REGISTRY,
)
ENGINE_LEADER = Gauge(
    "keel_engine_leader",
    "1 on the process that runs the market (the leading engine, or an `all` process), else 0.",
    registry=REGISTRY,
)
ENGINE_STATE_AGE = Gauge(
    "keel_engine_state_age_seconds",
    "On an api replica: seconds since it last applied an engine state (the mirror's lag).",
    registry=REGISTRY,
)
BACKTEST_JOBS = Gauge(
    "keel_backtest_jobs_active",
    "Backtest jobs queued or running in this process.",
    registry=REGISTRY,
)

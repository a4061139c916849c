"""Keel's Grafana dashboards, written as code with grafana-foundation-sdk and saved as JSON.

    .venv/bin/python deploy/grafana/build.py     # rewrites deploy/grafana/dashboards/*.json

Import the JSON files into Grafana (or provision the folder); they read a Prometheus data source
with the uid `prometheus`. tests/deploy/test_grafana.py checks that the files are what this script
writes, that Grafana's models read them back, and (test_prometheus.py) that every query parses and
names only metrics a running Keel exports.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from grafana_foundation_sdk.builders import dashboard, prometheus, stat, timeseries
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models.dashboard import DataSourceRef

OUT = Path(__file__).resolve().parent / "dashboards"
SOURCE = DataSourceRef(type_val="prometheus", uid="prometheus")
ORDERS = 'route="/orders",method="POST"'


@dataclass(frozen=True)
class Graph:
    title: str
    queries: tuple[tuple[str, str], ...]
    """(PromQL, legend) pairs."""
    unit: str = "short"
    kind: str = "timeseries"


DASHBOARDS: dict[str, tuple[str, tuple[Graph, ...]]] = {
    "keel-overview": ("Keel · overview", (
        Graph("Order availability (30-day SLO 99.9 %)",
              (("1 - keel:order_errors:ratio_rate1h", "1 h"),
               ("1 - keel:order_errors:ratio_rate6h", "6 h")), "percentunit"),
        Graph("Order latency p99 (SLO < 250 ms)",
              (("keel:order_latency_seconds:p99_5m", "p99"),), "s"),
        Graph("Requests per second by status",
              (("sum by (status) (rate(keel_http_request_duration_seconds_count[5m]))",
                "{{status}}"),), "reqps"),
        Graph("Engine leaders", (("sum(keel_engine_leader)", "leaders"),), "short", "stat"),
    )),
    "keel-orders": ("Keel · orders", (
        Graph("Order placements per second",
              ((f"sum by (status) (rate(keel_http_request_duration_seconds_count{{{ORDERS}}}[5m]))",
                "{{status}}"),), "reqps"),
        Graph("Order latency",
              (("keel:order_latency_seconds:p99_5m", "p99"),
               (f"histogram_quantile(0.5, sum by (le) (rate(keel_http_request_duration_seconds_bucket{{{ORDERS}}}[5m])))",
                "p50")), "s"),
        Graph("Orders in one transaction (order desk)",
              (("rate(keel_order_batch_size_sum[5m]) / rate(keel_order_batch_size_count[5m])",
                "{{instance}}"),)),
        Graph("Fills per second", (("sum by (side) (rate(keel_fills_total[5m]))", "{{side}}"),),
              "ops"),
        Graph("Error budget burn (1 h, 5 m)",
              (("keel:order_errors:ratio_rate1h / 0.001", "1 h"),
               ("keel:order_errors:ratio_rate5m / 0.001", "5 m"))),
    )),
    "keel-engine": ("Keel · engine and breakers", (
        Graph("Leading engine", (("keel_engine_leader", "{{instance}}"),)),
        Graph("Feed lag", (("max(keel_feed_lag_seconds)", "lag"),), "s"),
        Graph("Replica mirror lag", (("keel_engine_state_age_seconds", "{{instance}}"),), "s"),
        Graph("Market-wide breaker (0 OPEN … 3 CLOSED)",
              (('max by (key) (keel_breaker_level{scope="market"})', "{{key}}"),)),
        Graph("Symbols not OPEN", (('count(keel_breaker_level{scope="symbol"} > 0)', "symbols"),),
              "short", "stat"),
    )),
    "keel-websockets": ("Keel · WebSockets", (
        Graph("Open connections", (("sum by (instance) (keel_websocket_connections)",
                                    "{{instance}}"),)),
        Graph("Connections, all replicas", (("sum(keel_websocket_connections)", "open"),),
              "short", "stat"),
        Graph("Delivery p99, hub to socket (SLO: 99 % within 250 ms)",
              (("keel:ws_delivery_seconds:p99_5m", "p99"),), "s"),
        Graph("Late or dropped frames (30-day budget 1 %)",
              (("keel:ws_delivery_missed:ratio_rate1h", "1 h"),
               ("keel:ws_delivery_missed:ratio_rate5m", "5 m")), "percentunit"),
        Graph("Frames per second by outcome",
              (("sum by (outcome) (rate(keel_websocket_messages_total[5m]))", "{{outcome}}"),),
              "ops"),
    )),
    "keel-jobs": ("Keel · backtest jobs", (
        Graph("Jobs queued or running", (("sum by (instance) (keel_backtest_jobs_active)",
                                          "{{instance}}"),)),
        Graph("Backtest request latency p99",
              (('histogram_quantile(0.99, sum by (le) (rate(keel_http_request_duration_seconds_bucket{route=~"/backtests.*"}[5m])))',
                "p99"),), "s"),
    )),
}  # fmt: skip


def panel(graph: Graph) -> dashboard.Panel:
    builder = stat.Panel() if graph.kind == "stat" else timeseries.Panel()
    builder = builder.title(graph.title).datasource(SOURCE).unit(graph.unit).height(8).span(12)
    for index, (expr, legend) in enumerate(graph.queries):
        builder = builder.with_target(
            prometheus.Dataquery()
            .datasource(SOURCE)
            .expr(expr)
            .legend_format(legend)
            .ref_id("ABCDEFGH"[index])
        )
    return builder


def build(uid: str) -> dict[str, object]:
    title, graphs = DASHBOARDS[uid]
    board = (
        dashboard.Dashboard(title)
        .uid(uid)
        .tags(["keel"])
        .refresh("30s")
        .time("now-6h", "now")
        .timezone("utc")
    )
    for graph in graphs:
        board = board.with_panel(panel(graph))
    encoded: dict[str, object] = json.loads(json.dumps(board.build(), cls=JSONEncoder))
    return encoded


def write(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for uid in DASHBOARDS:
        path = out / f"{uid}.json"
        path.write_text(json.dumps(build(uid), indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)

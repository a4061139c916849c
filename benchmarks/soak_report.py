"""The soak's printed figures (benchmarks/soak.py): per-minute lines, the verdicts and the
replicas' own WebSocket delivery figures."""

from __future__ import annotations

import os
import statistics

import httpx
from prometheus_client.parser import text_string_to_metric_families

from harness import percentile
from soak_traffic import Window

FLAT_RISE = 0.25
"""p99 is flat when the least-squares line through the per-minute p99s rises by less than this
share of their median over the run."""
TARGET_RSS_GROWTH = 0.05
MIB = 1024 * 1024


def load() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def ms(values: list[float], share: float) -> str:
    return f"{1000 * percentile(values, share):7.1f}" if values else "      –"


def line_fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares intercept and slope of y over x."""
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0
    return mean_y - slope * mean_x, slope


def trend_rise(values: list[float]) -> float:
    """How much the least-squares line through `values` rises from the first to the last."""
    if len(values) < 2:
        return 0.0
    xs = range(len(values))
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(values)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, values, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    return slope * (len(values) - 1)


def minute_line(
    minute: int, window: Window, rss: list[int], children: int, shares: list[float], client: float
) -> str:
    total = sum(window.statuses.values())
    ok = sum(n for status, n in window.statuses.items() if status < 400)
    fours = {status: n for status, n in sorted(window.statuses.items()) if 400 <= status < 500}
    fives = sum(n for status, n in window.statuses.items() if status >= 500)
    return (
        f"  {minute:3d}  {total:8d}  {ok:4d}  {fours or '{}'!s:20s} {fives:4d}  "
        f"{window.connection_errors:4d} {ms(window.latencies, 0.5)} {ms(window.latencies, 0.99)}"
        f"    {ms(window.order_latencies, 0.99)}  {window.ws_messages:7d}    "
        f"{ms(window.ws_latencies, 0.99)}  {window.pubsub_messages / 60:9.0f}  "
        f"{'/'.join(f'{r / MIB:.0f}' for r in rss)} +{children / MIB:.0f}  "
        f"{'/'.join(f'{100 * share:.0f}' for share in shares)}  {load()}  {100 * client:.0f} %"
    )


def verdicts(windows: list[Window], names: list[str], samples: list[list[int]]) -> None:
    requests = sum(sum(w.statuses.values()) for w in windows)
    fives = sum(n for w in windows for status, n in w.statuses.items() if status >= 500)
    failed = sum(w.connection_errors + w.shed for w in windows)
    print(f"total: {requests} requests, {fives} answered 5xx (target 0: "
          f"{'met' if fives == 0 else 'NOT met'}), {failed} failed to connect or shed")  # fmt: skip
    for label, series in (("all requests", [w.latencies for w in windows]),
                          ("orders", [w.order_latencies for w in windows])):  # fmt: skip
        p99s = [1000 * percentile(values, 0.99) for values in series if values]
        if not p99s:
            continue
        rise, middle = trend_rise(p99s), statistics.median(p99s)
        flat = rise < FLAT_RISE * middle
        print(f"p99 {label}: first minute {p99s[0]:.1f} ms, last {p99s[-1]:.1f} ms; fitted line "
              f"rises {rise:+.1f} ms over the run, {FLAT_RISE:.0%} of the median {middle:.1f} ms "
              f"is {FLAT_RISE * middle:.1f} ms: {'flat' if flat else 'NOT flat'}")  # fmt: skip
    for index, name in enumerate(names):
        readings = [sample[index] for sample in samples]
        start, slope = line_fit(list(enumerate(map(float, readings))))
        growth = slope * (len(readings) - 1) / start if start else 0.0
        print(f"RSS {name}: fitted line {start / MIB:.0f} -> "
              f"{(start + slope * (len(readings) - 1)) / MIB:.0f} MiB ({growth:+.1%}; target < "
              f"{TARGET_RSS_GROWTH:.0%}: {'met' if growth < TARGET_RSS_GROWTH else 'NOT met'}); "
              f"read {len(readings)} times: first {readings[0] / MIB:.0f}, last "
              f"{readings[-1] / MIB:.0f}, {min(readings) / MIB:.0f}-{max(readings) / MIB:.0f} MiB")  # fmt: skip
    kinds = sorted({kind for w in windows for kind in w.by_kind})
    print("latency by request over the soak, p50 / p99 ms (requests): " + "; ".join(
        f"{kind} {ms(every, 0.5).strip()} / {ms(every, 0.99).strip()} ({len(every)})"
        for kind in kinds if (every := [x for w in windows for x in w.by_kind[kind]])))  # fmt: skip
    reconnects = sum(w.ws_reconnects for w in windows)
    print(f"WebSocket: {sum(w.ws_messages for w in windows)} messages, {reconnects} reconnects")


def delivery_slo(bases: list[str]) -> str:
    """The replicas' own WebSocket delivery figures, from their `/metrics` (loopback needs no
    token): frames written, the share within the SLO's 250 ms, frames dropped and conflated."""
    written = within = dropped = conflated = 0.0
    for base in bases:
        text = httpx.get(f"{base}/metrics", timeout=30).text
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == "keel_websocket_delivery_seconds_count":
                    written += sample.value
                elif sample.name == "keel_websocket_delivery_seconds_bucket" and (
                    sample.labels.get("le") == "0.25"
                ):
                    within += sample.value
                elif sample.name == "keel_websocket_messages_total":
                    outcome = sample.labels.get("outcome")
                    dropped += sample.value if outcome == "dropped" else 0
                    conflated += sample.value if outcome == "conflated" else 0
    share = within / written if written else 0.0
    return (f"WebSocket delivery SLO, the replicas' own metrics over the whole run: {written:.0f} "
            f"frames written, {share:.2%} within 250 ms (objective 99 %), {dropped:.0f} dropped, "
            f"{conflated:.0f} quotes conflated")  # fmt: skip

"""Self-contained HTML report: equity, drawdown, price with trades and regime shading, trade table.

Charts are inline SVG drawn here; a few lines of inline JavaScript add a hover read-out and a
sortable trade table. Nothing is fetched at view time, so the file opens offline.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from keel.backtest.export import result_to_dict
from keel.domain.enums import Regime

if TYPE_CHECKING:
    from keel.backtest.runner import BacktestResult

WIDTH, HEIGHT, PAD = 960, 220, 40
MAX_POINTS = 1500
REGIME_COLOURS = {
    Regime.LOW: "#e8f5e9",
    Regime.NORMAL: "#ffffff",
    Regime.HIGH: "#fff3e0",
    Regime.EXTREME: "#ffebee",
}


def _thin(length: int) -> np.ndarray:
    """Indices of at most MAX_POINTS bars, evenly spread, always keeping the last."""
    if length <= MAX_POINTS:
        return np.arange(length)
    return np.unique(np.r_[np.linspace(0, length - 1, MAX_POINTS).astype(int), length - 1])


class _Frame:
    """Maps bar positions and values to SVG coordinates."""

    def __init__(self, length: int, low: float, high: float) -> None:
        self.length = max(length - 1, 1)
        self.low = low
        self.span = (high - low) or 1.0

    def x(self, bar: float) -> float:
        return PAD + (WIDTH - 2 * PAD) * bar / self.length

    def y(self, value: float) -> float:
        return HEIGHT - PAD / 2 - (HEIGHT - PAD) * (value - self.low) / self.span


def _line_chart(
    chart_id: str, title: str, values: np.ndarray, colour: str, extra: str = "", fill: bool = False
) -> str:
    keep = _thin(len(values))
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    frame = _Frame(len(values), low, high)
    points = " ".join(f"{frame.x(i):.1f},{frame.y(values[i]):.1f}" for i in keep)
    area = ""
    if fill:
        base = frame.y(min(max(0.0, low), high))
        area = (
            f'<polygon fill="{colour}" fill-opacity="0.25" points="{frame.x(0):.1f},{base:.1f} '
            f'{points} {frame.x(len(values) - 1):.1f},{base:.1f}"/>'
        )
    axis = (
        f'<text x="4" y="{frame.y(high) + 4:.0f}" class="axis">{high:,.2f}</text>'
        f'<text x="4" y="{frame.y(low):.0f}" class="axis">{low:,.2f}</text>'
    )
    return (
        f"<section><h2>{html.escape(title)}</h2>"
        f'<svg id="{chart_id}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'data-low="{low}" data-high="{high}" role="img" aria-label="{html.escape(title)}">'
        f"{extra}{area}"
        f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{points}"/>'
        f'{axis}<line class="cursor" x1="0" x2="0" y1="0" y2="{HEIGHT}"/></svg></section>'
    )


def _regime_shading(regimes: np.ndarray, length: int, frame: _Frame) -> str:
    changes = np.flatnonzero(np.diff(regimes)) + 1
    starts = np.r_[0, changes]
    ends = np.r_[changes, length]
    parts = []
    for start, end in zip(starts, ends, strict=True):
        colour = REGIME_COLOURS[Regime(int(regimes[start]))]
        if colour == "#ffffff":
            continue
        x0, x1 = frame.x(start), frame.x(end - 1)
        parts.append(
            f'<rect x="{x0:.1f}" y="0" width="{max(x1 - x0, 1):.1f}" height="{HEIGHT}" '
            f'fill="{colour}"><title>{Regime(int(regimes[start])).name}</title></rect>'
        )
    return "".join(parts)


def _trade_marks(result: BacktestResult, frame: _Frame) -> str:
    close = result.bars.close
    marks = []
    for trade in result.trades[:2000]:
        colour = "#2e7d32" if trade.size > 0 else "#c62828"
        x, y = frame.x(trade.entry_bar), frame.y(close[trade.entry_bar])
        shape = f"{x:.1f},{y + 7:.1f} {x - 5:.1f},{y + 15:.1f} {x + 5:.1f},{y + 15:.1f}"
        if trade.size < 0:
            shape = f"{x:.1f},{y - 7:.1f} {x - 5:.1f},{y - 15:.1f} {x + 5:.1f},{y - 15:.1f}"
        marks.append(f'<polygon class="trade" fill="{colour}" points="{shape}"/>')
    return "".join(marks)


def render_html(result: BacktestResult, title: str | None = None) -> str:
    """The whole report as one HTML string (no external resources)."""
    document = result_to_dict(result)
    stats = document["stats"]
    equity = result.equity
    drawdown = -(1 - equity / np.maximum.accumulate(equity)) * 100
    close = result.bars.close
    finite = close[np.isfinite(close)]
    price_frame = _Frame(len(close), float(finite.min()), float(finite.max()))
    shading = _regime_shading(result.regimes, len(close), price_frame)
    name = title or f"{result.strategy} backtest"
    keep = _thin(len(equity))
    series = {
        "dates": [result.bars.index[i].strftime("%Y-%m-%d %H:%M") for i in keep],
        "bars": keep.tolist(),
        "equity": [round(float(equity[i]), 2) for i in keep],
        "length": len(equity),
    }
    headline = [
        ("Final equity", stats.get("final_equity")),
        ("Return %", stats.get("return_pct")),
        ("Buy & hold %", stats.get("buy_hold_return_pct")),
        ("CAGR %", stats.get("cagr_pct")),
        ("Sharpe", stats.get("sharpe")),
        ("Sortino", stats.get("sortino")),
        ("Max drawdown %", stats.get("max_drawdown_pct")),
        ("Trades", stats.get("trade_count")),
        ("Win rate %", stats.get("win_rate_pct")),
        ("Profit factor", stats.get("profit_factor")),
        ("Exposure %", stats.get("exposure_pct")),
    ]
    cards = "".join(
        f'<div class="card"><span>{label}</span><b>{_fmt(value)}</b></div>'
        for label, value in headline
    )
    regime_rows = "".join(
        f"<tr><td>{regime}</td><td>{row['bars']}</td><td>{_fmt(row['return_pct'])}</td>"
        f"<td>{_fmt(row['sharpe'])}</td><td>{row['trades']}</td>"
        f"<td>{_fmt(row['win_rate_pct'])}</td></tr>"
        for regime, row in stats["regimes"].items()
    )
    trade_rows = "".join(
        "<tr>" + "".join(f"<td>{_fmt(row[key])}</td>" for key in TRADE_COLUMNS) + "</tr>"
        for row in document["trades"]
    )
    header = "".join(f"<th>{key}</th>" for key in TRADE_COLUMNS)
    return PAGE.format(
        title=html.escape(name),
        subtitle=html.escape(
            f"{_short_time(str(stats['start']))} → {_short_time(str(stats['end']))}"
            f" · params {stats['params']}"
        ),
        cards=cards,
        equity=_line_chart("equity-chart", "Equity", equity, "#1565c0", fill=True),
        drawdown=_line_chart("drawdown-chart", "Drawdown %", drawdown, "#c62828", fill=True),
        price=_line_chart(
            "price-chart",
            "Price, trades (▲ long, ▼ short) and regimes (green low, orange high, red extreme)",
            close,
            "#37474f",
            extra=shading + _trade_marks(result, price_frame),
        ),
        regimes=regime_rows,
        header=header,
        trades=trade_rows,
        data=json.dumps(series).replace("</", "<\\/"),
    )


TRADE_COLUMNS = ("entry_time", "exit_time", "size", "entry_price", "exit_price", "pnl")


def _fmt(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return html.escape(_short_time(str(value)))


def _short_time(text: str) -> str:
    """Daily bars are stamped at midnight: show their date alone."""
    return text.removesuffix("T00:00:00")


def write_html(result: BacktestResult, path: str | Path, title: str | None = None) -> Path:
    """Write the report to `path`; returns the path."""
    target = Path(path)
    target.write_text(render_html(result, title), encoding="utf-8")
    return target


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body{{font:14px system-ui,sans-serif;margin:24px;color:#212121;max-width:1000px}}
.cards{{display:flex;flex-wrap:wrap;gap:8px}}
.card{{border:1px solid #ddd;border-radius:6px;padding:6px 10px}}
.card span{{display:block;font-size:11px;color:#666}}
.chart{{width:100%;height:auto;border:1px solid #eee}} .axis{{font-size:10px;fill:#666}}
.cursor{{stroke:#999;stroke-dasharray:3}} #readout{{height:18px;color:#1565c0}}
table{{border-collapse:collapse;font-size:12px}} td,th{{padding:2px 8px;border-bottom:1px solid #eee}}
th{{cursor:pointer;text-align:left}}
</style></head><body>
<h1>{title}</h1><p>{subtitle}</p><div class="cards">{cards}</div>
<div id="readout"></div>
{equity}{drawdown}{price}
<section><h2>By volatility regime</h2><table><tr><th>regime</th><th>bars</th><th>return %</th>
<th>Sharpe</th><th>trades</th><th>win rate %</th></tr>{regimes}</table></section>
<section><h2>Trades</h2><table id="trades"><thead><tr>{header}</tr></thead>
<tbody>{trades}</tbody></table></section>
<script id="series" type="application/json">{data}</script>
<script>
(function () {{
  var series = JSON.parse(document.getElementById('series').textContent);
  var readout = document.getElementById('readout');
  document.querySelectorAll('svg.chart').forEach(function (svg) {{
    var cursor = svg.querySelector('.cursor');
    svg.addEventListener('mousemove', function (event) {{
      var box = svg.getBoundingClientRect();
      var x = (event.clientX - box.left) * {width} / box.width;
      var bar = (x - {pad}) / ({width} - 2 * {pad}) * (series.length - 1);
      var best = 0;
      for (var i = 0; i < series.bars.length; i++) {{
        if (Math.abs(series.bars[i] - bar) < Math.abs(series.bars[best] - bar)) best = i;
      }}
      cursor.setAttribute('x1', x); cursor.setAttribute('x2', x);
      readout.textContent = series.dates[best] + '  equity ' + series.equity[best].toLocaleString();
    }});
  }});
  var table = document.getElementById('trades');
  table.querySelectorAll('th').forEach(function (th, column) {{
    th.addEventListener('click', function () {{
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var value = function (row) {{
        var text = row.cells[column].textContent.replace(/,/g, '');
        var number = parseFloat(text);
        return isNaN(number) ? text : number;
      }};
      rows.sort(function (a, b) {{ return value(a) > value(b) ? 1 : -1; }});
      rows.forEach(function (row) {{ body.appendChild(row); }});
    }});
  }});
}})();
</script></body></html>
""".replace("{width}", str(WIDTH)).replace("{pad}", str(PAD))

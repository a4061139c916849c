"""Reports: the JSON shape external tools rely on, and the HTML page in a real headless Chromium."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from keel.backtest.export import write_json
from keel.backtest.report import render_html, write_html
from keel.backtest.runner import BacktestResult, run_backtest
from keel.backtest.settings import ExecutionSettings
from keel.backtest.strategies import SmaCross
from keel.market.datasets import load_bundled

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def result() -> BacktestResult:
    return run_backtest(load_bundled("GOOG"), SmaCross, None, ExecutionSettings(long_short=True))


def test_json_has_the_documented_shape(result: BacktestResult, tmp_path: Path) -> None:
    document = json.loads(write_json(result, tmp_path / "out.json").read_text())
    assert set(document) == {"stats", "trades", "equity"}
    for key in ("final_equity", "return_pct", "trade_count", "sharpe", "max_drawdown_pct"):
        assert key in document["stats"]
    assert document["stats"]["final_equity"] == 51_422.99
    assert document["stats"]["trade_count"] == len(document["trades"]) == 66
    first = document["trades"][0]
    assert set(first) == {"entry_time", "exit_time", "entry_price", "exit_price", "size", "pnl"}
    total = sum(trade["pnl"] for trade in document["trades"])
    assert total == pytest.approx(document["stats"]["final_equity"] - 10_000, abs=0.01 * 66)
    assert "NaN" not in (tmp_path / "out.json").read_text()
    curve = document["equity"]
    assert len(result.equity) == 2148 and len(curve) == 2000  # thinned for a chart, evenly
    assert curve[0]["time"].startswith("2004-08-19") and curve[-1]["time"] == str(
        result.bars.index[-1].isoformat()
    )
    assert curve[-1]["equity"] == pytest.approx(document["stats"]["final_equity"], abs=0.01)
    deepest = min(point["drawdown"] for point in curve)
    # The thinned curve can miss the exact trough, never go below it.
    assert document["stats"]["max_drawdown_pct"] / 100 - 1e-6 <= deepest < -0.05  # a negative %


def test_html_is_self_contained(result: BacktestResult) -> None:
    page = render_html(result)
    assert 'id="equity-chart"' in page and 'id="price-chart"' in page
    assert "http://" not in page and "https://" not in page
    assert page.count("<tr>") >= 66


@pytest.mark.e2e
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")
def test_report_opens_in_headless_chromium_without_errors(
    result: BacktestResult, tmp_path: Path
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    path = write_html(result, tmp_path / "report.html")
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        chart = page.locator("#equity-chart polyline")
        assert chart.is_visible()
        assert len(chart.get_attribute("points") or "") > 1000
        box = page.locator("#equity-chart").bounding_box()
        assert box is not None and box["width"] > 300
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert "equity" in page.locator("#readout").inner_text()
        page.locator("#trades th", has_text="pnl").click()
        browser.close()
    assert errors == []
    assert all(url.startswith("file://") for url in requests)

"""Keel's rules and Alertmanager routing, checked by the real tools: `promtool test rules` for
every alert (fires when it must, silent when it must not) and the SLO recording rules,
`promtool check config`, `amtool check-config`; and Debian's Prometheus scraping a running Keel,
PostgreSQL's and Redis's exporters, to show every metric the rules and the Grafana dashboards
name exists, every rule evaluates and every dashboard query parses."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests.deploy.tools import DEPLOY, ROOT, require, run

PROMETHEUS = DEPLOY / "prometheus"
RULE_FILES = sorted((PROMETHEUS / "rules").glob("*.yaml"))
TOKEN = "prometheus-scrape-token-0123456789abcdef"  # pragma: allowlist secret
START_TIMEOUT_S = 180.0


def rules() -> list[dict[str, str]]:
    return [
        rule
        for path in RULE_FILES
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
        for rule in group["rules"]
    ]


def dashboard_queries() -> list[str]:
    """Every PromQL query of the Grafana dashboards (deploy/grafana/dashboards)."""
    return [
        target["expr"]
        for path in sorted((DEPLOY / "grafana/dashboards").glob("*.json"))
        for panel in json.loads(path.read_text(encoding="utf-8"))["panels"]
        for target in panel["targets"]
    ]


def named_metrics() -> set[str]:
    """Every series name the rules and dashboards read (recorded names are made here)."""
    names: set[str] = set()
    for expr in [rule["expr"] for rule in rules()] + dashboard_queries():
        names |= set(re.findall(r"\b(keel_[a-z_]+|pg_up|redis_up)\b", expr))
    return names


@pytest.mark.parametrize("test_file", ["keel-alerts.test.yaml", "keel-slo.test.yaml"])
def test_promtool_unit_tests_pass(test_file: str) -> None:
    promtool = require("promtool")
    output = run(promtool, "test", "rules", PROMETHEUS / "tests" / test_file)
    assert "SUCCESS" in output


def test_every_alert_has_a_firing_and_a_silent_unit_test() -> None:
    tests = yaml.safe_load((PROMETHEUS / "tests/keel-alerts.test.yaml").read_text("utf-8"))
    fired, silent = set(), set()
    for group in tests["tests"]:
        for case in group["alert_rule_test"]:
            (fired if case["exp_alerts"] else silent).add(case["alertname"])
    alerts = {rule["alert"] for rule in rules() if "alert" in rule}
    assert len(alerts) == 17
    assert fired == alerts and silent == alerts


def test_a_wrong_threshold_fails_its_unit_test(tmp_path: Path) -> None:
    """The unit tests can fail: a page at 20× instead of 14.4× misses the burn they feed it."""
    promtool = require("promtool")
    shutil.copytree(PROMETHEUS, tmp_path / "prometheus")
    alerts = tmp_path / "prometheus/rules/keel-alerts.rules.yaml"
    alerts.write_text(
        alerts.read_text(encoding="utf-8").replace("(14.4 * 0.001)", "(20 * 0.001)"), "utf-8"
    )
    done = subprocess.run(
        [promtool, "test", "rules", tmp_path / "prometheus/tests/keel-alerts.test.yaml"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0 and "KeelOrderErrorBudgetBurnFast" in done.stdout + done.stderr


def test_prometheus_and_alertmanager_configurations_are_valid(tmp_path: Path) -> None:
    promtool, amtool = require("promtool"), require("amtool")
    copy = tmp_path / "prometheus"
    shutil.copytree(PROMETHEUS, copy)
    (copy / "secrets").mkdir()
    (copy / "secrets/metrics-token").write_text(TOKEN, encoding="utf-8")  # the mounted Secret
    checked = run(promtool, "check", "config", copy / "prometheus.yml")
    assert "2 rule files found" in checked
    assert checked.count("SUCCESS: 17 rules found") == 2  # alerts, SLO recording rules
    routed = run(amtool, "check-config", PROMETHEUS / "alertmanager.yml")
    assert "SUCCESS" in routed and "2 receivers" in routed and "2 inhibit rules" in routed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in reversed(started):
        process.terminate()
    for process in reversed(started):
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until(check: object, what: str, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {timeout:.0f} s")


@pytest.mark.slow
def test_prometheus_scraping_keel_finds_every_metric_the_rules_name(
    tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    prometheus = require("prometheus")
    pg_exporter = require("prometheus-postgres-exporter")
    redis_exporter = require("prometheus-redis-exporter")
    keel_port, prom_port, pg_port, redis_port = (free_port() for _ in range(4))
    logs = tmp_path / "logs"
    logs.mkdir()
    env = {
        **os.environ,
        "KEEL_VAR_DIR": str(tmp_path / "var"),
        "KEEL_DEMO_USERS": "false",
        "KEEL_METRICS_TOKEN": TOKEN,
        "KEEL_LOG_LEVEL": "WARNING",
        "DATA_SOURCE_NAME": "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable",
    }
    for name in ("KEEL_DATABASE_URL", "KEEL_REDIS_URL", "KEEL_ROLE"):
        env.pop(name, None)

    def start(name: str, *command: str | Path) -> None:
        with (logs / f"{name}.log").open("wb") as log:
            processes.append(subprocess.Popen([str(c) for c in command], stdout=log,
                                              stderr=subprocess.STDOUT, env=env, cwd=tmp_path))  # fmt: skip

    start("keel", ROOT / ".venv/bin/keel", "serve", "--port", str(keel_port))
    start("postgres-exporter", pg_exporter, f"--web.listen-address=127.0.0.1:{pg_port}")
    start("redis-exporter", redis_exporter, "-redis.addr", "redis://127.0.0.1:6379",
          "-web.listen-address", f"127.0.0.1:{redis_port}")  # fmt: skip
    (tmp_path / "token").write_text(TOKEN, encoding="utf-8")
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(path) for path in RULE_FILES],
        "scrape_configs": [
            {"job_name": "keel", "authorization": {"credentials_file": str(tmp_path / "token")},
             "static_configs": [{"targets": [f"127.0.0.1:{keel_port}"]}]},
            {"job_name": "postgres", "static_configs": [{"targets": [f"127.0.0.1:{pg_port}"]}]},
            {"job_name": "redis", "static_configs": [{"targets": [f"127.0.0.1:{redis_port}"]}]},
        ],
    }  # fmt: skip
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    start("prometheus", prometheus, f"--config.file={tmp_path / 'prometheus.yml'}",
          f"--storage.tsdb.path={tmp_path / 'tsdb'}",
          f"--web.listen-address=127.0.0.1:{prom_port}")  # fmt: skip
    keel = f"http://127.0.0.1:{keel_port}"
    api = f"http://127.0.0.1:{prom_port}/api/v1"
    wait_until(lambda: httpx.get(f"{keel}/readyz", timeout=2).status_code == 200, "Keel ready")
    # A learner buys: the SLO's route, a fill and the order desk's batch reach the metrics.
    with httpx.Client(base_url=f"{keel}/api/v1", timeout=30) as http:
        email = f"prometheus-{time.monotonic_ns()}@example.org"
        learner = {"email": email, "password": TOKEN, "display_name": "Prom Etheus",
                   "date_of_birth": "1990-01-01", "role": "learner"}  # fmt: skip
        assert http.post("/auth/register", json=learner).status_code == 201
        login = http.post("/auth/login", json={"email": email, "password": TOKEN}).json()
        auth = {"Authorization": f"Bearer {login['access_token']}"}
        account = http.post("/accounts", json={"name": "Main"}, headers=auth).json()
        order = {"account_id": account["id"], "symbol": "SPX", "side": "buy", "type": "market",
                 "time_in_force": "day", "quantity": "0.01"}  # fmt: skip
        placed = http.post("/orders", json=order, headers=auth)
        assert placed.status_code == 201 and placed.json()["status"] == "filled", placed.text
    assert httpx.get(f"{keel}/metrics", timeout=5).status_code == 404  # not public

    def query(expr: str) -> list[dict[str, object]]:
        answer = httpx.get(f"{api}/query", params={"query": expr}, timeout=5).json()
        assert answer["status"] == "success", answer
        result: list[dict[str, object]] = answer["data"]["result"]
        return result

    def all_up() -> bool:
        return len(query("up == 1")) == 3

    wait_until(all_up, "every target scraped up")
    orders = 'keel_http_request_duration_seconds_count{route="/orders",method="POST"}'
    wait_until(lambda: query(orders), "the order route in Prometheus", timeout=30)
    missing = sorted(name for name in named_metrics() if not query(f"count({name})"))
    assert missing == [], f"metrics named in the rules but never scraped: {missing}"
    assert {"keel_engine_leader", "pg_up", "redis_up", "keel_feed_lag_seconds"} <= named_metrics()
    assert {"keel_websocket_delivery_seconds_bucket", "keel_websocket_messages_total"} <= (
        named_metrics()
    )

    def evaluated() -> list[dict[str, object]]:
        groups = httpx.get(f"{api}/rules", timeout=5).json()["data"]["groups"]
        found = [rule for group in groups for rule in group["rules"]]
        return (
            found if all(rule.get("lastEvaluation", "").startswith("20") for rule in found) else []
        )

    wait_until(evaluated, "every rule evaluated", timeout=60)
    unhealthy = [(r["name"], r.get("lastError")) for r in evaluated() if r["health"] != "ok"]
    assert unhealthy == [] and len(evaluated()) == len(rules())
    for expr in dashboard_queries():  # each dashboard query parses and evaluates
        query(expr)


def test_every_runbook_link_names_a_section_of_the_operations_guide() -> None:
    guide = (ROOT / "docs" / "operations.md").read_text()
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', guide))
    rules = "".join(path.read_text() for path in RULE_FILES)
    linked = set(re.findall(r"runbook: docs/operations\.md#([a-z0-9-]+)", rules))
    assert linked, "no runbook links found"
    assert linked <= anchors, f"runbook links to missing sections: {sorted(linked - anchors)}"

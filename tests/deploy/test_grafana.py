"""Grafana cannot run here: its dashboards are built as code (deploy/grafana/build.py, with
grafana-foundation-sdk), and checked offline. The committed JSON is what the code writes, and
Grafana's own models read it back; test_prometheus.py runs every query against Prometheus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from grafana_foundation_sdk.cog.plugins import register_default_plugins
from grafana_foundation_sdk.models.dashboard import Dashboard
from grafana_foundation_sdk.models.prometheus import Dataquery

from tests.deploy.tools import DEPLOY

BOARDS = DEPLOY / "grafana/dashboards"


def test_the_committed_dashboards_are_what_the_code_writes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, DEPLOY / "grafana/build.py", tmp_path], check=True, capture_output=True
    )
    built = sorted(path.name for path in tmp_path.glob("*.json"))
    assert built == sorted(path.name for path in BOARDS.glob("*.json"))
    assert {"keel-overview.json", "keel-orders.json", "keel-engine.json",
            "keel-websockets.json", "keel-jobs.json"} == set(built)  # fmt: skip
    for name in built:
        assert (tmp_path / name).read_text("utf-8") == (BOARDS / name).read_text("utf-8"), name


def test_grafana_models_read_every_dashboard_back() -> None:
    register_default_plugins()  # so a Prometheus target decodes as one, not an unknown bag
    for path in sorted(BOARDS.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        board = Dashboard.from_json(raw)
        assert board.uid == path.stem and board.title and board.title.startswith("Keel · ")
        panels = board.panels or []
        assert len(panels) >= 2
        for panel in panels:
            targets = getattr(panel, "targets", None) or []
            assert targets, f"{path.name}: {getattr(panel, 'title', '?')} has no query"
            for target in targets:
                assert isinstance(target, Dataquery) and target.expr, target

"""The Kubernetes manifests, validated offline (no API server runs here): both overlays render
with `kubectl kustomize`, pass `kubernetes-validate --strict` against Kubernetes 1.32's schemas
and checkov's Kubernetes and kustomize checks with no failure (a skip must give its reason in
the manifest), and say what the deployment needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.tools import DEPLOY, ROOT, TOOLS_BIN, require, run

OVERLAYS = ("dev", "production")
SECRET_SETTINGS = {
    "KEEL_DATABASE_URL",
    "KEEL_REDIS_URL",
    "KEEL_JWT_SECRET",
    "KEEL_ENCRYPTION_KEYS",
    "KEEL_S3_ACCESS_KEY_ID",
    "KEEL_S3_SECRET_ACCESS_KEY",
    "KEEL_METRICS_TOKEN",
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    kubectl = require("kubectl")
    folder = tmp_path_factory.mktemp("k8s")
    files = {}
    for overlay in OVERLAYS:
        files[overlay] = folder / f"{overlay}.yaml"
        files[overlay].write_text(
            run(kubectl, "kustomize", DEPLOY / "k8s/overlays" / overlay), encoding="utf-8"
        )
    return files


def objects(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (item["kind"], item["metadata"]["name"]): item
        for item in yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if item
    }


def test_both_overlays_pass_strict_schema_validation(rendered: dict[str, Path]) -> None:
    validate = require(Path(ROOT / ".venv/bin/kubernetes-validate"))
    output = run(validate, "--strict", "-k", "1.32.0", *rendered.values())
    assert output.count("passed for resource") == sum(len(objects(p)) for p in rendered.values())


def test_a_wrong_field_fails_strict_validation(rendered: dict[str, Path], tmp_path: Path) -> None:
    """The validator is not a rubber stamp: one misspelt field fails it."""
    validate = require(Path(ROOT / ".venv/bin/kubernetes-validate"))
    broken = (
        rendered["production"]
        .read_text(encoding="utf-8")
        .replace("readinessProbe:", "readinesProbe:", 1)
    )
    (tmp_path / "broken.yaml").write_text(broken, encoding="utf-8")
    output = run(validate, "--strict", "-k", "1.32.0", tmp_path / "broken.yaml", check=False)
    assert "readinesProbe" in output


@pytest.mark.slow
def test_checkov_finds_nothing_and_every_skip_says_why(rendered: dict[str, Path]) -> None:
    checkov = require(TOOLS_BIN / "checkov")
    results = json.loads(
        run(
            checkov, "--skip-download", "-o", "json", "--framework", "kubernetes", "dockerfile",
            "-f", rendered["dev"], "-f", rendered["production"], "-f", DEPLOY / "Dockerfile",
        )
    )  # fmt: skip
    results += [json.loads(run(checkov, "--skip-download", "-o", "json",
                               "--framework", "kustomize", "-d", DEPLOY / "k8s"))]  # fmt: skip
    by_type = {result["check_type"]: result for result in results}
    assert set(by_type) == {"kubernetes", "dockerfile", "kustomize"}
    for check_type, result in by_type.items():
        failed = [(f["check_id"], f["resource"]) for f in result["results"]["failed_checks"]]
        assert failed == [], f"{check_type}: {failed}"
        assert result["summary"]["passed"] > 50 and result["summary"]["parsing_errors"] == 0
        for skipped in result["results"]["skipped_checks"]:
            assert len(skipped["check_result"].get("suppress_comment", "")) > 20, skipped


def test_production_runs_a_leader_and_a_standby_engine_and_scaled_api(
    rendered: dict[str, Path],
) -> None:
    found = objects(rendered["production"])
    engine = found[("Deployment", "keel-engine")]
    assert engine["spec"]["replicas"] == 2
    assert engine["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    api = found[("Deployment", "keel-api")]
    hpa = found[("HorizontalPodAutoscaler", "keel-api")]["spec"]
    assert hpa["scaleTargetRef"]["name"] == "keel-api" and hpa["minReplicas"] >= 2
    assert found[("PodDisruptionBudget", "keel-api")]["spec"]["minAvailable"] >= 1
    assert found[("Job", "keel-migrations")]["spec"]["template"]["spec"]["containers"][0][
        "args"
    ] == ["db", "upgrade"]
    for deployment, readiness in ((api, "/readyz"), (engine, "/healthz")):
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == readiness
        resources = container["resources"]
        assert {"cpu", "memory"} <= set(resources["requests"]) <= set(resources["limits"])
        assert container["securityContext"]["readOnlyRootFilesystem"] is True


def test_secrets_come_from_files_of_an_existing_secret(rendered: dict[str, Path]) -> None:
    for overlay in OVERLAYS:
        found = objects(rendered[overlay])
        assert ("Secret", "keel-secrets") not in found  # the operator's, never in git
        config = found[("ConfigMap", "keel-config")]["data"]
        assert SECRET_SETTINGS.isdisjoint(config)
        for name in SECRET_SETTINGS:
            assert config[f"{name}_FILE"].startswith("/run/secrets/keel/")
        for kind, _name in found:
            if kind in {"Deployment", "Job"}:
                pod = found[(kind, _name)]["spec"]["template"]["spec"]
                assert {"name": "secrets", "secret": {"secretName": "keel-secrets",
                                                      "defaultMode": 0o400}} in pod["volumes"]  # fmt: skip


def test_network_policies_deny_by_default_and_open_only_what_must_talk(
    rendered: dict[str, Path],
) -> None:
    found = objects(rendered["production"])
    deny = found[("NetworkPolicy", "default-deny")]["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    engine_in = found[("NetworkPolicy", "keel-engine-ingress")]["spec"]["ingress"]
    assert len(engine_in) == 1 and len(engine_in[0]["from"]) == 1  # Prometheus only
    egress_ports = {
        port["port"]
        for rule in found[("NetworkPolicy", "keel-egress")]["spec"]["egress"]
        for port in rule["ports"]
    }
    assert egress_ports == {53, 5432, 6379, 7480, 443}

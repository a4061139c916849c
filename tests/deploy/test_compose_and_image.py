"""The one-host Compose file and the Dockerfile, checked offline (no container engine runs
here): the Compose file against the Compose specification's JSON schema, the Dockerfile by
checkov (in test_kubernetes.py, one run) and by what its stages must do."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
import yaml

from tests.deploy.tools import COMPOSE_SCHEMA, DEPLOY, require

SECRETS = {"database_url", "s3_secret_key", "jwt_secret", "encryption_keys", "metrics_token"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        open(require(COMPOSE_SCHEMA), encoding="utf-8").read()  # noqa: SIM115
    )
    return loaded


def test_the_compose_file_follows_the_compose_specification(
    compose: dict[str, Any], schema: dict[str, Any]
) -> None:
    validator = jsonschema.Draft201909Validator(schema)  # the schema's own draft
    errors = [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(compose)]
    assert errors == []
    broken = {**compose, "services": {**compose["services"], "api": {"imagee": "keel"}}}
    assert any("imagee" in error.message for error in validator.iter_errors(broken))


def test_one_host_runs_two_engines_two_api_replicas_and_everything_they_need(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert {"postgres", "redis", "s3", "migrations", "engine", "api", "caddy"} <= set(services)
    assert services["engine"]["deploy"]["replicas"] == 2
    assert services["api"]["deploy"]["replicas"] == 2
    assert services["engine"]["command"][:3] == ["serve", "--role", "engine"]
    assert services["api"]["depends_on"]["migrations"]["condition"] == (
        "service_completed_successfully"
    )
    assert set(services["caddy"]["ports"]) >= {"80:80", "443:443"}
    assert compose["networks"]["backend"]["internal"] is True
    for name in ("engine", "api", "migrations"):
        service = services[name]
        assert service["read_only"] is True and service["user"] == "10001:10001"
        assert set(service["secrets"]) >= SECRETS
        environment = service["environment"]
        assert not any(key in environment for key in ("KEEL_JWT_SECRET", "KEEL_DATABASE_URL"))
        assert environment["KEEL_JWT_SECRET_FILE"] == "/run/secrets/jwt_secret"


def test_the_image_builds_the_spa_and_runs_unprivileged_on_pinned_bases() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?", dockerfile, flags=re.MULTILINE)
    assert [name for _image, name in stages] == ["web", "build", ""]
    for image, _name in stages:
        assert re.fullmatch(r"[a-z]+:\d+\.\d+\.\d+-[a-z-]+", image), image  # exact releases
    assert "RUN npm ci" in dockerfile and "RUN npm run build" in dockerfile
    assert "COPY --from=web /web/dist /opt/keel/web" in dockerfile
    assert "KEEL_WEB_DIST=/opt/keel/web" in dockerfile
    # The installed package has no repository around it: lessons come along and are named.
    assert "COPY content /opt/keel/content" in dockerfile
    assert "KEEL_CONTENT_DIR=/opt/keel/content" in dockerfile
    assert "COPY flags /opt/keel/flags" in dockerfile
    assert "KEEL_FLAGS_FILE=/opt/keel/flags/keel.flagd.json" in dockerfile
    assert re.search(r"^USER 10001:10001$", dockerfile, flags=re.MULTILINE)
    assert dockerfile.rstrip().endswith('CMD ["serve"]')
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    assert ignored[1] == "**" and "web/node_modules/" in ignored  # nothing else is sent
    assert "!flags/" in ignored

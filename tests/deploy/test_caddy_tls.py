"""Caddy (Debian's) in front of a running Keel with deploy/caddy/Caddyfile and an internal
certificate (`tls internal`): HTTPS, HTTP/2, HSTS, /metrics kept inside, and a WebSocket that
authenticates and is welcomed through the proxy."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets.sync.client

from tests.deploy.test_prometheus import free_port
from tests.deploy.tools import DEPLOY, ROOT, require, run

PASSWORD = "caddy-Tls-test-passphrase-42"  # pragma: allowlist secret
START_TIMEOUT_S = 180.0


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Keel behind Caddy: the HTTPS base URL and Caddy's local root certificate."""
    caddy, curl = require("caddy"), require("curl")
    assert curl
    keel_port, http_port, https_port = free_port(), free_port(), free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KEEL_")},
        "KEEL_VAR_DIR": str(tmp_path / "var"),
        "KEEL_DEMO_USERS": "false",
        "KEEL_LOG_LEVEL": "WARNING",
        "XDG_DATA_HOME": str(tmp_path / "caddy-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "caddy-config"),
        "KEEL_SITE": f"localhost:{https_port}",
        "KEEL_TLS": "tls internal",
        "KEEL_UPSTREAMS": f"127.0.0.1:{keel_port}",
        "KEEL_CADDY_OPTIONS": f"http_port {http_port}\nhttps_port {https_port}\n"
        "skip_install_trust\ndefault_bind 127.0.0.1",
    }
    logs = []
    processes = []
    for name, command in (
        ("keel", [str(ROOT / ".venv/bin/keel"), "serve", "--port", str(keel_port)]),
        ("caddy", [caddy, "run", "--config", str(DEPLOY / "caddy/Caddyfile"),
                   "--adapter", "caddyfile"]),
    ):  # fmt: skip
        log = (tmp_path / f"{name}.log").open("wb")
        logs.append(log)
        processes.append(
            subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
        )
    root = tmp_path / "caddy-data/caddy/pki/authorities/local/root.crt"
    base = f"https://localhost:{https_port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                trusted = ssl.create_default_context(cafile=str(root)) if root.exists() else None
                if trusted and httpx.get(f"{base}/readyz", verify=trusted,
                                         timeout=3).status_code == 200:  # fmt: skip
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                tails = "\n".join(p.read_text(errors="replace")[-2000:]
                                  for p in tmp_path.glob("*.log"))  # fmt: skip
                raise AssertionError(f"Keel behind Caddy never became ready\n{tails}")
            time.sleep(0.5)
        yield base, root
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


@pytest.mark.slow
def test_caddy_serves_keel_over_https_http2_with_hsts_and_websockets(
    proxied: tuple[str, Path],
) -> None:
    base, root = proxied
    # curl speaks HTTP/2 over TLS (ALPN); what it negotiated is what Caddy offers.
    version = run("curl", "--silent", "--show-error", "--cacert", root, "--http2",
                  "--output", "/dev/null", "--write-out", "%{http_version}", f"{base}/healthz")  # fmt: skip
    assert version == "2"
    context = ssl.create_default_context(cafile=str(root))
    with httpx.Client(base_url=base, verify=context, timeout=30) as https:
        health = https.get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert health.headers["strict-transport-security"].startswith("max-age=31536000")
        assert "server" not in health.headers
        assert https.get("/metrics").status_code == 404  # never through the proxy
        email = f"tls-{time.monotonic_ns()}@example.org"
        registered = https.post("/api/v1/auth/register", json={
            "email": email, "password": PASSWORD, "display_name": "Tls Tester",
            "date_of_birth": "1990-01-01", "role": "learner"})  # fmt: skip
        assert registered.status_code == 201, registered.text
        tokens = https.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert tokens.status_code == 200, tokens.text
    url = base.replace("https://", "wss://") + "/api/v1/ws"
    with websockets.sync.client.connect(url, ssl=context, open_timeout=30) as socket:
        socket.send(json.dumps({"type": "auth", "token": tokens.json()["access_token"]}))
        welcome = json.loads(socket.recv(timeout=30))
    assert welcome["type"] == "welcome" and welcome["user_id"] == registered.json()["id"]

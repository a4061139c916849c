"""What a standby engine answers while it waits for the leader's lock.

A standby blocks before uvicorn starts (`keel.server.roles.take_leadership`), so without this it
would answer nothing, and a liveness probe would restart it forever. While it waits it serves
`/healthz` (200, `"standby"`: the process is alive), `/metrics` (`keel_engine_leader 0`, to the
same callers as the full server's), and answers everything else 503 (so `/readyz` keeps it out of
the Service); the server is closed before uvicorn binds the same port.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from keel import __version__

STANDBY_METRICS = b"# TYPE keel_engine_leader gauge\nkeel_engine_leader 0.0\n"


class _StandbyHandler(BaseHTTPRequestHandler):
    metrics_token: str | None = None

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/healthz":
            self._answer(200, {"status": "standby", "version": __version__})
        elif path == "/metrics" and self._may_scrape():
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            self.send_header("Content-Length", str(len(STANDBY_METRICS)))
            self.end_headers()
            self.wfile.write(STANDBY_METRICS)
        else:
            self._answer(503, {"status": "standby", "detail": "this engine waits for the lead"})

    def _answer(self, status: int, body: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if status == 503:
            self.send_header("Retry-After", "5")
        self.end_headers()
        self.wfile.write(data)

    def _may_scrape(self) -> bool:
        if self.metrics_token is None:
            return self.client_address[0] in {"127.0.0.1", "::1"}
        offered = self.headers.get("Authorization", "")
        return hmac.compare_digest(offered.encode(), f"Bearer {self.metrics_token}".encode())

    def log_message(self, format: str, *args: object) -> None:  # probes every few seconds
        return


@contextlib.contextmanager
def standby_health(host: str, port: int, metrics_token: str | None = None) -> Iterator[None]:
    """Serve the standby answers on `host:port` for as long as the block runs."""
    handler = type("StandbyHandler", (_StandbyHandler,), {"metrics_token": metrics_token})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="keel-standby", daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

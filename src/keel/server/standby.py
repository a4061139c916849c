"""What a standby engine answers while it waits for the leader's lock.

A standby blocks before uvicorn starts (`keel.server.roles.take_leadership`), so without this it
would answer nothing, and a liveness probe would restart it forever. While it waits it serves
`/healthz` (200, `"standby"`: the process is alive) and answers everything else 503 (so
`/readyz` keeps it out of the Service); the server is closed before uvicorn binds the same port.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from keel import __version__


class _StandbyHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == "/healthz":
            self._answer(200, {"status": "standby", "version": __version__})
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

    def log_message(self, format: str, *args: object) -> None:  # probes every few seconds
        return


@contextlib.contextmanager
def standby_health(host: str, port: int) -> Iterator[None]:
    """Serve the standby answers on `host:port` for as long as the block runs."""
    server = ThreadingHTTPServer((host, port), _StandbyHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="keel-standby", daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

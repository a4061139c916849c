"""Security headers on every HTML page the server sends.

The SPA loads only its own scripts and styles, talks only to its own origin (HTTP and WebSocket),
and may not be framed: a strict Content-Security-Policy says so. Pages with other needs get
their own policy by path: the problem pages carry their styles inline and no script at all; the
interactive API docs (Swagger UI, served from this server) start with one inline script. A
response that already sets a policy (the sandboxed backtest report) keeps it. Every response gets
`X-Content-Type-Options: nosniff`; HSTS is added when the request came over TLS (behind a proxy
that terminates TLS, the proxy adds it: deploy/caddy/Caddyfile).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS = b"max-age=31536000; includeSubDomains"
_COMMON = "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
SPA_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self' {websocket}; " + _COMMON
)
PATH_POLICIES: tuple[tuple[str, str], ...] = (
    ("/problems", "default-src 'none'; style-src 'unsafe-inline'; " + _COMMON),
    (
        "/docs",
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
        "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " + _COMMON,
    ),
)


def policy_for(path: str, host: str, tls: bool) -> str:
    """The Content-Security-Policy of an HTML page at `path`, served to `host`."""
    for prefix, policy in PATH_POLICIES:
        if path == prefix or path.startswith(prefix + "/"):
            return policy
    # 'self' covers ws(s) on the same host in CSP 3; naming it keeps older browsers working.
    websocket = f"{'wss' if tls else 'ws'}://{host}" if _safe_host(host) else ""
    return SPA_POLICY.format(websocket=websocket).replace("'self' ;", "'self';")


def _safe_host(host: str) -> bool:
    return 0 < len(host) <= 255 and all(c.isalnum() or c in ".-:[]" for c in host)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tls = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if tls and b"strict-transport-security" not in names:
                    headers.append((b"strict-transport-security", HSTS))
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html") and (
                    b"content-security-policy" not in names
                ):
                    host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
                    policy = policy_for(scope.get("path", ""), host, tls)
                    headers.append((b"content-security-policy", policy.encode()))
                    headers.append((b"referrer-policy", b"same-origin"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

"""Security headers: a strict Content-Security-Policy on every HTML page (the SPA's: own scripts,
styles and origin only, WebSocket included, never framed), nosniff everywhere, HSTS over TLS."""

from __future__ import annotations

from httpx import ASGITransport, AsyncClient

from keel.server.app import create_app
from keel.server.runtime import Runtime
from keel.server.security_headers import policy_for


def directives(policy: str) -> dict[str, set[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = set(values)
    return parsed


def test_the_spa_loads_only_its_own_scripts_styles_and_connections() -> None:
    spa = directives(policy_for("/", "keel.school.example", tls=True))
    assert spa["default-src"] == spa["script-src"] == spa["style-src"] == {"'self'"}
    assert spa["connect-src"] == {"'self'", "wss://keel.school.example"}
    assert spa["frame-ancestors"] == {"'none'"} and spa["object-src"] == {"'none'"}
    assert "'unsafe-inline'" not in policy_for("/app/orders", "keel.school.example", tls=True)
    plain = directives(policy_for("/", "127.0.0.1:8000", tls=False))
    assert plain["connect-src"] == {"'self'", "ws://127.0.0.1:8000"}
    forged = directives(policy_for("/", "evil.example; script-src *", tls=False))
    assert forged["connect-src"] == {"'self'"} and forged["script-src"] == {"'self'"}


async def test_html_pages_carry_their_policy_and_json_only_nosniff(client: AsyncClient) -> None:
    page = await client.get("/problems/not-found")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = directives(page.headers["content-security-policy"])
    assert policy["default-src"] == {"'none'"}  # no script at all on a problem page
    assert policy["frame-ancestors"] == {"'none'"}
    assert page.headers["x-content-type-options"] == "nosniff"
    docs = await client.get("/docs")
    assert directives(docs.headers["content-security-policy"])["frame-ancestors"] == {"'none'"}
    health = await client.get("/healthz")
    assert health.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in health.headers
    assert "strict-transport-security" not in health.headers  # plain HTTP: no HSTS


async def test_hsts_only_over_tls(runtime: Runtime) -> None:
    transport = ASGITransport(app=create_app(runtime=runtime))
    async with AsyncClient(transport=transport, base_url="https://keel.example") as https:
        answer = await https.get("/problems")
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")


async def test_the_web_app_page_carries_the_spa_policy(client: AsyncClient) -> None:
    page = await client.get("/")  # the built SPA (or the page saying it is not built yet)
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == policy_for("/", "test", tls=False)

"""`/docs` and `/redoc` work with no internet: every file their pages load is served by the app."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from httpx import AsyncClient


class _References(HTMLParser):
    """The URLs of the scripts, styles and icons a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.urls.append(str(values["src"]))
        if tag == "link" and values.get("href"):
            self.urls.append(str(values["href"]))


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_load_every_file_from_the_app(client: AsyncClient, page: str) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    html = response.text
    assert "/api/v1/openapi.json" in html
    assert "http://" not in html and "https://" not in html  # no CDN, no web fonts
    parser = _References()
    parser.feed(html)
    scripts = [url for url in parser.urls if url.endswith(".js")]
    assert scripts, "the page loads its viewer script"
    for url in parser.urls:
        assert url.startswith("/"), url
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 1000, url
        assert "max-age=31536000" in asset.headers["cache-control"]
    if page == "/docs":
        assert any(url.endswith(".css") for url in parser.urls)


async def test_only_the_docs_files_are_served(client: AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    parser = _References()
    parser.feed(response.text)
    folder = parser.urls[0].rsplit("/", 1)[0]
    for name in ("../__init__.py", "core.py", "nothing.js"):
        assert (await client.get(f"{folder}/{name}")).status_code == 404
    assert (await client.get("/docs/assets/0.0.0/swagger-ui.css")).status_code == 404

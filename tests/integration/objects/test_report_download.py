"""A backtest's report as a download: on S3 (a real Ceph RGW) through a presigned URL, from the
local folder through the server itself; either way the same bytes as the inline report."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from httpx import ASGITransport, AsyncClient

from keel.server.app import create_app
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.backtests.factories import BASE, run
from tests.integration.conftest import _empty_tables, make_settings
from tests.integration.objects.ceph import ACCESS_KEY, SECRET_KEY
from tests.integration.objects.conftest import S3

# Meant to send every test here to one worker. pytest-xdist 3.8 groups by rewriting
# `item._nodeid`, which pytest 9 no longer reads, so today each worker that draws one of these
# tests starts its own gateway (make test: at most two).
pytestmark = S3


@pytest.fixture
async def s3_client(
    database_url: str, s3_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncClient]:
    """The real app with its object store on S3 (`KEEL_OBJECT_STORE_URL=s3://…`)."""
    settings = make_settings(
        database_url,
        tmp_path_factory.mktemp("var"),
        object_store_url=s3_url,
        s3_access_key_id=ACCESS_KEY,
        s3_secret_access_key=SECRET_KEY,
        object_download_seconds=120,
    )
    runtime = Runtime.build(settings)
    await _empty_tables(runtime)
    await runtime.start()
    transport = ASGITransport(app=create_app(runtime=runtime), raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
    await runtime.stop()


@S3
async def test_a_report_round_trips_through_s3_by_a_presigned_url(s3_client: AsyncClient) -> None:
    user = await create_user(s3_client)
    job = await run(s3_client, user)
    assert job["status"] == "succeeded", job
    assert job["links"]["report_download"] == f"{BASE}/{job['id']}/report/download"
    inline = await s3_client.get(f"{BASE}/{job['id']}/report", headers=user.headers)
    assert inline.status_code == 200 and "<svg" in inline.text  # read back from S3 by the server
    download = await s3_client.get(job["links"]["report_download"], headers=user.headers)
    assert download.status_code == 307, download.text
    location = download.headers["location"]
    assert location.startswith("http://127.0.0.1:") and "X-Amz-Expires=120" in location
    async with httpx.AsyncClient() as anyone:  # no Keel token: the URL is the permission
        fetched = await anyone.get(location)
    assert fetched.status_code == 200
    assert fetched.content == inline.content
    assert (
        fetched.headers["content-disposition"]
        == f'attachment; filename="backtest-{job["id"]}.html"'
    )
    stranger = await create_user(s3_client)
    refused = await s3_client.get(job["links"]["report_download"], headers=stranger.headers)
    assert refused.status_code == 404


async def test_a_report_downloads_from_the_local_folder_through_the_server(
    client: AsyncClient,
) -> None:
    user = await create_user(client)
    job = await run(client, user)
    download = await client.get(f"{BASE}/{job['id']}/report/download", headers=user.headers)
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "sandbox allow-scripts" in download.headers["content-security-policy"]
    inline = await client.get(f"{BASE}/{job['id']}/report", headers=user.headers)
    assert download.content == inline.content

"""Object-store fixtures: the local folder, and S3 on a real Ceph RADOS Gateway.

The gateway starts once per test session and worker (about 15–30 s): the `s3` xdist group was
meant to keep it to one worker, but pytest-xdist 3.8's grouping has no effect under pytest 9 (it
rewrites `item._nodeid`, which pytest 9 no longer reads), so with `-n 2` each worker may start
one. Without Ceph's programs the S3 cases skip, and under `CI=true` they fail instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from keel.server.objectstore import LocalObjectStore, ObjectStore
from keel.server.s3store import S3ObjectStore, parse_s3_url
from tests.integration.conftest import IN_CI
from tests.integration.objects.ceph import ACCESS_KEY, SECRET_KEY, CephGateway, missing_programs

BUCKET = "keel-tests"
S3 = pytest.mark.xdist_group("s3")
"""Every test that needs the gateway carries this mark (see the module's docstring)."""


@pytest.fixture(scope="session")
def ceph_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CephGateway]:
    missing = missing_programs()
    if missing:
        message = f"Ceph is not installed ({', '.join(missing)} missing); .ci/run installs it"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    gateway = CephGateway(tmp_path_factory.mktemp("ceph"))
    try:
        gateway.start()
        client = S3ObjectStore(
            parse_s3_url(f"s3://{BUCKET}?endpoint={gateway.endpoint}"),
            access_key_id=ACCESS_KEY,
            secret_access_key=SECRET_KEY,
        )
        client._client.create_bucket(Bucket=BUCKET)
    except BaseException:
        gateway.stop()
        raise
    yield gateway
    gateway.stop()


@pytest.fixture
def s3_url(ceph_gateway: CephGateway) -> str:
    """`KEEL_OBJECT_STORE_URL` for a prefix of this test's own in the session's bucket."""
    return f"s3://{BUCKET}/t-{uuid.uuid4().hex[:12]}?endpoint={ceph_gateway.endpoint}"


def s3_store(url: str, **options: int) -> S3ObjectStore:
    return S3ObjectStore(
        parse_s3_url(url), access_key_id=ACCESS_KEY, secret_access_key=SECRET_KEY, **options
    )


@pytest.fixture(params=["local", pytest.param("s3", marks=S3)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    """The same contract tests against each backend."""
    if request.param == "local":
        return LocalObjectStore(tmp_path / "objects")
    return s3_store(request.getfixturevalue("s3_url"))

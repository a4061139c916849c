"""The object store's contract, run against the local folder and against S3 (a real Ceph RGW):
round trips, listing by prefix, content types, refused keys, big objects, presigned downloads."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest

from keel.server.objectstore import (
    InvalidObjectKey,
    LocalObjectStore,
    ObjectNotFound,
    ObjectStore,
    build_object_store,
)
from keel.server.s3store import MULTIPART_THRESHOLD, S3ObjectStore, parse_s3_url
from keel.server.settings import Settings
from tests.integration.objects.conftest import S3, s3_store

# Meant to send every test here to one worker. pytest-xdist 3.8 groups by rewriting
# `item._nodeid`, which pytest 9 no longer reads, so today each worker that draws one of these
# tests starts its own gateway (make test: at most two).
pytestmark = S3


async def test_put_get_list_delete_round_trip(store: ObjectStore) -> None:
    info = await store.put("backtests/u1/r1/report.html", b"<!doctype html>", "text/html")
    await store.put("backtests/u1/r1/result.json", b"{}", "application/json")
    await store.put("backtests/u2/r9/result.json", b"[]", "application/json")
    assert info.size == len(b"<!doctype html>") and info.content_type == "text/html"
    assert info.key == "backtests/u1/r1/report.html"
    assert await store.get("backtests/u1/r1/report.html") == b"<!doctype html>"
    listed = await store.list("backtests/u1/")
    assert [item.key for item in listed] == [
        "backtests/u1/r1/report.html",
        "backtests/u1/r1/result.json",
    ]
    assert [item.content_type for item in listed] == ["text/html", "application/json"]
    assert (await store.info("backtests/u1/r1/result.json")).content_type == "application/json"
    await store.put("backtests/u1/r1/result.json", b'{"v": 2}', "application/json")
    assert await store.get("backtests/u1/r1/result.json") == b'{"v": 2}'
    await store.delete("backtests/u1/r1/result.json")
    assert not await store.exists("backtests/u1/r1/result.json")
    assert await store.exists("backtests/u1/r1/report.html")
    with pytest.raises(ObjectNotFound):
        await store.get("backtests/u1/r1/result.json")
    with pytest.raises(ObjectNotFound):
        await store.info("backtests/u1/r1/result.json")
    await store.delete("backtests/u1/r1/result.json")  # deleting twice is not an error
    assert len(await store.list()) == 2


@pytest.mark.parametrize(
    "key",
    ["", "../escape", "a/../../b", "/absolute", "a//b", "a\\b", ".meta/x", "a/.hidden", "sp ace"],
)
async def test_unsafe_keys_are_refused(store: ObjectStore, key: str) -> None:
    with pytest.raises(InvalidObjectKey):
        await store.put(key, b"x", "text/plain")
    with pytest.raises(InvalidObjectKey):
        await store.presigned_url(key, filename="x", expires_seconds=60)
    assert await store.list() == []


async def test_an_object_over_the_multipart_threshold_round_trips(store: ObjectStore) -> None:
    data = hashlib.sha256(b"keel").digest() * ((MULTIPART_THRESHOLD + 1024 * 1024) // 32)
    await store.put("history/SPX.parquet", data, "application/vnd.apache.parquet")
    assert await store.get("history/SPX.parquet") == data
    assert (await store.info("history/SPX.parquet")).size == len(data)


@S3
async def test_s3_sends_big_objects_in_parts(s3_url: str) -> None:
    store = s3_store(s3_url, multipart_threshold=5 * 1024 * 1024)
    data = b"k" * (MULTIPART_THRESHOLD + 1)
    await store.put("parts/big.bin", data, "application/octet-stream")
    head = store._client.head_object(Bucket=store.location.bucket, Key=store._name("parts/big.bin"))
    assert head["ETag"].strip('"').endswith("-2")  # S3 names a two-part upload's ETag so
    assert await store.get("parts/big.bin") == data


@S3
async def test_a_presigned_url_downloads_without_credentials_and_expires(s3_url: str) -> None:
    store = s3_store(s3_url)
    await store.put("backtests/u1/r1/report.html", b"<!doctype html><p>hi", "text/html")
    url = await store.presigned_url(
        "backtests/u1/r1/report.html", filename="report.html", expires_seconds=60
    )
    assert url is not None and "X-Amz-Signature=" in url
    async with httpx.AsyncClient() as http:
        response = await http.get(url)
        assert response.status_code == 200
        assert response.content == b"<!doctype html><p>hi"
        assert response.headers["content-type"] == "text/html"
        assert response.headers["content-disposition"] == 'attachment; filename="report.html"'
        tampered = await http.get(url.replace("report.html?", "result.json?", 1))
        assert tampered.status_code == 403  # the signature covers the key
        unsigned = await http.get(url.split("?", 1)[0])
        assert unsigned.status_code == 403  # the bucket is not public


@S3
async def test_a_presigned_url_names_the_public_endpoint(s3_url: str) -> None:
    public = s3_store(s3_url + "&public_endpoint=https://objects.school.example")
    url = await public.presigned_url("a/b.html", filename="b.html", expires_seconds=60)
    assert url is not None and url.startswith("https://objects.school.example/keel-tests/t-")


async def test_the_local_folder_has_no_presigned_urls(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "objects")
    await store.put("backtests/u1/r1/result.json", b"{}", "application/json")
    assert await store.presigned_url("backtests/u1/r1/result.json", filename="r.json",
                                     expires_seconds=60) is None  # fmt: skip
    assert store.url("backtests/u1/r1/result.json").startswith("file://")
    assert store.path("backtests/u1/r1/result.json").read_bytes() == b"{}"


def test_the_store_follows_the_settings(tmp_path: Path) -> None:
    default = build_object_store(Settings(var_dir=tmp_path))
    assert (
        isinstance(default, LocalObjectStore) and default.root == (tmp_path / "objects").resolve()
    )
    chosen = build_object_store(Settings(object_store_url=f"file://{tmp_path}/elsewhere"))
    assert isinstance(chosen, LocalObjectStore)
    assert chosen.root == (tmp_path / "elsewhere").resolve()
    s3 = build_object_store(
        Settings(object_store_url="s3://reports/keel/prod?endpoint=http://rgw:7480&region=eu-1")
    )
    assert isinstance(s3, S3ObjectStore)
    assert s3.location == parse_s3_url(
        "s3://reports/keel/prod?endpoint=http://rgw:7480&region=eu-1"
    )
    assert (s3.location.bucket, s3.location.prefix) == ("reports", "keel/prod/")
    assert (s3.location.endpoint, s3.location.region) == ("http://rgw:7480", "eu-1")
    assert s3.url("a/b.json") == "s3://reports/keel/prod/a/b.json"
    with pytest.raises(ValueError, match="not supported"):
        build_object_store(Settings(object_store_url="gs://bucket/prefix"))


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("s3://key:secret@bucket/p", "no credentials"),
        ("s3://bucket/p?endpont=http://x", "unknown S3 URL options: endpont"),
        ("s3:///nobucket", "looks like"),
        ("s3://bucket/../up", "invalid object key"),
    ],
)
def test_a_wrong_s3_url_is_refused_with_the_fix(url: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_s3_url(url)

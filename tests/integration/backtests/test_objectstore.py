"""The local object store: round trips, listing by prefix, content types, refused keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from keel.server.objectstore import (
    InvalidObjectKey,
    LocalObjectStore,
    ObjectNotFound,
    build_object_store,
)
from keel.server.settings import Settings


async def test_put_get_list_delete_round_trip(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "objects")
    info = await store.put("backtests/u1/r1/report.html", b"<!doctype html>", "text/html")
    await store.put("backtests/u1/r1/result.json", b"{}", "application/json")
    await store.put("backtests/u2/r9/result.json", b"[]", "application/json")
    assert info.size == len(b"<!doctype html>") and info.content_type == "text/html"
    assert await store.get("backtests/u1/r1/report.html") == b"<!doctype html>"
    listed = await store.list("backtests/u1/")
    assert [item.key for item in listed] == [
        "backtests/u1/r1/report.html",
        "backtests/u1/r1/result.json",
    ]
    assert (await store.info("backtests/u1/r1/result.json")).content_type == "application/json"
    assert store.url("backtests/u1/r1/result.json").startswith("file://")
    assert store.path("backtests/u1/r1/result.json").read_bytes() == b"{}"
    await store.put("backtests/u1/r1/result.json", b'{"v": 2}', "application/json")
    assert await store.get("backtests/u1/r1/result.json") == b'{"v": 2}'
    await store.delete("backtests/u1/r1/result.json")
    assert not await store.exists("backtests/u1/r1/result.json")
    with pytest.raises(ObjectNotFound):
        await store.get("backtests/u1/r1/result.json")
    assert len(await store.list()) == 2


@pytest.mark.parametrize(
    "key",
    ["", "../escape", "a/../../b", "/absolute", "a//b", "a\\b", ".meta/x", "a/.hidden", "sp ace"],
)
async def test_unsafe_keys_are_refused(tmp_path: Path, key: str) -> None:
    store = LocalObjectStore(tmp_path)
    with pytest.raises(InvalidObjectKey):
        await store.put(key, b"x", "text/plain")
    assert await store.list() == []


def test_the_store_follows_the_settings(tmp_path: Path) -> None:
    default = build_object_store(Settings(var_dir=tmp_path))
    assert (
        isinstance(default, LocalObjectStore) and default.root == (tmp_path / "objects").resolve()
    )
    chosen = build_object_store(Settings(object_store_url=f"file://{tmp_path}/elsewhere"))
    assert isinstance(chosen, LocalObjectStore)
    assert chosen.root == (tmp_path / "elsewhere").resolve()
    with pytest.raises(ValueError, match="not supported"):
        build_object_store(Settings(object_store_url="s3://bucket/prefix"))

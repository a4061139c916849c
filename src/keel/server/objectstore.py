"""Object store for reports, results and uploaded data: a local folder by default, S3 when asked.

The interface is small (`put`, `get`, `exists`, `delete`, `list`, `url`, `presigned_url`) and
asynchronous; `build_object_store` picks the local folder or `keel.server.s3store` from
`KEEL_OBJECT_STORE_URL`, and callers never know which. Keys are
`/`-separated relative paths of safe characters (`backtests/<owner>/<id>/report.html`); anything
that could escape the root (`..`, absolute paths, backslashes) is refused.
"""

from __future__ import annotations

import asyncio
import builtins
import json
import mimetypes
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from keel.server.runtime import Runtime
from keel.server.settings import Settings

_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._=-]{0,199}$")
_META_DIR = ".meta"
MAX_KEY_LENGTH = 1000


class ObjectNotFound(KeyError):
    """No object is stored under the key."""


class InvalidObjectKey(ValueError):
    """The key is not a safe relative path."""


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    """Bytes."""
    content_type: str
    modified_at: datetime


class ObjectStore(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> ObjectInfo: ...

    async def get(self, key: str) -> bytes: ...

    async def info(self, key: str) -> ObjectInfo: ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None: ...

    async def list(self, prefix: str = "") -> builtins.list[ObjectInfo]: ...

    def url(self, key: str) -> str: ...

    async def presigned_url(self, key: str, *, filename: str, expires_seconds: int) -> str | None:
        """A URL anyone holding it can download `key` from, or None when the store has none
        (the local folder: the server itself sends the bytes)."""
        ...


def check_key(key: str) -> str:
    """Return `key` if it is a safe relative object key, else raise `InvalidObjectKey`."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidObjectKey(f"an object key has 1 to {MAX_KEY_LENGTH} characters")
    for segment in key.split("/"):
        if not _SEGMENT.match(segment) or segment in {".", ".."} or ".." in segment:
            raise InvalidObjectKey(
                f"invalid object key {key!r}: use segments of letters, digits, '.', '_', '-', '='"
            )
    return key


class LocalObjectStore:
    """Objects as files under `root`; content types in a sidecar tree `root/.meta/`.

    Writes go to a temporary file first and are renamed into place, so a reader never sees half an
    object. Blocking file I/O runs in a worker thread.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def path(self, key: str) -> Path:
        """The file holding `key` (local store only)."""
        return self.root / check_key(key)

    def _meta_path(self, key: str) -> Path:
        return self.root / _META_DIR / (check_key(key) + ".json")

    def url(self, key: str) -> str:
        return self.path(key).as_uri()

    async def presigned_url(self, key: str, *, filename: str, expires_seconds: int) -> str | None:
        check_key(key)
        return None

    async def put(self, key: str, data: bytes, content_type: str) -> ObjectInfo:
        return await asyncio.to_thread(self._put, key, data, content_type)

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._get, key)

    async def info(self, key: str) -> ObjectInfo:
        return await asyncio.to_thread(self._info, key)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path(key).is_file)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._delete, key)

    async def list(self, prefix: str = "") -> builtins.list[ObjectInfo]:
        return await asyncio.to_thread(self._list, prefix)

    def _put(self, key: str, data: bytes, content_type: str) -> ObjectInfo:
        target = self.path(key)
        _atomic_write(target, data)
        _atomic_write(self._meta_path(key), json.dumps({"content_type": content_type}).encode())
        return self._info(key)

    def _get(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError) as exc:
            raise ObjectNotFound(key) from exc

    def _info(self, key: str) -> ObjectInfo:
        target = self.path(key)
        try:
            stat = target.stat()
        except FileNotFoundError as exc:
            raise ObjectNotFound(key) from exc
        if not target.is_file():
            raise ObjectNotFound(key)
        try:
            meta = json.loads(self._meta_path(key).read_text(encoding="utf-8"))
            content_type = str(meta["content_type"])
        except (FileNotFoundError, ValueError, KeyError):
            content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
        return ObjectInfo(
            key=key,
            size=stat.st_size,
            content_type=content_type,
            modified_at=datetime.fromtimestamp(stat.st_mtime, UTC),
        )

    def _delete(self, key: str) -> None:
        for target in (self.path(key), self._meta_path(key)):
            target.unlink(missing_ok=True)

    def _list(self, prefix: str) -> builtins.list[ObjectInfo]:
        if not self.root.is_dir():
            return []
        found: builtins.list[ObjectInfo] = []
        # Walk only the prefix's folder (a per-user quota lists often), never outside the root.
        folder = (self.root / prefix.rpartition("/")[0]).resolve()
        if not folder.is_relative_to(self.root.resolve()) or not folder.is_dir():
            return []
        for path in folder.rglob("*"):
            if not path.is_file():
                continue
            key = path.relative_to(self.root).as_posix()
            if key.startswith(_META_DIR + "/") or not key.startswith(prefix):
                continue
            if path.name.startswith(".tmp-"):
                continue
            try:
                found.append(self._info(key))
            except (ObjectNotFound, InvalidObjectKey):
                continue
        return sorted(found, key=lambda item: item.key)


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build_object_store(settings: Settings) -> ObjectStore:
    """The store named by `KEEL_OBJECT_STORE_URL`: empty or `file://…` is a local folder,
    `s3://…` a bucket (`keel.server.s3store`)."""
    url = settings.object_store_url
    if url.startswith("s3://"):
        from keel.server.s3store import S3ObjectStore, parse_s3_url

        secret = settings.s3_secret_access_key
        return S3ObjectStore(
            parse_s3_url(url),
            access_key_id=settings.s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret else None,
        )
    if url and not url.startswith("file://"):
        raise ValueError(
            f"object store {url.split(':', 1)[0]}:// is not supported; use s3://BUCKET/PREFIX, "
            "file://PATH or leave KEEL_OBJECT_STORE_URL empty for a folder under KEEL_VAR_DIR"
        )
    return LocalObjectStore(settings.object_dir)


def get_object_store(runtime: Runtime) -> ObjectStore:
    """The runtime's object store (created when the runtime starts)."""
    if runtime.objects is None:
        raise RuntimeError("the runtime has not started")
    return runtime.objects

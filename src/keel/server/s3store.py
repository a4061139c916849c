"""The object store on S3 (AWS, Ceph RGW, MinIO, …), selected by `KEEL_OBJECT_STORE_URL=s3://…`.

The URL names the bucket, an optional key prefix and, in its query, where the server is:

    s3://BUCKET[/PREFIX][?endpoint=http://rgw:7480][&region=us-east-1][&public_endpoint=https://…]

`endpoint` is the address the server uses (AWS when left out); `public_endpoint` is the one put
into presigned URLs, for when browsers reach the store under another name than the pods do.
Credentials come from `KEEL_S3_ACCESS_KEY_ID` / `KEEL_S3_SECRET_ACCESS_KEY` (or their `_FILE`
variants); left unset, boto3's own chain applies (`AWS_*` variables, a web identity, an instance
role). The bucket must exist: creating it is the operator's step (`deploy/`).

boto3 is synchronous; every call runs in a worker thread. Objects above 8 MiB go up in parts.
"""

from __future__ import annotations

import asyncio
import builtins
import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from keel.server.objectstore import ObjectInfo, ObjectNotFound, check_key

MULTIPART_THRESHOLD = 8 * 1024 * 1024
_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str
    """Empty, or ending in `/`."""
    endpoint: str | None
    public_endpoint: str | None
    region: str


def parse_s3_url(url: str) -> S3Location:
    """Split `s3://bucket/prefix?endpoint=…&region=…&public_endpoint=…` into its parts."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"an S3 object store URL looks like s3://BUCKET/PREFIX, not {url!r}")
    if "@" in parts.netloc:
        raise ValueError(
            "put no credentials in KEEL_OBJECT_STORE_URL; use KEEL_S3_ACCESS_KEY_ID and "
            "KEEL_S3_SECRET_ACCESS_KEY (or their _FILE variants)"
        )
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"endpoint", "public_endpoint", "region"}
    if unknown:
        raise ValueError(f"unknown S3 URL options: {', '.join(sorted(unknown))}")
    prefix = parts.path.strip("/")
    if prefix:
        check_key(prefix)
        prefix += "/"
    return S3Location(
        bucket=parts.netloc,
        prefix=prefix,
        endpoint=query.get("endpoint"),
        public_endpoint=query.get("public_endpoint"),
        region=query.get("region", "us-east-1"),
    )


def _client(location: S3Location, endpoint: str | None, credentials: dict[str, str]) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(
        region_name=location.region,
        signature_version="s3v4",
        # Path-style addressing works with every S3 server and needs no wildcard DNS.
        s3={"addressing_style": "path"},
        connect_timeout=5,
        read_timeout=30,
        retries={"max_attempts": 3, "mode": "standard"},
    )
    return boto3.session.Session().client("s3", endpoint_url=endpoint, config=config, **credentials)


def _is_missing(exc: Exception) -> bool:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", "")) in _NOT_FOUND


class S3ObjectStore:
    """Objects under `prefix` in one bucket; content types stored as the objects' own."""

    def __init__(
        self,
        location: S3Location,
        *,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        multipart_threshold: int = MULTIPART_THRESHOLD,
    ) -> None:
        credentials: dict[str, str] = {}
        if access_key_id and secret_access_key:
            credentials = {
                "aws_access_key_id": access_key_id,
                "aws_secret_access_key": secret_access_key,
            }
        self.location = location
        self.multipart_threshold = multipart_threshold
        self._client = _client(location, location.endpoint, credentials)
        # Presigning is local arithmetic; a second client only when browsers use another address.
        self._signer = (
            _client(location, location.public_endpoint, credentials)
            if location.public_endpoint
            else self._client
        )

    def _name(self, key: str) -> str:
        return self.location.prefix + check_key(key)

    def url(self, key: str) -> str:
        return f"s3://{self.location.bucket}/{self._name(key)}"

    async def put(self, key: str, data: bytes, content_type: str) -> ObjectInfo:
        name = self._name(key)
        await asyncio.to_thread(self._put, name, data, content_type)
        return await self.info(key)

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._get, self._name(key))

    async def info(self, key: str) -> ObjectInfo:
        return await asyncio.to_thread(self._info, key)

    async def exists(self, key: str) -> bool:
        try:
            await self.info(key)
        except ObjectNotFound:
            return False
        return True

    async def delete(self, key: str) -> None:
        name = self._name(key)
        await asyncio.to_thread(self._client.delete_object, Bucket=self.location.bucket, Key=name)

    async def list(self, prefix: str = "") -> builtins.list[ObjectInfo]:
        return await asyncio.to_thread(self._list, prefix)

    async def presigned_url(self, key: str, *, filename: str, expires_seconds: int) -> str | None:
        """A URL that downloads `key` as an attachment named `filename`, valid this long."""
        params = {
            "Bucket": self.location.bucket,
            "Key": self._name(key),
            "ResponseContentDisposition": f'attachment; filename="{filename}"',
        }
        return str(
            self._signer.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=expires_seconds
            )
        )

    def _put(self, name: str, data: bytes, content_type: str) -> None:
        from boto3.s3.transfer import TransferConfig

        transfer = TransferConfig(
            multipart_threshold=self.multipart_threshold, multipart_chunksize=MULTIPART_THRESHOLD
        )
        self._client.upload_fileobj(
            io.BytesIO(data),
            self.location.bucket,
            name,
            ExtraArgs={"ContentType": content_type},
            Config=transfer,
        )

    def _get(self, name: str) -> bytes:
        try:
            response = self._client.get_object(Bucket=self.location.bucket, Key=name)
        except Exception as exc:
            if _is_missing(exc):
                raise ObjectNotFound(name) from exc
            raise
        body: bytes = response["Body"].read()
        return body

    def _info(self, key: str) -> ObjectInfo:
        try:
            head = self._client.head_object(Bucket=self.location.bucket, Key=self._name(key))
        except Exception as exc:
            if _is_missing(exc):
                raise ObjectNotFound(key) from exc
            raise
        return ObjectInfo(
            key=key,
            size=int(head["ContentLength"]),
            content_type=str(head.get("ContentType") or "application/octet-stream"),
            modified_at=head["LastModified"],
        )

    def _list(self, prefix: str) -> builtins.list[ObjectInfo]:
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self.location.bucket, Prefix=self.location.prefix + prefix
        )
        found: builtins.list[ObjectInfo] = []
        for page in pages:
            for item in page.get("Contents", []):
                key = str(item["Key"]).removeprefix(self.location.prefix)
                try:
                    found.append(self._info(key))  # the listing carries no content type
                except (ObjectNotFound, ValueError):
                    continue  # deleted meanwhile, or a key Keel would never write
        return sorted(found, key=lambda item: item.key)

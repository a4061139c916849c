"""The one settings class. Every value comes from `KEEL_*` environment variables (or `.env`).

The embedded defaults run everything in one process with no server to install. Outside development the
settings refuse insecure defaults (the development JWT secret, SQLite as the system of record is allowed).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from keel.server.sealing import DEV_ENCRYPTION_KEY, key_ring
from keel.server.secret_files import SecretFilesSettingsSource

DEV_JWT_SECRET = "keel-development-secret-change-me-0123456789abcdef"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KEEL_", env_file=".env", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    var_dir: Path = Path("var")
    """Where the embedded defaults keep their files (SQLite, Parquet history, objects)."""

    database_url: str = ""
    """SQLAlchemy async URL; empty means an SQLite file under `var_dir`."""
    database_pool_size: int = 20
    database_pre_ping: bool = True
    """Test each pooled PostgreSQL connection before use (safe after a database restart, one
    extra round trip per request); off: connections are recycled every 5 minutes instead."""
    redis_url: str | None = None
    """Redis for cache, rate limits and pub/sub; unset means in-process fallbacks."""
    redis_namespace: str = Field(default="keel", pattern=r"^[A-Za-z0-9_.-]{1,40}$")
    """Prefix of Keel's pub/sub channels and state keys in Redis (`<namespace>:quotes:SPX`).
    Pub/sub channels ignore the Redis database number, so deployments sharing one Redis need
    their own namespace."""
    object_store_url: str = ""
    """`file://…` or empty (a folder under `var_dir`), or `s3://BUCKET/PREFIX?endpoint=…`
    (`keel.server.s3store`)."""
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    """Unset: boto3's own credential chain (`AWS_*` variables, web identity, instance role)."""
    object_download_seconds: int = Field(default=300, ge=10, le=7 * 24 * 3600)
    """How long a presigned download URL (S3) stays valid."""

    backtest_time_limit_seconds: float = Field(default=120.0, gt=0, le=3600)
    """Wall seconds one backtest job may run in its worker process; then it fails, stopped."""
    backtest_memory_limit_mb: int = Field(default=1024, ge=1, le=65536)
    """MiB one backtest job may allocate in its worker process; past it, it fails."""
    backtest_storage_quota_mb: float = Field(default=50.0, gt=0, le=100_000)
    """MiB of uploaded datasets and backtest results one user may keep."""
    backtest_retention_days: float = Field(default=30.0, gt=0, le=3650)
    """Finished backtests (row, result and report) older than this are deleted."""

    web_dist: Path | None = None
    """The built web app (`web/dist`) served at `/`; unset means the repository's own `web/dist`."""

    host: str = "127.0.0.1"
    port: int = 8000
    role: str = "all"
    """`all` (one process), `api` (stateless replica) or `engine` (market feed, breakers, matching)."""
    engine_max_scenarios: int | None = Field(default=None, ge=1)
    """`--role engine` only. Unset: one engine leads and runs every scenario (standbys wait on one
    lock). Set: scenarios are spread over the engine processes, one PostgreSQL advisory lock per
    scenario; each runs at most this many, mirrors the others, and takes over a dead engine's."""

    jwt_secret: str = DEV_JWT_SECRET
    encryption_keys: str = DEV_ENCRYPTION_KEY
    """Fernet keys sealing secrets at rest (TOTP secrets), comma-separated: the first encrypts,
    all decrypt (`keel.server.sealing`)."""
    jwt_algorithm: str = "HS256"
    access_token_minutes: int = 15
    refresh_token_days: int = 14

    replay_start: date = date(2008, 9, 1)
    replay_seconds_per_day: float = Field(default=6.0, gt=0)
    replay_ticks_per_bar: int = Field(default=60, ge=4)
    replay_seed: int = 7
    replay_autostart: bool = True
    """Run the replay in a background task on `all`/`engine` processes, one tick every
    `replay_seconds_per_day / (replay_ticks_per_bar - 1)` seconds. Tests turn it off and step the
    feed by hand."""
    feed_stale_seconds: float = Field(default=10.0, gt=0)
    """Wall seconds without new prices (while the market runs) after which quotes count as stale:
    `/readyz` answers 503, orders are refused (`market-data-stale`) and the engine trips the
    market's stale-data breaker. Never less than three replay ticks."""

    breaker_mode: Literal["enforce", "measure"] = "enforce"
    """`enforce`: circuit breakers bind orders. `measure`: they run, record and publish their
    transitions but allow every order (for tests and dry runs that are not about breakers)."""

    default_starting_cash: Decimal = Decimal("100000")
    max_starting_cash: Decimal = Decimal("10000000")
    commission_per_order: Decimal = Decimal("0")
    allow_short_selling: bool = False
    approval_expiry_minutes: int = Field(default=60 * 24 * 60, ge=1)
    """How long a minor's order waits for a guardian, in minutes of market time (the replay's
    clock, not the wall clock): 60 market days by default, about 42 trading days, which the
    default replay speed runs through in about four wall minutes; while a scenario is paused its
    clock stands still, and so does the wait."""
    order_batch_max: int = Field(default=64, ge=1, le=1024)
    """At most this many waiting orders share one transaction (`keel.server.orders.desk`); 1 places
    every order in a transaction of its own."""
    order_batch_linger_ms: float = Field(default=1.0, ge=0, le=50)
    """How long a batch waits for more orders when fewer than `order_batch_max` are queued (larger
    batches, fewer round trips per order; this much more latency for a lone order)."""

    ws_max_sockets_per_user: int = Field(default=5, ge=1)
    """Open WebSockets one user may hold in one process (the app needs one per browser tab);
    past it a new one is closed with 4430."""
    rate_limit_anonymous: str = "60/minute"
    rate_limit_learner: str = "600/minute"
    rate_limit_admin: str = "3000/minute"
    rate_limit_upload: str = "20/minute"
    """Uploaded data files per user, on top of the user's tier (each is parsed in full)."""
    max_body_bytes: int = 64 * 1024
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    """An uploaded market-data file (`PUT /api/v1/backtests/datasets/…`): 100,000 rows of CSV,
    the most a dataset may have, take about 7 MB. Every other request stays under
    `max_body_bytes`."""

    content_dir: Path | None = None
    """Lessons (`lessons/*.md`) and the glossary (`glossary.yaml`); unset: the repository's
    `content/`. Checked at start-up: a malformed lesson stops it, naming the file and line."""

    flags_file: Path | None = None
    """The flagd flag definitions Keel starts from (`flags/keel.flagd.json` of the repository when
    unset); admins' changes are stored in the database on top of it (`keel.server.flags`)."""
    flagd_address: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]+:[0-9]{1,5}$")
    """`host:port` of a flagd server: flags are evaluated there (OpenFeature's flagd provider over
    gRPC) instead of in-process from `flags_file`, and the admin API shows them read-only."""
    flags_refresh_seconds: float = Field(default=30.0, gt=0)
    """How often each process reloads the admins' flag changes from the database, in case it
    missed the pub/sub message that normally brings them at once."""

    metrics_token: SecretStr | None = None
    """Bearer token `/metrics` requires; unset, `/metrics` answers loopback clients only."""

    log_level: str = "INFO"
    log_json: bool = True
    demo_users: bool = True

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # `KEEL_<NAME>_FILE` (a mounted Secret) after the plain variables, before `.env`.
        files = SecretFilesSettingsSource(settings_cls, "KEEL_")
        return init_settings, env_settings, files, dotenv_settings, file_secret_settings

    @model_validator(mode="after")
    def _refuse_insecure_defaults(self) -> Settings:
        if self.environment is Environment.PRODUCTION and self.jwt_secret == DEV_JWT_SECRET:
            raise ValueError("set KEEL_JWT_SECRET to a long random value in production")
        if len(self.jwt_secret) < 32:
            raise ValueError("KEEL_JWT_SECRET must be at least 32 characters")
        key_ring(self.encryption_keys)  # a malformed key is refused at start, with the fix
        if self.environment is Environment.PRODUCTION and DEV_ENCRYPTION_KEY in (
            key.strip() for key in self.encryption_keys.split(",")
        ):
            raise ValueError("set KEEL_ENCRYPTION_KEYS to a key of your own in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.var_dir / 'keel.db').as_posix()}"

    @property
    def resolved_content_dir(self) -> Path:
        return self.content_dir or Path(__file__).resolve().parents[3] / "content"

    @property
    def resolved_flags_file(self) -> Path:
        return self.flags_file or Path(__file__).resolve().parents[3] / "flags" / "keel.flagd.json"

    @property
    def market_dir(self) -> Path:
        return self.var_dir / "market"

    @property
    def object_dir(self) -> Path:
        if self.object_store_url.startswith("file://"):
            return Path(self.object_store_url.removeprefix("file://"))
        return self.var_dir / "objects"

    @property
    def web_dir(self) -> Path:
        return self.web_dist or Path(__file__).resolve().parents[3] / "web" / "dist"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()

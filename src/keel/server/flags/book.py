"""This process's flags, evaluated by OpenFeature's flagd provider.

In-process (the default), the flagd provider runs in its **file** mode: it evaluates a flagd
definition file and re-reads it when the file changes (it checks every `FILE_POLL_MS`). Keel
writes that file itself — the shipped flags with the admins' stored changes on top — under the
process's `var_dir`. How a change reaches every process:

1. the admin's change is stored with its audit row and committed;
2. a message on the internal pub/sub channel `flags` (Redis between processes) tells every
   process, the one that took the change included, to reload the changes from the database and
   rewrite its file; the provider picks the new file up within `FILE_POLL_MS`;
3. in case a process missed the message (Redis restarting), each one also reloads every
   `KEEL_FLAGS_REFRESH_SECONDS`.

With `KEEL_FLAGD_ADDRESS` the provider asks that flagd server instead (gRPC); the flags are then
managed there and the admin API shows them read-only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog
from openfeature import api
from openfeature.client import OpenFeatureClient
from openfeature.contrib.provider.flagd import FlagdProvider
from openfeature.contrib.provider.flagd.config import ResolverType
from openfeature.evaluation_context import EvaluationContext
from openfeature.flag_evaluation import FlagEvaluationDetails, Reason
from openfeature.provider.no_op_provider import NoOpProvider

from keel.server.flags.definitions import FlagSet, apply_changes, load_flags_file
from keel.server.flags.repository import stored_changes

if TYPE_CHECKING:
    from keel.server.auth.models import User
    from keel.server.runtime import Runtime

log = structlog.get_logger(__name__)

FLAGS_CHANNEL = "flags"
"""Internal pub/sub channel: an admin changed a flag; reload the changes."""
FILE_POLL_MS = 200
"""How often the flagd file provider checks its file for a change."""


@dataclass(frozen=True, slots=True)
class Evaluated:
    key: str
    value: bool | str | int | float
    variant: str | None
    reason: str


def evaluation_context(user: User, *, is_minor: bool) -> EvaluationContext:
    """Who asks, as flag targeting sees it: the user's id and cohort, role and minority."""
    return EvaluationContext(
        targeting_key=user.id,
        attributes={"cohort": user.cohort, "role": user.role, "minor": is_minor},
    )


class FlagBook:
    def __init__(self, runtime: Runtime) -> None:
        settings = runtime.settings
        self._runtime = runtime
        self.shipped = load_flags_file(settings.resolved_flags_file)
        self.in_force: FlagSet = self.shipped
        self.address = settings.flagd_address
        self.domain = f"keel-{id(runtime):x}"
        """OpenFeature's providers are process-wide; each runtime binds its own domain."""
        self.path = settings.var_dir / "flags" / "in-force.flagd.json"
        """Several workers of one host may share it: each writes the same content, atomically."""
        self._refresher: asyncio.Task[None] | None = None
        self._reloads: set[asyncio.Task[None]] = set()
        self._stop_listening: Callable[[], None] | None = None

    @property
    def managed_elsewhere(self) -> bool:
        """True when a flagd server holds the flags (admins change them there)."""
        return self.address is not None

    @property
    def client(self) -> OpenFeatureClient:
        return api.get_client(self.domain)

    async def start(self) -> None:
        if self.address is not None:
            host, _, port = self.address.rpartition(":")
            # Not waited for: the flagd server may come up later; until then every flag
            # evaluates to the default the code asks with.
            api.set_provider(FlagdProvider(host=host, port=int(port)), self.domain)
            return
        await self.reload()
        provider = FlagdProvider(
            resolver_type=ResolverType.FILE,
            offline_flag_source_path=str(self.path),
            deadline_ms=FILE_POLL_MS,
        )
        await asyncio.to_thread(api.set_provider_and_wait, provider, self.domain)
        from keel.server.pubsub import get_pubsub

        self._stop_listening = get_pubsub(self._runtime).add_listener(
            self._on_message, wants=lambda channel: channel == FLAGS_CHANNEL
        )
        self._refresher = asyncio.create_task(self._refresh_now_and_then())

    async def stop(self) -> None:
        if self._stop_listening is not None:
            self._stop_listening()
        for task in (self._refresher, *self._reloads):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        # Shuts the flagd provider down; the file stays (its watcher may look once more).
        api.set_provider(NoOpProvider(), self.domain)

    async def reload(self) -> None:
        """Read the stored changes and write the flags in force for the provider to pick up."""
        async with self._runtime.sessionmaker() as session:
            changes = await stored_changes(session)
        in_force = apply_changes(self.shipped, changes)
        self.in_force = in_force
        await asyncio.to_thread(_write_atomically, self.path, in_force.to_flagd())

    def _on_message(self, channel: str, message: dict[str, Any]) -> None:
        task = asyncio.get_running_loop().create_task(self.reload())
        self._reloads.add(task)
        task.add_done_callback(self._reloads.discard)

    async def _refresh_now_and_then(self) -> None:
        while True:
            await asyncio.sleep(self._runtime.settings.flags_refresh_seconds)
            try:
                await self.reload()
            except Exception:  # a database blip: try again next time
                log.warning("reloading the flags failed", exc_info=True)

    def evaluate(self, context: EvaluationContext) -> dict[str, Evaluated]:
        """Every flag Keel knows, evaluated for `context` by the provider."""
        return {key: self.evaluate_one(key, context) for key in sorted(self.shipped.flags)}

    def evaluate_one(self, key: str, context: EvaluationContext) -> Evaluated:
        flag = self.shipped.flags[key]
        fallback = flag.variants[flag.default_variant]
        details: FlagEvaluationDetails[Any]
        if flag.kind == "boolean":
            details = self.client.get_boolean_details(key, bool(fallback), context)
        elif flag.kind == "string":
            details = self.client.get_string_details(key, str(fallback), context)
        else:
            details = self.client.get_float_details(key, float(fallback), context)
        reason = str(details.reason or "UNKNOWN")
        if flag.kind == "boolean" and reason == Reason.DISABLED:
            # flagd answers a DISABLED flag with the caller's default (here the file's default
            # variant, `on` for the feedback button); "turn off for everyone" means off.
            return Evaluated(key, False, details.variant, reason)
        return Evaluated(key, details.value, details.variant, reason)


def _write_atomically(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, indent=2, sort_keys=True)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return  # unchanged: the provider need not reload
    scratch = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, path)


def get_flags(runtime: Runtime) -> FlagBook:
    if runtime.flags is None:
        raise RuntimeError("the flags are not started")
    return runtime.flags

"""Flag definitions in flagd's file format: the shipped file, the admins' changes, the result.

The shipped file (`KEEL_FLAGS_FILE`, by default the repository's `flags/keel.flagd.json`) is a
plain flagd definition: each flag has a `state`, `variants`, a `defaultVariant` and optional
JSON Logic `targeting`. Admins change three things per flag — the state, the default variant and
which variant each cohort gets — and Keel stores the change (`FlagChange`). The definition in
force is the file's with the stored change on top; it is written back in flagd's format for the
flagd provider to evaluate (`keel.server.flags.book`).

Cohort targeting is written in one JSON Logic form, which Keel also reads back:
`{"if": [{"in": [{"var": "cohort"}, ["beta"]]}, "on", …, null]}` (a final `null` falls back to the
default variant). Targeting of any other form in the file is kept as it is until an admin sets
cohorts, which replaces it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from keel.domain.enums import Cohort

COHORTS = tuple(cohort.value for cohort in Cohort)
"""Every user is in one cohort (`users.cohort`), `general` unless an admin moves them."""
STATES = ("ENABLED", "DISABLED")

Variant = bool | str | int | float


class FlagsFileError(ValueError):
    """The flags file cannot be used; the message names the file and the flag."""


MODEL_SIGNALS = "model-signals"
FEEDBACK_BUTTON = "feedback-button"
GATES: dict[str, str] = {
    MODEL_SIGNALS: "Model signals are shown to the beta cohort first, and they are not on for "
    "you yet. Ask an admin if you want to try them.",
    FEEDBACK_BUTTON: "Sending feedback is switched off right now. Try again later, or tell your "
    "teacher.",
}
"""The flags the API enforces (`keel.server.flags.deps.requires_flag`), each with what a user it
is off for reads. Each must be in the flags file as an on/off (boolean) flag."""


@dataclass(frozen=True, slots=True)
class FlagDefinition:
    key: str
    state: str
    variants: dict[str, Variant]
    default_variant: str
    description: str = ""
    cohorts: dict[str, str] | None = None
    """Cohort → variant, when the targeting is Keel's cohort rule (or there is none: `{}`)."""
    other_targeting: dict[str, Any] | None = None
    """Targeting of another form, from the file, kept as it is until cohorts are set."""

    @property
    def kind(self) -> str:
        """`boolean`, `string` or `number`: what the variants are."""
        values = list(self.variants.values())
        if all(isinstance(value, bool) for value in values):
            return "boolean"
        if all(isinstance(value, str) for value in values):
            return "string"
        return "number"

    def targeting(self) -> dict[str, Any] | None:
        """The JSON Logic rule flagd evaluates (None: everyone gets the default variant)."""
        if self.cohorts is None:
            return self.other_targeting
        if not self.cohorts:
            return None
        by_variant: dict[str, list[str]] = {}
        for cohort, variant in sorted(self.cohorts.items()):
            by_variant.setdefault(variant, []).append(cohort)
        rule: list[Any] = []
        for variant, cohorts in by_variant.items():
            rule += [{"in": [{"var": "cohort"}, cohorts]}, variant]
        return {"if": [*rule, None]}

    def to_flagd(self) -> dict[str, Any]:
        flag: dict[str, Any] = {
            "state": self.state,
            "variants": self.variants,
            "defaultVariant": self.default_variant,
            "metadata": {"description": self.description},
        }
        targeting = self.targeting()
        if targeting is not None:
            flag["targeting"] = targeting
        return flag


@dataclass(frozen=True, slots=True)
class FlagChange:
    """What an admin set on one flag (None: as in the file)."""

    state: str | None = None
    default_variant: str | None = None
    cohorts: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class FlagSet:
    flags: dict[str, FlagDefinition] = field(default_factory=dict)

    def to_flagd(self) -> dict[str, Any]:
        """The whole set as a flagd flag definition document."""
        return {
            "$schema": "https://flagd.dev/schema/v0/flags.json",
            "flags": {key: flag.to_flagd() for key, flag in sorted(self.flags.items())},
        }


def cohorts_of(targeting: Any) -> dict[str, str] | None:
    """Cohort → variant if `targeting` is Keel's cohort rule (`{}` for none), else None."""
    if targeting is None:
        return {}
    if not isinstance(targeting, dict) or set(targeting) != {"if"}:
        return None
    rule = targeting["if"]
    if not isinstance(rule, list) or len(rule) % 2 != 1 or rule[-1] is not None:
        return None
    cohorts: dict[str, str] = {}
    for condition, variant in zip(rule[0:-1:2], rule[1:-1:2], strict=True):
        match condition:
            case {"in": [{"var": "cohort"}, list() as names]} if isinstance(variant, str):
                cohorts.update({str(name): variant for name in names})
            case _:
                return None
    return cohorts


def _flag(path: Path, key: str, raw: Any) -> FlagDefinition:
    def refuse(why: str) -> FlagsFileError:
        return FlagsFileError(f"{path}: flag {key!r}: {why}")

    if not isinstance(raw, dict):
        raise refuse("must be an object")
    state, variants, default = raw.get("state"), raw.get("variants"), raw.get("defaultVariant")
    if state not in STATES:
        raise refuse(f"state must be one of {', '.join(STATES)}")
    if not isinstance(variants, dict) or not variants:
        raise refuse("variants must be a non-empty object")
    if not all(isinstance(value, bool | str | int | float) for value in variants.values()):
        raise refuse("variants must be booleans, strings or numbers")
    if default not in variants:
        raise refuse(f"defaultVariant {default!r} is not one of its variants")
    metadata = raw.get("metadata") or {}
    cohorts = cohorts_of(raw.get("targeting"))
    if cohorts is not None and not set(cohorts.values()) <= set(variants):
        raise refuse("its cohort targeting names a variant it does not have")
    return FlagDefinition(
        key=key,
        state=str(state),
        variants=dict(variants),
        default_variant=str(default),
        description=str(metadata.get("description", "")) if isinstance(metadata, dict) else "",
        cohorts=cohorts,
        other_targeting=None if cohorts is not None else raw.get("targeting"),
    )


def load_flags_file(path: Path) -> FlagSet:
    """Read and check a flagd flags file (JSON); a problem stops start-up, naming the flag."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise FlagsFileError(f"{path}: cannot read the flags file: {error}") from error
    flags = document.get("flags") if isinstance(document, dict) else None
    if not isinstance(flags, dict):
        raise FlagsFileError(f"{path}: a flagd file needs a `flags` object")
    loaded = FlagSet({str(key): _flag(path, str(key), raw) for key, raw in flags.items()})
    for key in GATES:
        gate = loaded.flags.get(key)
        if gate is None or gate.kind != "boolean":
            raise FlagsFileError(
                f"{path}: flag {key!r} must be defined with on/off (true/false) variants: the "
                f"API checks it before serving the feature it switches"
            )
    return loaded


def apply_changes(shipped: FlagSet, changes: dict[str, FlagChange]) -> FlagSet:
    """The flags in force: the shipped ones with the stored changes on top (changes to flags no
    longer in the file are ignored)."""
    flags = dict(shipped.flags)
    for key, change in changes.items():
        flag = flags.get(key)
        if flag is None:
            continue
        flags[key] = replace(
            flag,
            state=change.state or flag.state,
            default_variant=change.default_variant
            if change.default_variant in flag.variants
            else flag.default_variant,
            cohorts=flag.cohorts if change.cohorts is None else dict(change.cohorts),
        )
    return FlagSet(flags)

"""Two people's limits on one account: the holder's own and, for a minor, their guardian's.

Each account-breaker rule is a switch (its first field: None = off) and settings. The limits in
force are, rule by rule, the tighter of the two: a rule off on one side takes the other side's; a
rule on both sides takes, field by field, the smaller limit or count and the longer window, lock or
cooldown. So a guardian's limit always binds, and the holder may only add strictness on top of it.
A rule in force that differs from the holder's own (or equals the guardian's) names the guardian.

The guardian's limits also go, as they are, to `AccountRiskConfig.together`: the rules that count
or add up are judged with them on all the minor's accounts as one (`keel.risk.account_breaker`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from keel.risk.account_breaker import AccountRiskConfig

Direction = Literal["smaller", "longer"]

RULE_FIELDS: dict[str, tuple[tuple[str, Direction], ...]] = {
    "daily_loss": (("daily_loss_limit", "smaller"), ("daily_loss_lock", "longer")),
    "drawdown": (("max_drawdown", "smaller"), ("drawdown_lock", "longer")),
    "stoploss_guard": (
        ("stoploss_trades", "smaller"),
        ("stoploss_window", "longer"),
        ("stoploss_lock", "longer"),
    ),
    "loss_cooldown": (("loss_streak", "smaller"), ("loss_cooldown", "longer")),
}
"""Each rule's fields, the first being its switch, and which way is stricter."""


def _values(config: AccountRiskConfig, rule: str) -> tuple[Any, ...]:
    return tuple(getattr(config, name) for name, _ in RULE_FIELDS[rule])


def _stricter(direction: Direction, a: Any, b: Any) -> Any:
    return min(a, b) if direction == "smaller" else max(a, b)


def _looser(direction: Direction, mine: Any, theirs: Any) -> bool:
    return bool(mine > theirs) if direction == "smaller" else bool(mine < theirs)


def looser_rules(own: AccountRiskConfig, guardian: AccountRiskConfig) -> list[str]:
    """Rules where `own` is looser than `guardian` in any field (or off where the guardian's is
    on): what a minor may not set."""
    looser: list[str] = []
    for rule, fields in RULE_FIELDS.items():
        mine, theirs = _values(own, rule), _values(guardian, rule)
        if theirs[0] is None:
            continue
        if mine[0] is None or any(
            _looser(direction, m, t)
            for (_, direction), m, t in zip(fields, mine, theirs, strict=True)
        ):
            looser.append(rule)
    return looser


def limits_in_force(
    own: AccountRiskConfig, guardian: AccountRiskConfig | None, guardian_name: str
) -> AccountRiskConfig:
    """Rule by rule the tighter of `own` and `guardian` (None: no guardian limits), with the
    rules that the guardian's limits decide attributed to `guardian_name`; the guardian's limits,
    set by `guardian_name`, bind all the holder's accounts together (`together`)."""
    if guardian is None:
        return replace(own, together=None)
    changes: dict[str, Any] = {}
    setters: list[tuple[str, str]] = []
    for rule, fields in RULE_FIELDS.items():
        mine, theirs = _values(own, rule), _values(guardian, rule)
        if theirs[0] is None:
            merged = mine
        elif mine[0] is None:
            merged = theirs
        else:
            merged = tuple(
                _stricter(direction, m, t)
                for (_, direction), m, t in zip(fields, mine, theirs, strict=True)
            )
        changes.update({name: value for (name, _), value in zip(fields, merged, strict=True)})
        if theirs[0] is not None and (merged != mine or merged == theirs):
            setters.append((rule, guardian_name))
    shared = replace(guardian, set_by=guardian_name, rule_setters=(), together=None)
    return replace(own, **changes, rule_setters=tuple(setters), together=shared)

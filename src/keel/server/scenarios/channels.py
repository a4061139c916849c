"""Pub/sub channel names of a scenario.

The default scenario keeps the plain names (`quotes:SPX`, `bars:SPX`, `breakers`, `volatility`),
so clients that know one market need nothing more; every other scenario's channels carry its id
after an `@` (`quotes:SPX@<id>`, `breakers@<id>`): two markets never share a channel.
"""

from __future__ import annotations

from keel.server.scenarios.models import DEFAULT_SCENARIO_ID


def scenario_channel(scenario_id: str, name: str) -> str:
    """The channel `name` of scenario `scenario_id`."""
    return name if scenario_id == DEFAULT_SCENARIO_ID else f"{name}@{scenario_id}"


def split_channel(channel: str) -> tuple[str, str]:
    """(name, scenario id) of a channel: the inverse of `scenario_channel`."""
    name, _, scenario_id = channel.partition("@")
    return name, scenario_id or DEFAULT_SCENARIO_ID

"""Subscription names → pub/sub channels, per scenario."""

from __future__ import annotations

import pytest

from keel.server.realtime.hub import resolve_channel
from keel.server.scenarios.channels import scenario_channel, split_channel

SCENARIOS = {"default": {"SPX", "GOOG"}, "class-1": {"SPX"}}


def known(scenario_id: str, symbol: str) -> bool:
    return scenario_id in SCENARIOS and (not symbol or symbol in SCENARIOS[scenario_id])


@pytest.mark.parametrize(
    ("name", "channel"),
    [
        ("quotes:spx", "quotes:SPX"),
        ("quotes:SPX@class-1", "quotes:SPX@class-1"),
        ("quotes:GOOG@class-1", None),  # not traded in that scenario
        ("bars:GOOG", "bars:GOOG"),
        ("breakers", "breakers"),
        ("breakers@class-1", "breakers@class-1"),
        ("volatility@nowhere", None),
        ("clock", "scenario:default"),
        ("clock@class-1", "scenario:class-1"),
        ("orders", "orders:u1"),
        ("orders@class-1", None),  # private channels are the caller's, in every scenario
        ("secrets", None),
        ("leaderboards", "leaderboards:u1"),  # a teacher's classes
        ("leaderboard:class-a", "leaderboard:class-a"),  # a class the caller is in or teaches
        ("leaderboard:class-b", None),  # someone else's class
        ("leaderboard:", None),
        ("leaderboard:class-a@class-1", None),
    ],
)
def test_subscription_names_resolve_per_scenario(name: str, channel: str | None) -> None:
    assert resolve_channel(name, "u1", known, {"class-a"}) == channel


def test_channel_names_round_trip() -> None:
    for scenario_id in ("default", "class-1"):
        name = scenario_channel(scenario_id, "quotes:SPX")
        assert split_channel(name) == ("quotes:SPX", scenario_id)
    assert scenario_channel("default", "breakers") == "breakers"

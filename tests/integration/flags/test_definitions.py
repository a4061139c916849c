"""The flags file: Keel's cohort rule written and read back, and files that stop start-up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keel.server.flags.definitions import (
    FlagChange,
    FlagsFileError,
    apply_changes,
    cohorts_of,
    load_flags_file,
)
from keel.server.settings import Settings


def test_the_shipped_file_loads_with_the_flags_keel_uses() -> None:
    shipped = load_flags_file(Settings().resolved_flags_file)
    assert set(shipped.flags) == {"model-signals", "feedback-button"}
    signals = shipped.flags["model-signals"]
    assert signals.cohorts == {"beta": "on"} and signals.default_variant == "off"
    assert shipped.flags["feedback-button"].cohorts == {}


@pytest.mark.parametrize(
    "cohorts",
    [{}, {"beta": "on"}, {"beta": "on", "general": "off"}, {"beta": "on", "general": "on"}],
)
def test_the_cohort_rule_reads_back_what_it_wrote(cohorts: dict[str, str]) -> None:
    shipped = load_flags_file(Settings().resolved_flags_file)
    changed = apply_changes(shipped, {"model-signals": FlagChange(cohorts=cohorts)})
    flag = changed.flags["model-signals"]
    assert cohorts_of(flag.targeting()) == cohorts
    assert flag.to_flagd()["defaultVariant"] == "off"


def test_other_targeting_is_kept_until_cohorts_replace_it() -> None:
    rollout = {"fractional": [["on", 10], ["off", 90]]}
    assert cohorts_of(rollout) is None


@pytest.mark.parametrize(
    ("flag", "says"),
    [
        ({"state": "ON", "variants": {"on": True}, "defaultVariant": "on"}, "state must be"),
        ({"state": "ENABLED", "variants": {}, "defaultVariant": "on"}, "variants must be"),
        ({"state": "ENABLED", "variants": {"on": True}, "defaultVariant": "off"}, "defaultVariant"),
        (
            {
                "state": "ENABLED",
                "variants": {"on": True},
                "defaultVariant": "on",
                "targeting": {"if": [{"in": [{"var": "cohort"}, ["beta"]]}, "maybe", None]},
            },
            "variant it does not have",
        ),
    ],
)
def test_a_malformed_flag_is_refused_naming_the_file_and_flag(
    tmp_path: Path, flag: dict[str, object], says: str
) -> None:
    path = tmp_path / "flags.json"
    path.write_text(json.dumps({"flags": {"broken": flag}}))
    with pytest.raises(FlagsFileError, match=says) as refused:
        load_flags_file(path)
    assert str(path) in str(refused.value) and "'broken'" in str(refused.value)


@pytest.mark.parametrize("gate", ["model-signals", "feedback-button"])
def test_a_file_without_an_on_off_flag_the_api_checks_is_refused(tmp_path: Path, gate: str) -> None:
    shipped = json.loads(Settings().resolved_flags_file.read_text(encoding="utf-8"))
    missing = {key: flag for key, flag in shipped["flags"].items() if key != gate}
    path = tmp_path / "flags.json"
    path.write_text(json.dumps({"flags": missing}))
    with pytest.raises(FlagsFileError, match=f"'{gate}' must be defined with on/off"):
        load_flags_file(path)
    words = {**shipped["flags"][gate], "variants": {"on": "yes", "off": "no"}}
    path.write_text(json.dumps({"flags": {**missing, gate: words}}))
    with pytest.raises(FlagsFileError, match=f"'{gate}' must be defined with on/off"):
        load_flags_file(path)

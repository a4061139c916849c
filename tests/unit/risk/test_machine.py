"""The breaker state machine: legal and illegal transitions, backoff, probing, measure-only, force."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keel.domain.enums import Permission
from keel.risk.machine import BreakerMachine, BreakerPolicy, BreakerState, check_transition
from keel.risk.transitions import (
    CALM,
    BreakerMode,
    Demand,
    IllegalBreakerTransition,
    Scope,
    TransitionKind,
)

T0 = datetime(2008, 10, 15, 14, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
OP, C, R, X = Permission.OPEN, Permission.CAUTIOUS, Permission.RESTRICTED, Permission.CLOSED
POLICY = BreakerPolicy(
    cooldown=timedelta(minutes=15),
    backoff_factor=2.0,
    max_cooldown=timedelta(hours=2),
    backoff_reset=timedelta(hours=1),
    probe_duration=timedelta(minutes=10),
    probe_observations=5,
)


def trip(level: Permission = X, hold: timedelta | None = None, rule: str = "test") -> Demand:
    return Demand(level, rule, f"{rule} fired", {"figure": 1.0}, hold)


def machine(policy: BreakerPolicy = POLICY) -> BreakerMachine:
    return BreakerMachine(Scope.SYMBOL, "SPX", policy)


def run_calm(m: BreakerMachine, start: datetime, minutes: int) -> list[tuple[datetime, Permission]]:
    """Observe CALM once a minute; return each (time, level) after a transition."""
    changes = []
    for i in range(1, minutes + 1):
        at = start + i * MIN
        if m.observe(CALM, at) is not None:
            changes.append((at, m.level))
    return changes


# ----- the transition function, table-driven ---------------------------------------------------

LATER = T0 + timedelta(hours=1)
EARLIER = T0 - timedelta(minutes=1)

TABLE = [
    # (state, kind, to, at, legal)
    (BreakerState(OP, T0), TransitionKind.ESCALATE, C, LATER, True),
    (BreakerState(OP, T0), TransitionKind.ESCALATE, X, LATER, True),
    (BreakerState(R, T0), TransitionKind.ESCALATE, C, LATER, False),
    (BreakerState(R, T0), TransitionKind.ESCALATE, R, LATER, False),
    (BreakerState(X, T0, reopen_at=T0), TransitionKind.STEP_DOWN, R, LATER, True),
    (BreakerState(X, T0, reopen_at=T0), TransitionKind.STEP_DOWN, C, LATER, False),
    (BreakerState(X, T0, reopen_at=T0), TransitionKind.STEP_DOWN, OP, LATER, False),
    (BreakerState(X, T0, reopen_at=LATER), TransitionKind.STEP_DOWN, R, T0, False),
    (BreakerState(X, T0, reopen_at=T0, pinned=True), TransitionKind.STEP_DOWN, R, LATER, False),
    (BreakerState(OP, T0), TransitionKind.STEP_DOWN, OP, LATER, False),
    (BreakerState(C, T0, reopen_at=T0), TransitionKind.STEP_DOWN, OP, LATER, False),
    (
        BreakerState(C, T0, reopen_at=T0, probe_started_at=T0),
        TransitionKind.STEP_DOWN,
        OP,
        LATER,
        True,
    ),
    (BreakerState(R, T0), TransitionKind.EXTEND, R, LATER, True),
    (BreakerState(OP, T0), TransitionKind.EXTEND, OP, LATER, False),
    (BreakerState(R, T0), TransitionKind.EXTEND, X, LATER, False),
    (BreakerState(X, T0), TransitionKind.FORCE, OP, LATER, True),
    (BreakerState(OP, T0), TransitionKind.FORCE, OP, LATER, False),
    (BreakerState(OP, T0), TransitionKind.ESCALATE, X, EARLIER, False),
]


@pytest.mark.parametrize(("state", "kind", "to", "at", "legal"), TABLE)
def test_transition_table(
    state: BreakerState, kind: TransitionKind, to: Permission, at: datetime, legal: bool
) -> None:
    if legal:
        check_transition(state, kind, to, at)
    else:
        with pytest.raises(IllegalBreakerTransition):
            check_transition(state, kind, to, at)


# ----- behaviour ----------------------------------------------------------------------------------


def test_escalation_is_immediate_and_recovery_is_one_level_at_a_time() -> None:
    m = machine()
    first = m.observe(trip(X), T0)
    assert first is not None and (first.from_level, first.to_level) == (OP, X)
    assert first.reopen_at == T0 + timedelta(minutes=15)
    changes = run_calm(m, T0, 120)
    assert [level for _, level in changes] == [R, C, OP]
    (to_r, _), (to_c, _), (to_o, _) = changes
    assert to_r == T0 + timedelta(minutes=15)
    assert to_c - to_r == timedelta(minutes=15)
    # CAUTIOUS: its own cooldown, then probing needs 5 calm observations over at least 10 min.
    assert to_o - to_c >= timedelta(minutes=15) + POLICY.probe_duration
    kinds = [t.kind for t in m.history]
    assert kinds == [TransitionKind.ESCALATE] + [TransitionKind.STEP_DOWN] * 3
    assert all(t.reason and t.at for t in m.history)


def test_never_steps_below_what_the_rules_demand() -> None:
    m = machine()
    m.observe(trip(X), T0)
    for i in range(1, 200):
        m.observe(trip(C), T0 + i * MIN)
    assert m.level is C


def test_a_lasting_condition_keeps_the_cooldown_running() -> None:
    m = machine()
    m.observe(trip(R), T0)
    for i in range(1, 61):
        m.observe(trip(R), T0 + i * MIN)
    assert m.state.reopen_at == T0 + timedelta(minutes=75)
    assert m.observe(CALM, T0 + timedelta(minutes=74)) is None
    step = m.observe(CALM, T0 + timedelta(minutes=75))
    assert step is not None and step.to_level is C


def test_backoff_doubles_the_cooldown_on_repeated_trips_and_resets_after_quiet() -> None:
    m = machine()
    cooldowns = []
    at = T0
    for _ in range(4):
        transition = m.observe(trip(R), at)
        assert transition is not None and transition.reopen_at is not None
        cooldowns.append(transition.reopen_at - at)
        # Recover only as far as CAUTIOUS, then trip again.
        while m.level is not C:
            at += MIN
            m.observe(CALM, at)
        at += MIN
    assert cooldowns == [timedelta(minutes=m_) for m_ in (15, 30, 60, 120)]
    m.observe(trip(R), at)
    capped = m.state.reopen_at
    assert capped is not None and capped - at == POLICY.max_cooldown
    # Fully recover, stay OPEN for the reset period: the next trip starts again at 15 min.
    while m.level is not OP:
        at += MIN
        m.observe(CALM, at)
    at += POLICY.backoff_reset
    again = m.observe(trip(R), at)
    assert again is not None and again.reopen_at == at + timedelta(minutes=15)


def test_probing_is_restarted_by_a_cautious_demand_and_ended_by_a_trip() -> None:
    m = machine()
    m.observe(trip(C), T0)
    at = T0 + timedelta(minutes=15)
    for i in range(4):
        m.observe(CALM, at + i * MIN)
    assert m.state.probing and m.state.calm_observations == 4
    m.observe(trip(C), at + 4 * MIN)
    assert not m.state.probing and m.level is C
    escalated = m.observe(trip(R), at + 5 * MIN)
    assert escalated is not None and escalated.to_level is R and m.state.trips == 2


@given(
    demands=st.lists(st.sampled_from(list(Permission)), min_size=1, max_size=80),
    gaps=st.lists(st.integers(min_value=0, max_value=30), min_size=80, max_size=80),
)
@settings(max_examples=150, deadline=None)
def test_any_sequence_escalates_at_once_and_steps_down_one_level(
    demands: list[Permission], gaps: list[int]
) -> None:
    m = machine()
    at = T0
    for demand, gap in zip(demands, gaps, strict=False):
        at += timedelta(minutes=gap)
        before = m.level
        transition = m.observe(Demand(demand, "rule", "reason"), at)
        assert m.level >= demand  # never looser than the rules ask
        if demand > before:
            assert transition is not None and transition.kind is TransitionKind.ESCALATE
        if transition is not None and transition.kind is TransitionKind.STEP_DOWN:
            assert transition.to_level == before - 1


def test_measure_only_records_but_allows_everything() -> None:
    m = machine(BreakerPolicy(mode=BreakerMode.MEASURE_ONLY))
    transition = m.observe(trip(X), T0)
    assert transition is not None and not transition.enforced
    assert m.level is X and m.effective_level is OP


def test_admin_force_pins_until_resume_but_rules_may_still_escalate() -> None:
    m = machine()
    halt = m.force(R, T0, by="admin@keel", reason="halted for a drill")
    assert halt.kind is TransitionKind.FORCE and m.state.pinned
    assert run_calm(m, T0, 600) == []
    escalated = m.observe(trip(X), T0 + timedelta(hours=11))
    assert escalated is not None and escalated.to_level is X and m.state.pinned
    resume = m.force(OP, T0 + timedelta(hours=12), by="admin@keel", reason="drill over")
    assert resume.to_level is OP and not m.state.pinned
    assert dict(resume.figures) == {"by": "admin@keel"}

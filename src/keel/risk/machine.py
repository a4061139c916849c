"""The graduated breaker state machine shared by every scope.

Levels OPEN < CAUTIOUS < RESTRICTED < CLOSED. Rules hand the machine a `Demand` at each observation:

- escalation is immediate: a demand tighter than the level moves straight to it;
- de-escalation is one level at a time, never below the demand, and only once ``reopen_at`` has
  passed; the cooldown counts from the last observation that demanded the level, grows by
  ``backoff_factor`` on each repeated trip (up to ``max_cooldown``), and resets once the breaker has
  stayed OPEN for ``backoff_reset``, or gone that long past a trip's cooldown without another (so
  a symbol that spends months in a storm does not get a 4-hour halt for every price jump);
- a demand with a `condition` (e.g. a volatility regime) holds its level while the condition
  lasts, with no reopening time (one that moved with every observation would tell a learner
  nothing); once it clears, the cooldown counts from its last observation;
- with ``market_hours`` every reopening time is moved inside the US session
  (`keel.risk.sessions.in_market_hours`): the replay has no market time between sessions, so that
  is when the level really changes;
- CAUTIOUS → OPEN needs a probing phase: at least ``probe_observations`` calm observations spread
  over at least ``probe_duration``; any demand at CAUTIOUS or above restarts or ends it;
- an admin may force any level; a forced level above OPEN is pinned (no automatic step-down until
  the admin resumes), while automatic escalation above it still happens;
- in MEASURE_ONLY mode all of this runs and is recorded, but `effective_level` is always OPEN.

All times are passed in (timezone-aware datetimes); the machine never reads a clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from keel.domain.enums import Permission
from keel.risk.policy import BreakerPolicy, BreakerState
from keel.risk.sessions import in_market_hours
from keel.risk.transitions import (
    BreakerMode,
    BreakerTransition,
    Demand,
    Figure,
    IllegalBreakerTransition,
    Scope,
    TransitionKind,
)
from keel.risk.wording import LEVEL_MEANING, duration, subject

__all__ = ["BreakerMachine", "BreakerPolicy", "BreakerState", "check_transition"]


def check_transition(
    state: BreakerState, kind: TransitionKind, to_level: Permission, at: datetime
) -> None:
    """Raise `IllegalBreakerTransition` unless `kind` may move `state` to `to_level` at `at`."""
    if state.since is not None and at < state.since:
        raise IllegalBreakerTransition("time runs backwards: a breaker never moves into the past")
    if kind is TransitionKind.ESCALATE:
        if to_level <= state.level:
            raise IllegalBreakerTransition(
                f"escalation must tighten: {state.level.name} → {to_level.name} does not"
            )
    elif kind is TransitionKind.STEP_DOWN:
        if state.level is Permission.OPEN or to_level != state.level - 1:
            raise IllegalBreakerTransition(
                f"de-escalation goes one level at a time: {state.level.name} → {to_level.name}"
            )
        if state.pinned:
            raise IllegalBreakerTransition("an admin pinned this level; only an admin resumes")
        if state.reopen_at is not None and at < state.reopen_at:
            raise IllegalBreakerTransition(
                f"cooldown runs until {state.reopen_at.isoformat()}; too early to step down"
            )
        if state.level is Permission.CAUTIOUS and not state.probing:
            raise IllegalBreakerTransition("CAUTIOUS → OPEN needs a completed probing phase")
    elif kind is TransitionKind.EXTEND:
        if to_level != state.level or state.level is Permission.OPEN:
            raise IllegalBreakerTransition("an extension keeps a level above OPEN")
    elif kind is TransitionKind.FORCE and to_level == state.level and not state.pinned:
        raise IllegalBreakerTransition(f"already at {to_level.name}")


class BreakerMachine:
    """One breaker's state plus the transitions it made (see the module docstring for the rules)."""

    def __init__(self, scope: Scope, scope_key: str, policy: BreakerPolicy | None = None) -> None:
        self.scope = scope
        self.scope_key = scope_key
        self.policy = policy or BreakerPolicy()
        self.state = BreakerState()
        self.history: list[BreakerTransition] = []

    @property
    def level(self) -> Permission:
        """The level the machine is at (also in measure-only mode)."""
        return self.state.level

    @property
    def effective_level(self) -> Permission:
        """The level that binds orders: OPEN in measure-only mode."""
        if self.policy.mode is BreakerMode.MEASURE_ONLY:
            return Permission.OPEN
        return self.state.level

    def cooldown_for(self, trips: int) -> timedelta:
        """Cooldown after the `trips`-th trip of an episode (1 = first), with backoff and a cap."""
        scaled = self.policy.cooldown * (self.policy.backoff_factor ** max(trips - 1, 0))
        return min(scaled, self.policy.max_cooldown)

    def observe(self, demand: Demand, at: datetime) -> BreakerTransition | None:
        """Apply one observation of the rules at `at`; return the transition it caused, if any."""
        state = self.state
        if demand.level > state.level:
            return self._escalate(demand, at)
        if demand.level == state.level and state.level is not Permission.OPEN:
            return self._hold(demand, at)
        if state.level is Permission.OPEN or state.pinned:
            return None
        if state.condition is not None:
            state = self._condition_cleared(state)
        if state.reopen_at is not None and at < state.reopen_at:
            return None
        if state.level is Permission.CAUTIOUS:
            return self._probe(demand, at)
        return self._step_down(demand, at)

    def force(self, level: Permission, at: datetime, *, by: str, reason: str) -> BreakerTransition:
        """Admin sets `level` now. Above OPEN it is pinned until an admin forces OPEN (resume)."""
        check_transition(self.state, TransitionKind.FORCE, level, at)
        pinned = level is not Permission.OPEN
        new_state = BreakerState(
            level=level,
            since=at,
            reopen_at=None,
            trips=0 if level is Permission.OPEN else self.state.trips,
            pinned=pinned,
            rule="admin",
            reason=reason,
            cause=reason,
            figures={"by": by},
            last_trip_at=self.state.last_trip_at,
        )
        figures = {"by": by}
        return self._record(new_state, TransitionKind.FORCE, "admin", reason, figures, at)

    def _shown(self, moment: datetime) -> datetime:
        return in_market_hours(moment) if self.policy.market_hours else moment

    def _condition_cleared(self, state: BreakerState) -> BreakerState:
        """The condition no longer holds: its cooldown runs from its last observation."""
        seen = state.condition_seen_at or state.since
        assert seen is not None, "a condition-based level always has a time"
        hold = max(state.condition_hold or timedelta(0), self.cooldown_for(state.trips))
        self.state = replace(
            state,
            reopen_at=self._shown(seen + hold),
            condition=None,
            condition_seen_at=None,
            condition_hold=None,
        )
        return self.state

    def _quiet_since_last_trip(self, at: datetime) -> bool:
        state = self.state
        since = state.since
        if state.level is Permission.OPEN and since is not None:
            return at - since >= self.policy.backoff_reset
        if state.last_trip_at is None:
            return False
        return at - state.last_trip_at >= (
            self.cooldown_for(state.trips) + self.policy.backoff_reset
        )

    def _escalate(self, demand: Demand, at: datetime) -> BreakerTransition:
        check_transition(self.state, TransitionKind.ESCALATE, demand.level, at)
        state = self.state
        trips = 1 if self._quiet_since_last_trip(at) or state.trips == 0 else state.trips + 1
        reopen_at: datetime | None = None
        if demand.condition is None:
            reopen_at = self._shown(at + max(demand.hold or timedelta(0), self.cooldown_for(trips)))
        new_state = BreakerState(
            level=demand.level,
            since=at,
            reopen_at=reopen_at,
            trips=trips,
            pinned=state.pinned,
            rule=demand.rule,
            reason=demand.reason,
            cause=demand.reason,
            condition=demand.condition,
            condition_seen_at=at if demand.condition is not None else None,
            condition_hold=demand.hold if demand.condition is not None else None,
            figures=demand.figures,
            last_trip_at=at,
        )
        return self._record(
            new_state, TransitionKind.ESCALATE, demand.rule, demand.reason, demand.figures, at
        )

    def _hold(self, demand: Demand, at: datetime) -> BreakerTransition | None:
        state = self.state
        if demand.condition is not None:
            # A lasting condition: keep its words and figures current, show no moving time.
            new_state = replace(
                state,
                reopen_at=None,
                rule=demand.rule,
                reason=demand.reason,
                condition=demand.condition,
                condition_seen_at=at,
                condition_hold=demand.hold,
                figures=demand.figures,
                probe_started_at=None,
                calm_observations=0,
            )
            if demand.rule == state.rule:
                self.state = new_state
                return None
            # Another rule now holds the level: worth a record of its own.
            check_transition(state, TransitionKind.EXTEND, state.level, at)
            return self._record(
                new_state, TransitionKind.EXTEND, demand.rule, demand.reason, demand.figures, at
            )
        if state.condition is not None:
            # A timed rule at a level a condition already holds: the condition outlasts it.
            return None
        hold = demand.hold if demand.hold is not None else self.cooldown_for(state.trips)
        reopen_at = self._shown(max(state.reopen_at or at, at + hold))
        if demand.hold is None or demand.rule == state.rule or reopen_at == state.reopen_at:
            # A lasting condition quietly keeps the cooldown running from its latest observation;
            # only another rule firing at this level is worth a record of its own.
            self.state = replace(
                state, reopen_at=reopen_at, probe_started_at=None, calm_observations=0
            )
            return None
        check_transition(state, TransitionKind.EXTEND, state.level, at)
        new_state = replace(
            state,
            reopen_at=reopen_at,
            rule=demand.rule,
            reason=demand.reason,
            figures=demand.figures,
            probe_started_at=None,
            calm_observations=0,
        )
        return self._record(
            new_state, TransitionKind.EXTEND, demand.rule, demand.reason, demand.figures, at
        )

    def _probe(self, demand: Demand, at: datetime) -> BreakerTransition | None:
        state = self.state
        started = state.probe_started_at or at
        calm = state.calm_observations + 1
        self.state = replace(state, probe_started_at=started, calm_observations=calm)
        if calm < self.policy.probe_observations or at - started < self.policy.probe_duration:
            return None
        reason = (
            f"{subject(self.scope, self.scope_key)} stayed quiet for {duration(at - started)} "
            "after the last warning: trading is fully open again"
        )
        figures: dict[str, Figure] = {
            "calm_observations": calm,
            "quiet_minutes": (at - started).total_seconds() / 60,
        }
        return self._step_down(demand, at, reason=reason, figures=figures)

    def _step_down(
        self,
        demand: Demand,
        at: datetime,
        *,
        reason: str | None = None,
        figures: Mapping[str, Figure] | None = None,
    ) -> BreakerTransition:
        state = self.state
        to_level = Permission(state.level - 1)
        check_transition(state, TransitionKind.STEP_DOWN, to_level, at)
        cooldown = self.cooldown_for(state.trips)
        if reason is None:
            reason = (
                f"{subject(self.scope, self.scope_key)} has had {duration(cooldown)} without a "
                f"new alarm: trading eases one step, from {state.level.name} to {to_level.name} "
                f"({LEVEL_MEANING[to_level]})"
            )
        all_figures: dict[str, Figure] = {
            "cooldown_minutes": cooldown.total_seconds() / 60,
            "trips": state.trips,
        }
        all_figures.update(figures or {})
        if demand.level == to_level and demand.condition is not None:
            # Eased onto a level a lasting condition holds (e.g. a jump's halt ends in a storm).
            new_state = BreakerState(
                level=to_level,
                since=at,
                trips=state.trips,
                rule=demand.rule,
                reason=demand.reason,
                cause=state.cause,
                condition=demand.condition,
                condition_seen_at=at,
                condition_hold=demand.hold,
                figures=demand.figures,
                last_trip_at=state.last_trip_at,
            )
            return self._record(
                new_state, TransitionKind.STEP_DOWN, "recovery", reason, all_figures, at
            )
        # At CAUTIOUS the quiet spell before OPEN starts only after this level's own cooldown.
        reopen_at = None if to_level is Permission.OPEN else self._shown(at + cooldown)
        new_state = BreakerState(
            level=to_level,
            since=at,
            reopen_at=reopen_at,
            trips=state.trips,
            rule="recovery",
            reason=f"{state.cause} — now easing one step at a time" if state.cause else reason,
            cause=state.cause,
            figures=all_figures,
            last_trip_at=state.last_trip_at,
        )
        return self._record(
            new_state, TransitionKind.STEP_DOWN, "recovery", reason, all_figures, at
        )

    def _record(
        self,
        new_state: BreakerState,
        kind: TransitionKind,
        rule: str,
        reason: str,
        figures: Mapping[str, Figure],
        at: datetime,
    ) -> BreakerTransition:
        transition = BreakerTransition(
            scope=self.scope,
            scope_key=self.scope_key,
            from_level=self.state.level,
            to_level=new_state.level,
            kind=kind,
            rule=rule,
            reason=reason,
            figures=figures,
            at=at,
            reopen_at=new_state.reopen_at,
            enforced=self.policy.mode is BreakerMode.ENFORCE,
            condition=new_state.condition,
        )
        self.state = new_state
        self.history.append(transition)
        return transition

"""The model that serves signals now: members fitted on every labelled day, the stackers on every
out-of-sample prediction the walk-forward made (the validation days), never on in-sample ones."""

from __future__ import annotations

import numpy as np

from keel.models.hybrid import HybridModel, Stacker
from keel.models.walkforward import MEMBER_NAMES, WalkForward, make_member


def fit_latest(walk: WalkForward, latency_budget_seconds: float = 0.005) -> HybridModel:
    """Members refitted on all usable days of `walk.dataset`; stackers on its validation days."""
    dataset, config = walk.dataset, walk.config
    features, labels = dataset.matrix, walk.labels
    usable = dataset.warm & ~np.isnan(labels)
    members = {}
    for name in MEMBER_NAMES:
        member = make_member(name, config.seed, config.circuit)
        members[name] = member.fit(features[usable], labels[usable])
    stacked = np.column_stack([walk.predictions[m] for m in MEMBER_NAMES])
    known = ~np.isnan(stacked).any(axis=1) & ~np.isnan(labels) & ~np.isnan(walk.regimes)
    classical = tuple(m for m in MEMBER_NAMES if m != "quantum")
    stacker = Stacker(MEMBER_NAMES, config.min_regime_days).fit(
        stacked[known], walk.regimes[known], labels[known]
    )
    columns = [MEMBER_NAMES.index(m) for m in classical]
    classical_stacker = Stacker(classical, config.min_regime_days).fit(
        stacked[known][:, columns], walk.regimes[known], labels[known]
    )
    return HybridModel(
        members=members,
        stacker=stacker,
        classical_stacker=classical_stacker,
        feature_names=dataset.columns,
        latency_budget_seconds=latency_budget_seconds,
    )

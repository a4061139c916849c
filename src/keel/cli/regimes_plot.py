"""The `keel regimes --plot` chart: price with regime shading, EWMA vol, trading level."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from keel.domain.enums import Permission, Regime

REGIME_COLOURS = {
    Regime.LOW: "#d9f0d3",
    Regime.NORMAL: "#ffffff",
    Regime.HIGH: "#fdd49e",
    Regime.EXTREME: "#f4a582",
}


def _runs(values: pd.Series) -> list[tuple[pd.Timestamp, pd.Timestamp, str]]:
    changes = values.ne(values.shift()).cumsum()
    return [
        (group.index[0], group.index[-1], str(group.iloc[0]))
        for _, group in values.groupby(changes)
    ]


def plot_regimes(
    report: pd.DataFrame, name: str, path: Path, thresholds: tuple[float, ...] = ()
) -> None:
    """Write a PNG: log price shaded by regime with level changes marked; vols; level steps."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    fig, (price_ax, vol_ax, level_ax) = plt.subplots(
        3, 1, figsize=(13, 8.5), sharex=True, gridspec_kw={"height_ratios": [3, 1.6, 0.9]}
    )
    step = pd.Timedelta(days=1)
    for ax in (price_ax, vol_ax):
        for first, last, regime in _runs(report["regime"]):
            ax.axvspan(first, last + step, color=REGIME_COLOURS[Regime[regime]], lw=0)
    price_ax.plot(report.index, report["close"], color="black", lw=0.9)
    price_ax.set_yscale("log")
    price_ax.set_ylabel("close (log scale)")
    price_ax.set_title(f"{name}: volatility regime and trading level")
    level_values = report["level"].map(lambda level: int(Permission[level]))
    changed = level_values.ne(level_values.shift()) & level_values.shift().notna()
    up = changed & (level_values > level_values.shift())
    down = changed & (level_values < level_values.shift())
    price_ax.scatter(report.index[up], report["close"][up], marker="v", color="#b2182b",
                     s=22, zorder=3, label="level tightens")  # fmt: skip
    price_ax.scatter(report.index[down], report["close"][down], marker="^", color="#2166ac",
                     s=22, zorder=3, label="level eases")  # fmt: skip
    patches = [Patch(color=REGIME_COLOURS[r], label=r.name, ec="grey") for r in Regime]
    handles, _ = price_ax.get_legend_handles_labels()
    price_ax.legend(handles=patches + handles, loc="upper left", fontsize=8, ncol=6)

    vol_ax.plot(report.index, report["ewma"] * 100, color="#542788", lw=0.9, label="EWMA(0.94)")
    vol_ax.plot(report.index, report["garch"] * 100, color="#1b7837", lw=0.7, alpha=0.8,
                label="GARCH(1,1)")  # fmt: skip
    for threshold, band in zip(thresholds, list(Regime)[1:], strict=False):
        vol_ax.axhline(threshold * 100, color="grey", ls="--", lw=0.7)
        vol_ax.annotate(f"{band.name} {threshold:.0%}", (1.0, threshold * 100), fontsize=7,
                        xycoords=("axes fraction", "data"), ha="right", va="bottom")  # fmt: skip
    vol_ax.set_ylabel("annualised vol, %")
    vol_ax.legend(loc="upper left", fontsize=8)

    level_ax.step(report.index, level_values, where="post", color="#b2182b", lw=1.0)
    level_ax.set_yticks([int(p) for p in Permission], [p.name for p in Permission], fontsize=8)
    level_ax.set_ylim(-0.3, 3.3)
    level_ax.set_ylabel("level")
    for ax in (price_ax, vol_ax, level_ax):
        ax.grid(alpha=0.3, lw=0.5)
        ax.margins(x=0)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)

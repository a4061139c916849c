"""Run every benchmark in turn (`make bench`); each prints its figure next to its peer.

    .venv/bin/python benchmarks/run_all.py [--only NAME …]

The figures in the README come from these scripts on the 2-core reference machine; run them on a
quiet machine, one at a time, as this script does.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
BENCHMARKS = [
    "ticks",
    "market_feed",
    "scenario_steps",
    "volatility_ticks",
    "backtest_speed",
    "backtest_jobs",
    "orders_http",
    "lighthouse",
    "ws_fanout",
    "model",
    "leaderboard",
    "soak",
]
ARGUMENTS = {"soak": ["--minutes", "2", "--step-seconds", "8", "--learners", "40"]}
"""`make bench` stays bounded: the soak's short variant (the full one is 10 minutes)."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=BENCHMARKS, help="run only these")
    args = parser.parse_args()
    failed = []
    for name in args.only or BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / f"{name}.py"), *ARGUMENTS.get(name, [])])
        print(f"--- {name}: exit {code} in {time.perf_counter() - started:.1f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

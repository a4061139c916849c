"""Backtesting lab: runner on top of the engine, metrics, reports, parameter sweeps."""

"""Backtests as server jobs: submitted over REST, run in worker threads, results in the object store."""

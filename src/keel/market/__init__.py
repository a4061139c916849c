"""Market data: bars and ticks, bundled real history, tick synthesis, simulated tickers, replay."""

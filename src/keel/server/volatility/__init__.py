"""Live volatility: per-symbol estimators, regime classifier and anomaly detector on the replay."""

"""Volatility: estimators (batch and streaming), regime classifiers, anomaly detection."""

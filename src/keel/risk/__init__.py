"""Risk: circuit breakers, the order gate, the parameter optimizer and position sizing."""

"""Live circuit breakers: the breaker board fed by the replay, the order gate, history and admin."""

"""Per-account risk limits (the account breaker's rules), set by the holder and by a minor's guardian."""

"""Identity: users, passwords, tokens, TOTP second factor and login throttling."""

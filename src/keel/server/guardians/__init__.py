"""Guardians and the minors linked to them: invitation codes, links, per-minor limits."""

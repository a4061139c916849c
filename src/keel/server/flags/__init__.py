"""Feature flags: OpenFeature with the flagd provider, cohorts, and their admin API."""

"""Trained direction models: versioned artifacts in the object store and their scorecards."""

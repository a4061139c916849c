"""Feedback from any page of the web app, and its triage."""

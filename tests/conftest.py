"""Shared pytest configuration. Fixtures for one aggregate live in that aggregate's factory module."""

"""Keel: an educational paper-trading platform that stays upright in volatile markets."""

__version__ = "0.1.0"

"""Lessons, quizzes, the glossary, mastery, spaced review and teachable moments (issue 13)."""

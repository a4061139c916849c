"""Learning: lessons, quizzes and the glossary, loaded from `content/`; grading, mastery, review.

Pure: the lessons are files read once at start-up, every market figure a lesson quotes is computed
from the bundled history by a named function (`keel.learning.figures`), and grading, mastery and
the spaced-review schedule are plain functions of the answers and the scenario's trading days.
"""

from keel.learning.content import (
    Choice,
    GlossaryEntry,
    Lesson,
    Library,
    Question,
)
from keel.learning.grading import (
    Mastery,
    QuestionResult,
    grade,
    mastery_level,
)
from keel.learning.loader import ContentError, load_library
from keel.learning.review import REVIEW_DAYS, next_review_day

__all__ = [
    "REVIEW_DAYS",
    "Choice",
    "ContentError",
    "GlossaryEntry",
    "Lesson",
    "Library",
    "Mastery",
    "Question",
    "QuestionResult",
    "grade",
    "load_library",
    "mastery_level",
    "next_review_day",
]

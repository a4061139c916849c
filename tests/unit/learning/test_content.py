"""The lessons and the glossary in `content/`: every lesson loads, is long enough, reads at or
below grade 8, has a full quiz, and quotes market figures only through named computations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat

from keel.learning import Library, load_library
from keel.learning.figures import FIGURES
from keel.market import load_bundled

CONTENT = Path(__file__).resolve().parents[3] / "content"

TOPICS = {
    "investing-basics",
    "order-types",
    "diversification",
    "risk-and-return",
    "volatility-and-regimes",
    "circuit-breakers",
    "position-sizing",
    "drawdowns",
    "reading-a-chart",
    "backtesting-and-overfitting",
    "model-scorecards",
    "quantum-circuits",
    "guardians-and-minors",
    "crashes-in-history",
}
MAX_GRADE = 8.0
MIN_WORDS = 400


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(CONTENT, load_bundled)


def _prose(markdown: str) -> str:
    return re.sub(r"[#*`|>-]", " ", markdown)


def test_the_fourteen_topics_are_there(library: Library) -> None:
    assert {lesson.slug for lesson in library.lessons} >= TOPICS
    positions = [lesson.position for lesson in library.lessons]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)


@pytest.mark.parametrize("slug", sorted(TOPICS))
def test_a_lesson_is_long_enough_plain_and_quizzed(library: Library, slug: str) -> None:
    lesson = library.lesson(slug)
    assert lesson is not None
    prose = _prose(lesson.markdown)
    assert len(prose.split()) >= MIN_WORDS
    assert textstat.flesch_kincaid_grade(prose) <= MAX_GRADE
    assert len(lesson.quiz) >= 4
    for question in lesson.quiz:
        assert question.answer in question.keys
        assert set(question.feedback) == set(question.keys) - {question.answer}
        assert question.explanation
    assert "{{" not in lesson.markdown and "{{" not in lesson.html
    assert "<script" not in lesson.html


def test_no_market_figure_is_typed_by_hand() -> None:
    """A percent in a lesson's source is a figure typed by hand: figures come from FIGURES."""
    for path in sorted((CONTENT / "lessons").glob("*.md")):
        typed = re.findall(r"\d[\d.,]*\s*%|\d\s*percent", path.read_text(encoding="utf-8"))
        assert typed == [], f"{path.name} types {typed}: use a {{{{ figure }}}} placeholder"


def test_figures_a_lesson_shows_are_the_computed_ones(library: Library) -> None:
    crashes = library.lesson("crashes-in-history")
    assert crashes is not None
    spx = load_bundled("SPX")["Close"]
    window = spx.loc["2007":"2009"]
    fall = 1 - (window / window.cummax()).min()
    assert crashes.figures["spx_2008_fall"] == f"{fall * 100:.1f}%"
    assert f"a fall of\n{crashes.figures['spx_2008_fall']}" in crashes.markdown
    # 1987 and 2020 are outside the bundled history, and the lesson says so plainly.
    assert spx.index[0].year > 1987 and spx.index[-1].year < 2020
    assert crashes.markdown.count("**outside Keel's history**") == 2


def test_every_figure_computes(library: Library) -> None:
    used = {name for lesson in library.lessons for name in lesson.figures}
    assert used <= set(FIGURES)
    assert len(used) >= 20


def test_every_glossary_term_links_to_a_lesson_or_explains_a_problem(library: Library) -> None:
    slugs = {lesson.slug for lesson in library.lessons}
    for entry in library.glossary.values():
        assert entry.lesson in slugs or entry.problems, entry.slug
        assert len(entry.definition) >= 20
    used = {term for lesson in library.lessons for term in lesson.glossary}
    assert used <= set(library.glossary)

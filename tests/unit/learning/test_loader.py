"""A malformed lesson fails loading with its file and line; the named figures on tiny tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from keel.learning import ContentError, load_library
from keel.learning.figures import days_to_recover, deepest_fall

GLOSSARY = (
    "share:\n  term: share\n  definition: A small piece of a company.\n  lesson: test-lesson\n"
)
LESSON = """---
title: Test lesson
skill: testing
position: 1
summary: A lesson for the loader's tests.
glossary: [share]
quiz:
  - id: one
    question: Pick a.
    choices: {a: A, b: B}
    answer: a
    feedback: {b: Not b.}
    explanation: A is right.
  - id: two
    question: Pick a.
    choices: {a: A, b: B}
    answer: a
    feedback: {b: Not b.}
    explanation: A is right.
  - id: three
    question: Pick a.
    choices: {a: A, b: B}
    answer: a
    feedback: {b: Not b.}
    explanation: A is right.
  - id: four
    question: Pick a.
    choices: {a: A, b: B}
    answer: a
    feedback: {b: Not b.}
    explanation: A is right.
---
# Words

The index fell {{ spx_2008_fall }}.
"""


def _no_history(symbol: str) -> pd.DataFrame:
    index = pd.to_datetime(["2007-01-02", "2008-01-02", "2009-01-02", "2009-06-01"])
    return pd.DataFrame({"Close": [100.0, 80.0, 50.0, 60.0]}, index=index)


def _content(tmp_path: Path, lesson: str) -> Path:
    (tmp_path / "lessons").mkdir()
    (tmp_path / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    (tmp_path / "lessons" / "test-lesson.md").write_text(lesson, encoding="utf-8")
    return tmp_path


def test_a_good_lesson_loads_with_its_figure(tmp_path: Path) -> None:
    library = load_library(_content(tmp_path, LESSON), _no_history)
    assert library.lessons[0].markdown.endswith("The index fell 50.0%.\n")


@pytest.mark.parametrize(
    ("broken", "line", "words"),
    [
        (LESSON.replace("    answer: a\n", "    answer: c\n", 1), 11, "answer 'c' is not one"),
        (LESSON.replace("    feedback: {b: Not b.}\n", "    feedback: {}\n", 1), 12, "no feedback"),
        (LESSON.replace("{{ spx_2008_fall }}", "{{ made_up }}"), 35, "no figure is called"),
        (LESSON.replace("title: Test lesson", "title: a: b"), 2, "not valid YAML"),
        (LESSON.replace("glossary: [share]", "glossary: [no-such-term]"), 6, "no entry"),
        (LESSON.replace("  - id: four", "  - id: one"), 26, "not a new slug"),
        (LESSON.replace("skill: testing\n", ""), 2, "'skill' is missing"),
    ],
)
def test_a_malformed_lesson_names_its_file_and_line(
    tmp_path: Path, broken: str, line: int, words: str
) -> None:
    with pytest.raises(ContentError, match=words) as raised:
        load_library(_content(tmp_path, broken), _no_history)
    assert raised.value.path.name == "test-lesson.md"
    assert raised.value.line == line
    assert str(raised.value).startswith(f"{raised.value.path}:{line}: ")


def test_too_few_questions_fail(tmp_path: Path) -> None:
    short = LESSON[: LESSON.index("  - id: four")] + LESSON[LESSON.index("---\n# Words") :]
    with pytest.raises(ContentError, match="at least 4 questions") as raised:
        load_library(_content(tmp_path, short), _no_history)
    assert raised.value.line == 8  # where the list of questions starts


def test_deepest_fall_and_recovery_on_a_tiny_table() -> None:
    index = pd.bdate_range("2020-01-01", periods=7)
    close = pd.Series([10.0, 12.0, 9.0, 6.0, 8.0, 12.0, 13.0], index=index)
    fall = deepest_fall(close, "2020-01-01", "2020-01-31")
    assert (fall.peak_day, fall.low_day) == (date(2020, 1, 2), date(2020, 1, 6))
    assert fall.fraction == pytest.approx(0.5)
    assert days_to_recover(close, fall) == 2
    assert days_to_recover(close.iloc[:5], fall) is None

"""The lessons load at start-up; a malformed lesson stops start-up, naming its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from keel.learning import ContentError
from keel.server.settings import Settings
from tests.integration.auth.factories import runtime_with

CONTENT = Settings().resolved_content_dir


async def test_a_malformed_lesson_stops_start_up_with_its_file_and_line(
    database_url: str, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    lesson = content / "lessons" / "order-types.md"
    lines = lesson.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if line.strip() == "answer: a")
    lines[broken] = lines[broken].replace("answer: a", "answer: z")
    lesson.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        async with runtime_with(database_url, tmp_path / "var", content_dir=content):
            pass
    assert raised.value.path == lesson
    assert raised.value.line == broken + 1
    assert str(raised.value).startswith(f"{lesson}:{broken + 1}: the answer 'z'")


async def test_the_runtime_holds_the_checked_lessons(database_url: str, tmp_path: Path) -> None:
    async with runtime_with(database_url, tmp_path / "var") as runtime:
        assert runtime.lessons is not None
        assert len(runtime.lessons.lessons) >= 14
    assert runtime.lessons is None  # handed back at shut-down

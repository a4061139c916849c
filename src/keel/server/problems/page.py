"""One problem page: a short title and one paragraph saying what happened and what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProblemPage:
    """`title`: a short heading; `text`: one paragraph, what happened and what to do."""

    title: str
    text: str

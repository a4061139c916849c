"""Bundled real history shared by the model tests (loaded once per session)."""

from __future__ import annotations

import pandas as pd
import pytest

from keel.market.datasets import load_bundled


@pytest.fixture(scope="session")
def spx() -> pd.DataFrame:
    return load_bundled("SPX")

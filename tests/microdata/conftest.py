"""Fixtures of the microdata tests: the hand-made CSV and its lookups (data in microdata_cases.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from microdata_cases import hand_lookups, write_csv

from clusterobs.microdata import Lookups


@pytest.fixture
def hand_csv(tmp_path) -> Path:
    return write_csv(tmp_path / "firms.csv")


@pytest.fixture
def lookups() -> Lookups:
    return hand_lookups()
